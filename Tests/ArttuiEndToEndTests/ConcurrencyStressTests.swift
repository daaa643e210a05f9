import Foundation
import ProcessTestSupport
import Testing

/// Several processes put versions of one artifact while `prune`, `rm` and `cache cleanup` run alongside:
/// no version number is lost, duplicated or skipped, no chunk goes missing, and `latest` is right at the end.
@Suite(.serialized, .childProcesses)
struct ConcurrencyStressTests {
    @Test("parallel writers get consecutive, unique version numbers while deletes run alongside")
    func parallelWritersWithDeletes() async throws {
        let long = ReliabilitySandbox.longMode
        let writers = long ? 8 : 4, perWriter = long ? 50 : 8
        let sandbox = try ReliabilitySandbox("concurrency")
        defer { sandbox.remove() }
        var trees: [[URL]] = []
        for writer in 0..<writers {
            trees.append(try (0..<perWriter).map { index in
                let tree = try sandbox.makeTree("w\(writer)-\(index)", files: 1, size: 40_000, seed: UInt64(writer * 1000 + index + 1))
                try Data(repeating: 9, count: 30_000).write(to: tree.appendingPathComponent("shared.bin"))
                return tree
            })
        }
        let created = ConcurrentList<(index: Int, tree: URL)>()
        let deletersDone = ConcurrentList<String>()
        let stop = ConcurrentList<Bool>()
        let deleters = Task {
            var round = 0
            while stop.isEmpty {
                round += 1
                let arguments: [String]
                switch round % 3 {
                case 0: arguments = ["prune", "p/a", "--keep-last", "3"]
                case 1: arguments = ["cache", "cleanup", "0"]
                default: arguments = ["get", "p/a:latest", "--root", sandbox.root.appendingPathComponent("g").path]
                }
                if let outcome = try? await sandbox.run(arguments), outcome.status != 0 {
                    // Only `prune` before the first version exists may fail.
                    #expect(outcome.stderr.contains("not found"), "\(arguments): \(outcome)")
                }
                deletersDone.append(arguments[0])
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                let mine = trees[writer]
                group.addTask {
                    for tree in mine {
                        guard let outcome = try? await sandbox.run(["put", tree.path, "-n", "p/a", "--json"]) else { continue }
                        #expect(outcome.status == 0, "\(outcome)")
                        let json = try? JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
                        if let index = json?["index"] as? Int { created.append((index, tree)) }
                    }
                }
            }
        }
        stop.append(true)
        await deleters.value

        let numbers = created.items.map(\.index).sorted()
        #expect(numbers == Array(0..<(writers * perWriter)), "version numbers must be 0..<\(writers * perWriter), once each")
        let verify = try await sandbox.run(["verify", "--read-data"])
        #expect(verify.status == 0, "\(verify.stdout)")
        let remaining = try await sandbox.versions("p/a")
        let byIndex = Dictionary(created.items.map { ("v\($0.index)", $0.tree) }, uniquingKeysWith: { first, _ in first })
        for name in remaining.keys {
            let (outcome, restored) = try await sandbox.restore("p/a:\(name)")
            #expect(outcome.status == 0 && restored == ReliabilitySandbox.checksums(of: byIndex[name]!), "\(name): \(outcome)")
        }
        let latest = try await sandbox.run(["show", "p/a:latest", "--json"])
        #expect(latest.stdout.contains("\"version\" : \"v\(writers * perWriter - 1)\""), "latest must be the last version")
        print("concurrency: \(writers)×\(perWriter) puts, \(deletersDone.items.count) prune/cleanup/get runs alongside, "
            + "\(remaining.count) versions left and restored")
    }
}

/// A list several threads append to.
final class ConcurrentList<Element>: @unchecked Sendable {
    private var storage: [Element] = []
    private let lock = NSLock()

    func append(_ element: Element) { lock.withLock { storage.append(element) } }
    var items: [Element] { lock.withLock { storage } }
    var isEmpty: Bool { lock.withLock { storage.isEmpty } }
}
