import ArtifactStore
import BrowserTestSupport
import LineageLayout
import Testing

/// The six pictures of LINEAGE-RULES.md (fan-out, fan-in, crossing, long edge, mixed, collapse):
/// each drawn through the shared `LineageDrawing`, compared with the picture written out here, and
/// walked on the cell grid (R0) so that following lines from a node reaches exactly its successors.
@Suite struct LineageLayoutTests {
    private func node(_ label: String) -> LineageNode {
        LineageNode(key: label, label: label, kind: label.hasPrefix("run") ? .run : .version)
    }

    private func edges(_ pairs: [(String, String)]) -> [LineageGraph.Edge] {
        pairs.map { LineageGraph.Edge(from: $0.0, to: $0.1) }
    }

    private func draw(_ labels: [String], _ pairs: [(String, String)], pinned: [String] = [],
                      glyphs: LineageGlyphs = .unicode, folding: LineageFolding? = nil) -> [String] {
        var nodes = labels.map(node)
        var graphEdges = edges(pairs)
        if let folding { (nodes, graphEdges) = folding.fold(nodes: nodes, edges: graphEdges, root: labels[0]) }
        return LineageDrawing(layout: LineageLayout(nodes: nodes, edges: graphEdges, pinned: pinned), glyphs: glyphs).lines
    }

