import ArtifactStore
@testable import ArttuiCLI
import BrowserCore
import BrowserTestSupport
import Foundation
import LineageLayout
import Testing

/// On the demo store, `arttui lineage` and the browser's `L` view draw the same picture, and the
/// picture shows exactly the graph's edges (the demo once drew model:v0 as an input of the evaluation).
@Suite struct LineageDemoTests {
    private static func demoStore() throws -> (Store, FileCache, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-lineage-demo-\(UUID().uuidString)")
        let store = try Store(directory: directory.appendingPathComponent("store"))
        _ = try DemoStore(store: store).build()
        return (store, try FileCache(directory: directory.appendingPathComponent("cache")), directory)
    }

    @Test func theCommandAndTheViewDrawTheSameTruthfulPicture() throws {
        let (store, cache, directory) = try Self.demoStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let version = try store.version(ArtifactAddress(parsing: "capsule-gpt/train-code:v1"))
        let graph = try store.lineage(of: version, upstream: 3, downstream: 3)

        for ascii in [false, true] {
            let printed = LineageCommand.picture(of: graph, ascii: ascii)
            // R0: from every node the lines reach exactly its successors.
            let labels = LineageNode.nodes(of: graph).map(\.label)
            let label = Dictionary(uniqueKeysWithValues: zip(graph.nodes.map(\.key), labels))
            let walk = LineageWalk(lines: printed, labels: labels)
            for node in graph.nodes {
                let successors = Set(graph.edges.filter { $0.from == node.key }.map { label[$0.to]! })
                #expect(walk.successors(of: label[node.key]!) == successors, "from \(label[node.key]!)")
            }
            #expect(walk.successors(of: "model:v4 [best]") == ["run evaluate-best"])
            #expect(walk.successors(of: "model:v0") == [])
            let evaluation = walk.labels["run evaluate-best"]!.row
            #expect(walk.labels["model:v4 [best]"]!.row == evaluation)

            // The browser's `L` on the same version shows the same lines inside its border.
            var session = ScriptedSession(store: StoreBrowser(store: store, cache: cache), width: 120, height: 40,
                                          unicode: !ascii)
            session.press("<Enter>/train-code<Enter><Enter>L")
            guard case .lineage(let view)? = session.state.modal else {
                Issue.record("the lineage view did not open")
                return
            }
            #expect(view.version.qualifiedName == "capsule-gpt/train-code:v1")
            let rows = session.screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let inside = rows[2..<(2 + printed.count)].map { row -> String in
                var line = String(row.dropFirst().dropLast())
                while line.last == " " { line.removeLast() }
                return line
            }
            #expect(Array(inside) == printed)
        }
    }
}
