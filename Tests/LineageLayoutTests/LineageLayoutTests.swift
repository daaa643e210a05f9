import ArtifactStore
import LineageLayout
import Testing

@Suite struct LineageLayoutTests {
    private func version(_ name: String, _ index: Int = 0, deleted: Bool = false) -> LineageGraph.Node {
        .version(project: "p", name: name, type: "t", index: index, aliases: [], deleted: deleted)
    }

    private func run(_ name: String) -> LineageGraph.Node { .run(id: name, name: name, jobType: "", state: "finished") }

    @Test func layersFollowTheFlowAndLongEdgesGetWaypoints() {
        let nodes = [version("data"), run("train"), version("model"), run("eval")]
        let graph = LineageGraph(root: nodes[2].key, nodes: nodes, edges: [
            .init(from: nodes[0].key, to: nodes[1].key), .init(from: nodes[1].key, to: nodes[2].key),
            .init(from: nodes[2].key, to: nodes[3].key), .init(from: nodes[0].key, to: nodes[3].key),
        ])
        let layout = LineageLayout(graph: graph)
        #expect(layout.layers.count == 4)
        #expect(layout.layers[3] == [.node(nodes[3].key)])
        #expect(layout.layers[1].count == 2 && layout.layers[2].count == 2)
    }

    @Test func barycenterOrderingRemovesNeedlessCrossings() {
        // Two chains given in an order that crosses: a → y, b → x with x listed before y.
        let (a, b) = (run("a"), run("b"))
        let (x, y) = (version("x"), version("y"))
        let graph = LineageGraph(root: x.key, nodes: [a, b, x, y], edges: [
            .init(from: a.key, to: y.key), .init(from: b.key, to: x.key),
        ])
        #expect(LineageLayout(graph: graph).crossings == 0)
    }

    @Test func rendersRunsAndVersionsDifferentlyWithBoxDrawingOrASCII() {
        let nodes = [version("data"), run("train-1"), run("train-2"), version("model", 4, deleted: true)]
        let graph = LineageGraph(root: nodes[0].key, nodes: nodes, edges: [
            .init(from: nodes[0].key, to: nodes[1].key), .init(from: nodes[0].key, to: nodes[2].key),
            .init(from: nodes[1].key, to: nodes[3].key),
        ])
        let unicode = LineageTextRenderer().render(graph)
        #expect(unicode == [
            "(data:v0)*─┬─▶[run: train-1]───▶(model:v4 deleted)",
            "           │",
            "           └─▶[run: train-2]",
        ])
        let ascii = LineageTextRenderer(ascii: true).render(graph)
        #expect(ascii.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
        #expect(ascii[2] == "           +->[run: train-2]")
    }

    @Test func aSingleNodeRendersAsItsLabel() {
        let node = version("alone")
        #expect(LineageTextRenderer().render(LineageGraph(root: node.key, nodes: [node], edges: [])) == ["(alone:v0)*"])
    }
}