    /// R0: every listed node's line reaches exactly the given successors.
    private func expectWalks(_ lines: [String], _ successors: [String: Set<String>], labels: [String],
                             sourceLocation: SourceLocation = #_sourceLocation) {
        let walk = LineageWalk(lines: lines, labels: labels)
        for (from, expected) in successors {
            #expect(walk.successors(of: from) == expected, "from \(from) in\n\(lines.joined(separator: "\n"))",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func t1FanOutWithChains() {
        let runs = (1...6).map { "run s\($0)" }
        let models = (0...5).map { "model:v\($0)" }
        let lines = draw(["data:v3"] + runs + models,
                         runs.map { ("data:v3", $0) } + zip(runs, models).map { ($0, $1) })
        #expect(lines == [
            "data:v3 ──┬─▶ run s1 ──▶ model:v0",
            "          ├─▶ run s2 ──▶ model:v1",
            "          ├─▶ run s3 ──▶ model:v2",
            "          ├─▶ run s4 ──▶ model:v3",
            "          ├─▶ run s5 ──▶ model:v4",
            "          ╰─▶ run s6 ──▶ model:v5",
        ])
        var expected: [String: Set<String>] = ["data:v3": Set(runs)]
        for (run, model) in zip(runs, models) { expected[run] = [model] }
        expectWalks(lines, expected, labels: ["data:v3"] + runs + models)
    }

    @Test func t2FanInIsOneBus() {
        let lines = draw(["run eval", "model:v2", "model:v4", "model:v5"],
                         [("model:v2", "run eval"), ("model:v4", "run eval"), ("model:v5", "run eval")])
        #expect(lines == [
            "model:v2 ──┬─▶ run eval",
            "model:v4 ──┤",
            "model:v5 ──╯",
        ])
        expectWalks(lines, ["model:v2": ["run eval"], "model:v4": ["run eval"], "model:v5": ["run eval"]],
                    labels: ["run eval", "model:v2", "model:v4", "model:v5"])
    }

    @Test func t3ACrossingConnectsNothing() {
        let labels = ["model:v4", "model:v0", "run export", "run eval-best"]
        let pairs = [("model:v4", "run eval-best"), ("model:v0", "run export")]
        let unicode = draw(labels, pairs, pinned: labels)
        #expect(unicode == [
            "model:v4 ──╮",
            "model:v0 ──│─▶ run export",
            "           ╰─▶ run eval-best",
        ])
        let ascii = draw(labels, pairs, pinned: labels, glyphs: .ascii)
        #expect(ascii == [
            "model:v4 --.",
            "model:v0 --|-> run export",
            "           '-> run eval-best",
        ])
        for lines in [unicode, ascii] {
            expectWalks(lines, ["model:v4": ["run eval-best"], "model:v0": ["run export"]], labels: labels)
        }
    }

    @Test func t4ALongEdgePassesWaypointsWithOneArrowhead() {
        let labels = ["data:v3", "run train", "model:v1", "run eval"]
        let lines = draw(labels, [("data:v3", "run train"), ("run train", "model:v1"), ("model:v1", "run eval"),
                                  ("data:v3", "run eval")])
        #expect(lines == [
            "data:v3 ──┬─▶ run train ──▶ model:v1 ──┬─▶ run eval",
            "          ╰────────────────────────────╯",
        ])
        // Four edges, three arrowheads: the long edge joins model:v1's edge into the evaluation.
        #expect(lines.joined().filter { $0 == "▶" }.count == 3)
        expectWalks(lines, ["data:v3": ["run train", "run eval"], "run train": ["model:v1"], "model:v1": ["run eval"]],
                    labels: labels)
    }

    @Test func t5MixedFanInAndFanOutGetPorts() {
        let labels = ["m1", "m2", "m3", "e1", "e2"]
        let lines = draw(labels, [("m1", "e1"), ("m2", "e1"), ("m2", "e2"), ("m3", "e2")])
        #expect(lines == [
            "m1 ────▶┐ e1",
            "     ╭─▶┘",
            "m2 ──┴─▶┐ e2",
            "m3 ────▶┘",
        ])
        expectWalks(lines, ["m1": ["e1"], "m2": ["e1", "e2"], "m3": ["e2"]], labels: labels)
    }

    @Test func t6AWideFanOutFoldsAndASCIIDrawsTheSamePicture() {
        let runs = (1...8).map { "run s\($0)" }
        let pairs = runs.map { ("data:v3", $0) }
        let unicode = draw(["data:v3"] + runs, pairs, folding: LineageFolding(limit: 5))
        #expect(unicode == [
            "data:v3 ──┬─▶ run s1",
            "          ├─▶ run s2",
            "          ├─▶ run s3",
            "          ├─▶ run s4",
            "          ╰─▶ … 4 more runs",
        ])
        let ascii = draw(["data:v3"] + runs, pairs, glyphs: .ascii, folding: LineageFolding(limit: 5))
        #expect(ascii == [
            "data:v3 --+-> run s1",
            "          +-> run s2",
            "          +-> run s3",
            "          +-> run s4",
            "          '-> ... 4 more runs",
        ])
        expectWalks(unicode, ["data:v3": Set(runs.prefix(4) + ["… 4 more runs"])],
                    labels: ["data:v3"] + runs.prefix(4) + ["… 4 more runs"])
        expectWalks(ascii, ["data:v3": Set(runs.prefix(4) + ["... 4 more runs"])],
                    labels: ["data:v3"] + runs.prefix(4) + ["... 4 more runs"])
        // Expanding the summary shows the next page.
        let expanded = draw(["data:v3"] + runs, pairs,
                            folding: LineageFolding(limit: 5, expanded: [LineageFolding.summaryKey(of: "data:v3", outputs: true): 1]))
        #expect(expanded.count == 8 && !expanded.joined().contains("more"))
    }

    @Test func anInputUsedOnlyLaterSitsOneLayerBeforeItsUse() {
        // R1: model:v4 is used only by the evaluation, three layers in; it moves next to it.
        let labels = ["data:v0", "run train", "model:v1", "run eval", "model:v4"]
        let layout = LineageLayout(nodes: labels.map(node), edges: edges([
            ("data:v0", "run train"), ("run train", "model:v1"), ("model:v1", "run eval"), ("model:v4", "run eval"),
        ]))
        #expect(layout.layerOf[layout.index["model:v4"]!] == layout.layerOf[layout.index["run eval"]!] - 1)
        for edge in layout.edges {
            #expect(layout.layerOf[layout.index[edge.to]!] > layout.layerOf[layout.index[edge.from]!])
        }
    }

    @Test func orderingRemovesNeedlessCrossingsAndIsDeterministic() {
        let labels = ["run a", "run b", "x:v0", "y:v0"]
        let pairs = [("run a", "y:v0"), ("run b", "x:v0")]
        let layout = LineageLayout(nodes: labels.map(node), edges: edges(pairs))
        #expect(layout.crossings == 0)
        #expect(draw(labels, pairs) == draw(labels.reversed(), pairs.reversed()))
    }

    @Test func nodesSitNearTheirNeighboursNotPackedToTheTop() {
        // The evaluation's second input is drawn next to the evaluation, below the training chain.
        let labels = ["data:v0", "run s1", "run s2", "run s3", "model:v1", "model:v2", "model:v3", "run eval", "model:v9"]
        let lines = draw(labels, [("data:v0", "run s1"), ("data:v0", "run s2"), ("data:v0", "run s3"),
                                  ("run s1", "model:v1"), ("run s2", "model:v2"), ("run s3", "model:v3"),
                                  ("model:v3", "run eval"), ("model:v9", "run eval")])
        let walk = LineageWalk(lines: lines, labels: labels)
        #expect(walk.labels["run eval"]!.row == walk.labels["model:v3"]!.row)
        #expect(walk.labels["model:v9"]!.row > walk.labels["model:v1"]!.row)
        #expect(walk.successors(of: "model:v9") == ["run eval"])
        #expect(walk.successors(of: "model:v3") == ["run eval"])
    }

    @Test func denseGraphsStillWalkToExactlyTheirSuccessors() {
        // 60 random DAGs of 8 to 15 nodes, long edges and crossings included.
        var generator = SplitMix64(seed: 7)
        for round in 0..<60 {
            let labels = (0..<(8 + round % 8)).map { $0 % 2 == 0 ? "run r\($0)" : "v\($0):v0" }
            var pairs: [(String, String)] = []
            for i in labels.indices {
                for j in (i + 1)..<labels.count where generator.next() % 5 == 0 { pairs.append((labels[i], labels[j])) }
            }
            for glyphs in [LineageGlyphs.unicode, .ascii] {
                let drawing = LineageDrawing(layout: LineageLayout(nodes: labels.map(node), edges: edges(pairs)), glyphs: glyphs)
                #expect(drawing.pushes < 400)  // routed without falling back
                let lines = drawing.lines
                var expected: [String: Set<String>] = [:]
                for label in labels { expected[label] = [] }
                for (from, to) in pairs { expected[from, default: []].insert(to) }
                expectWalks(lines, expected, labels: labels)
            }
        }
    }

    @Test func structuresATrackApartShareItAndTouchingOnesDoNot() {
        // a's and c's fan-outs are a row apart (b's straight line between): one track serves both.
        let shared = draw(["a:v0", "b:v0", "c:v0", "run a1", "run a2", "run b1", "run c1", "run c2"],
                          [("a:v0", "run a1"), ("a:v0", "run a2"), ("b:v0", "run b1"), ("c:v0", "run c1"), ("c:v0", "run c2")])
        #expect(shared == [
            "a:v0 ──┬─▶ run a1",
            "       ╰─▶ run a2",
            "b:v0 ────▶ run b1",
            "c:v0 ──┬─▶ run c1",
            "       ╰─▶ run c2",
        ])
        // Fan-outs on adjacent rows keep a track each, so that no line seems to run on into the other.
        let touching = draw(["a:v0", "b:v0", "run a1", "run a2", "run b1", "run b2"],
                            [("a:v0", "run a1"), ("a:v0", "run a2"), ("b:v0", "run b1"), ("b:v0", "run b2")])
        #expect(touching == [
            "a:v0 ──┬───▶ run a1",
            "       ╰───▶ run a2",
            "b:v0 ────┬─▶ run b1",
            "         ╰─▶ run b2",
        ])
    }

    @Test func generatedLayeredGraphsDrawEveryEdgeAndNothingElse() {
        // Graphs shaped like real lineage (and like the benchmark's): layers of runs and versions,
        // each node fed by one to four nodes of the layer before, some inputs from further back,
        // so fan-outs, fan-ins, long edges and shared tracks all occur. Every node's line must
        // reach exactly its outputs, in box drawing and in ASCII.
        var generator = SplitMix64(seed: 12)
        for round in 0..<30 {
            var labels: [String] = []
            var pairs: Set<[String]> = []
            var layers: [[String]] = []
            for layer in 0..<(4 + round % 3) {
                let width = 2 + Int(generator.next() % 7)
                let names = (0..<width).map { layer % 2 == 0 ? "m\(layer)-\($0):v0" : "run r\(layer)-\($0)" }
                for name in names {
                    labels.append(name)
                    guard let previous = layers.last else { continue }
                    for _ in 0...(generator.next() % 4) {
                        pairs.insert([previous[Int(generator.next() % UInt64(previous.count))], name])
                    }
                    if layers.count >= 3, generator.next() % 3 == 0 {
                        let older = layers[layers.count - 3]
                        pairs.insert([older[Int(generator.next() % UInt64(older.count))], name])
                    }
                }
                layers.append(names)
            }
            let edgeList = pairs.sorted { $0.lexicographicallyPrecedes($1) }.map { ($0[0], $0[1]) }
            var expected: [String: Set<String>] = [:]
            for label in labels { expected[label] = [] }
            for (from, to) in edgeList { expected[from, default: []].insert(to) }
            for glyphs in [LineageGlyphs.unicode, .ascii] {
                let drawing = LineageDrawing(layout: LineageLayout(nodes: labels.map(node), edges: edges(edgeList)), glyphs: glyphs)
                #expect(drawing.pushes < 400)
                expectWalks(drawing.lines, expected, labels: labels)
            }
        }
    }

    @Test func aWindowShowsExactlyTheCellsOfTheWholePicture() {
        // The browser paints only the screenful; it must match the whole picture cell for cell,
        // wherever the window's edges cut lines, crossings and (wide) labels.
        var generator = SplitMix64(seed: 3)
        let labels = (0..<24).map { $0 % 2 == 0 ? "run 実験\($0)" : "d\($0):v0" }
        var pairs: [(String, String)] = []
        for i in labels.indices {
            for j in (i + 1)..<labels.count where generator.next() % 6 == 0 { pairs.append((labels[i], labels[j])) }
        }
        let columns: (Character) -> Int = { $0.unicodeScalars.first!.value > 0x2E80 ? 2 : 1 }
        let drawing = LineageDrawing(layout: LineageLayout(nodes: labels.map(node), edges: edges(pairs)),
                                     measure: { $0.reduce(0) { $0 + columns($1) } }, characterWidth: columns)
        let whole = drawing.window(x: 0, y: 0, width: drawing.width, height: drawing.height)
        for _ in 0..<40 {
            let (x, y) = (Int(generator.next() % UInt64(drawing.width)), Int(generator.next() % UInt64(drawing.height)))
            let (width, height) = (1 + Int(generator.next() % 30), 1 + Int(generator.next() % 12))
            let window = drawing.window(x: x, y: y, width: width, height: height)
            for row in y..<(y + height) {
                for column in x..<(x + width) {
                    #expect(window.character(x: column, y: row) == whole.character(x: column, y: row)
                            || column == x && whole.character(x: column, y: row) == nil,
                            "cell \(column),\(row) of the window at \(x),\(y) \(width)x\(height) in\n\(drawing.lines.joined(separator: "\n"))")
                    #expect(window.isCrossing(x: column, y: row) == whole.isCrossing(x: column, y: row))
                }
            }
        }
    }

    @Test func aSingleNodeDrawsAsItsLabelAndTheRootIsMarked() {
        let root = LineageGraph.Node.version(project: "p", name: "alone", type: "t", index: 0, aliases: ["best"], deleted: false)
        #expect(LineageTextRenderer().render(LineageGraph(root: root.key, nodes: [root], edges: [])) == ["alone:v0 [best] *"])
    }

    @Test func aVersionOfAnotherProjectIsNamedWithItsProject() {
        // Two different artifacts both called `ds:v0`, one in the root's project and one in another:
        // the other one's label carries its project, so the picture never shows `ds:v0` twice.
        let root = LineageGraph.Node.version(project: "p", name: "model", type: "model", index: 1, aliases: [], deleted: false)
        let own = LineageGraph.Node.version(project: "p", name: "ds", type: "dataset", index: 0, aliases: [], deleted: false)
        let other = LineageGraph.Node.version(project: "team/q", name: "ds", type: "dataset", index: 0, aliases: ["x"], deleted: false)
        let run = LineageGraph.Node.run(id: "r1", name: "train", jobType: "train", state: "finished")
        let graph = LineageGraph(root: root.key, nodes: [root, own, other, run], edges: [
            .init(from: own.key, to: run.key), .init(from: other.key, to: run.key), .init(from: run.key, to: root.key),
        ])
        #expect(LineageNode.nodes(of: graph).map(\.label) == ["model:v1 *", "ds:v0", "team/q/ds:v0 [x]", "run train"])
        #expect(LineageTextRenderer().render(graph) == [
            "ds:v0 ─────────────┬─▶ run train ──▶ model:v1 *",
            "team/q/ds:v0 [x] ──╯",
        ])
    }
}
