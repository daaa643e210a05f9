import ArtifactStore
import BrowserCore
import BrowserTestSupport
import LineageLayout
import Testing

/// The `L` view: the shared picture, selection and its edges, moving along edges, Enter on each
/// kind of node, folding, depth, scrolling and panning. Key scripts run through the pure update loop.
@Suite struct LineageViewTests {
    /// bike-dataset:v3 (the root) made by prep-1, used by `fanOut` runs; run train-a (the first)
    /// logged detector:v0 and baseline:v2, which an evaluation used.
    static func graph(fanOut: Int) -> LineageGraph {
        let root = LineageGraph.Node.version(project: "car-vision-project", name: "bike-dataset", type: "dataset", index: 3,
                                             aliases: [], deleted: false)
        let prep = LineageGraph.Node.run(id: "prep-1", name: "prep-1", jobType: "preprocess", state: "finished")
        let trainA = LineageGraph.Node.run(id: "train-a", name: "train-a", jobType: "train", state: "finished")
        let detector = LineageGraph.Node.version(project: "car-vision-project", name: "detector", type: "model", index: 0,
                                                 aliases: [], deleted: false)
        let other = LineageGraph.Node.version(project: "car-vision-project", name: "baseline", type: "model", index: 2,
                                              aliases: ["best"], deleted: false)
        let eval = LineageGraph.Node.run(id: "eval-1", name: "eval-1", jobType: "eval", state: "finished")
        var nodes = [root, prep, trainA, detector, other, eval]
        var edges: [LineageGraph.Edge] = [
            .init(from: prep.key, to: root.key), .init(from: root.key, to: trainA.key),
            .init(from: trainA.key, to: detector.key), .init(from: detector.key, to: eval.key),
            .init(from: trainA.key, to: other.key), .init(from: other.key, to: eval.key),
        ]
        for index in 1..<fanOut {
            let run = LineageGraph.Node.run(id: "train-s\(index)", name: "train-s\(index)", jobType: "train", state: "finished")
            nodes.append(run)
            edges.append(.init(from: root.key, to: run.key))
        }
        return LineageGraph(root: root.key, nodes: nodes, edges: edges)
    }

    private static let rootKey = "artifact:car-vision-project/bike-dataset:v3"

    private func open(_ store: FixtureStore, width: Int = 120, height: Int = 40, unicode: Bool = true) -> ScriptedSession {
        var session = ScriptedSession(store: store, width: width, height: height, unicode: unicode)
        session.press("j<Enter><Enter>jL")
        return session
    }

    private func view(_ session: ScriptedSession) -> LineageViewState? {
        if case .lineage(let view)? = session.state.modal { return view }
        return nil
    }

    /// The picture inside the view's border, rows as text.
    private func pictureRows(_ session: ScriptedSession, count: Int) -> [String] {
        let lines = session.screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return lines[2..<(2 + count)].map { line in
            var inner = String(line.dropFirst().dropLast())
            while inner.last == " " { inner.removeLast() }
            return inner
        }
    }

    @Test func theViewShowsThePictureTheCommandLinePrints() throws {
        for unicode in [true, false] {
            let store = FixtureStore.withLineage(Self.graph(fanOut: 4))
            let session = open(store, unicode: unicode)
            let graph = try store.lineage(versionID: session.state.selectedVersion!.id, up: 3, down: 3)
            let printed = LineageTextRenderer(ascii: !unicode, measure: { DisplayWidth.width(of: $0) }).render(graph)
            #expect(pictureRows(session, count: printed.count) == printed)
            // And the picture is right: each node's lines reach exactly its successors.
            let labels = LineageNode.nodes(of: graph).map(\.label)
            let walk = LineageWalk(lines: printed, labels: labels)
            #expect(walk.successors(of: "detector:v0") == ["run eval-1"])
            #expect(walk.successors(of: "baseline:v2 [best]") == ["run eval-1"])
            #expect(walk.successors(of: "bike-dataset:v3 *") == ["run train-a", "run train-s1", "run train-s2", "run train-s3"])
        }
    }

    @Test func theSelectionAndItsEdgesAreHighlighted() {
        var session = open(FixtureStore.withLineage(Self.graph(fanOut: 3)))
        #expect(view(session)?.selected == Self.rootKey)
        let grid = session.grid
        let focusCells = (0..<grid.height).flatMap { y in (0..<grid.width).map { (x: $0, y: y) } }
            .filter { grid[$0.x, $0.y].role == .edgeFocus }
        // The root's edges: one in from prep-1, three out; prep-1's label stays a node.
        #expect(focusCells.count > 10)
        #expect(focusCells.filter { grid[$0.x, $0.y].character == "▶" }.count == 4)
        let rootRow = session.screen.split(separator: "\n").firstIndex { $0.contains("bike-dataset:v3 *") }!
        let rootColumn = Array(session.screen.split(separator: "\n")[rootRow]).firstIndex(of: "b")!
        #expect(grid[rootColumn, rootRow].role == .selected)
        // Moving to the evaluation highlights its two inputs instead.
        session.press("<Right><Right><Right>")
        #expect(view(session)?.selected == "run:eval-1")
        let after = session.grid
        let arrows = (0..<after.height).flatMap { y in (0..<after.width).map { (x: $0, y: y) } }
            .filter { after[$0.x, $0.y].role == .edgeFocus && after[$0.x, $0.y].character == "▶" }
        #expect(arrows.count == 1)  // one bus, one arrowhead into the evaluation
        #expect(session.screen.contains("run eval-1 (eval-1) · eval · finished · 2 inputs · 0 outputs"))
    }

    @Test func arrowsMoveAlongEdgesAndWithinALayer() {
        var session = open(FixtureStore.withLineage(Self.graph(fanOut: 3)))
        session.press("<Left>")
        #expect(view(session)?.selected == "run:prep-1")
        session.press("<Left>")
        #expect(session.state.status?.text == "nothing went into this")
        session.press("<Right>")
        #expect(view(session)?.selected == Self.rootKey)
        session.press("<Right>")
        #expect(view(session)?.selected == "run:train-a")
        session.press("<Down>")
        #expect(view(session)?.selected == "run:train-s1")
        session.press("<Down><Down><Down>")
        #expect(view(session)?.selected == "run:train-s2")  // the last of the layer stays
        session.press("<Up><Up><Up>")
        #expect(view(session)?.selected == "run:train-a")
        session.press("<Right>")
        #expect(view(session)?.selected == "artifact:car-vision-project/baseline:v2")  // on train-a's row
        session.press("<Down><Right>")
        #expect(view(session)?.selected == "run:eval-1")
        session.press("<Left>")
        #expect(view(session)?.selected == "artifact:car-vision-project/detector:v0")  // back where it came from
    }

    @Test func enterOnARunShowsTheRunAndEscReturnsToTheGraph() {
        var session = open(FixtureStore.withLineage(Self.graph(fanOut: 2)))
        session.press("<Right><Enter>")
        #expect(view(session)?.run?.record.id == "train-a")
        let screen = session.screen
        for text in ["run train-a", "id        train-a", "job type  train", "state     finished", "lr = 0.001",
                     "val_acc = 0.91", "car-vision-project/bike-dataset:v3", "car-vision-project/detector:v0"] {
            #expect(screen.contains(text), "missing \(text)")
        }
        session.press("<Esc>")
        #expect(view(session)?.run == nil)
        #expect(view(session)?.selected == "run:train-a")
        session.press("<Esc>")
        #expect(session.state.modal == nil)
    }

    @Test func enterOnAVersionJumpsToItInTheVersionsPane() {
        var session = open(FixtureStore.withLineage(Self.graph(fanOut: 2)))
        session.press("<Right><Right><Down><Enter>")
        #expect(session.state.modal == nil)
        #expect(session.state.focus == .versions)
        #expect(session.state.selectedVersion?.qualifiedName == "car-vision-project/detector:v0")
    }

    @Test func aFanOutTallerThanTheScreenFoldsAndEnterExpandsIt() {
        // 80×24: 18 rows for the picture, so at most 16 outputs are shown.
        var session = open(FixtureStore.withLineage(Self.graph(fanOut: 30)), width: 80, height: 24)
        #expect(session.screen.contains("… 15 more runs"))
        #expect(view(session)?.diagram?.layers[2].count == 16)
        session.press("<Right>")
        for _ in 0..<20 { session.press("<Down>") }
        #expect(view(session)?.selected == "more:\(Self.rootKey)>")
        #expect(session.screen.contains("Enter shows more"))
        session.press("<Enter>")
        #expect(!session.screen.contains("more runs"))
        #expect(view(session)?.diagram?.layers[2].count == 30)
        // The selection followed onto the screen: its row is visible.
        let selected = view(session)!.selected!
        let label = view(session)!.diagram!.node(selected)!.label
        #expect(session.screen.contains(label))
    }

    @Test func plusAndMinusChangeTheDepthShownInTheTitle() throws {
        let store = FixtureStore.withLineage(Self.graph(fanOut: 2))
        var session = open(store)
        #expect(session.screen.contains("depth 3 up and down"))
        #expect(session.screen.contains("run eval-1"))
        session.press("--")
        #expect(session.screen.contains("depth 1 up and down"))
        #expect(!session.screen.contains("run eval-1"))
        #expect(view(session)?.diagram?.drawing.layout.nodes.count == 4)
        session.press("-")
        #expect(session.state.status?.text == "depth is 1 already")
        session.press("+")
        #expect(session.screen.contains("depth 2 up and down"))
        #expect(session.screen.contains("detector:v0"))
    }

    @Test func theViewFollowsTheSelectionAndPans() {
        // The root used by 12 runs that each logged two models: 24 rows, wider than 40 columns.
        let root = LineageGraph.Node.version(project: "car-vision-project", name: "bike-dataset", type: "dataset", index: 3,
                                             aliases: [], deleted: false)
        var nodes = [root]
        var edges: [LineageGraph.Edge] = []
        for index in 1...12 {
            let run = LineageGraph.Node.run(id: "sweep-\(index)", name: "sweep-\(index)", jobType: "train", state: "finished")
            nodes.append(run)
            edges.append(.init(from: root.key, to: run.key))
            for half in ["a", "b"] {
                let model = LineageGraph.Node.version(project: "p", name: "model-\(index)\(half)", type: "model", index: 0,
                                                      aliases: [], deleted: false)
                nodes.append(model)
                edges.append(.init(from: run.key, to: model.key))
            }
        }
        var session = open(FixtureStore.withLineage(LineageGraph(root: root.key, nodes: nodes, edges: edges)),
                           width: 40, height: 24)
        session.press("<Right>")
        for _ in 0..<11 { session.press("<Down>") }
        let followed = view(session)!
        #expect(followed.selected == "run:sweep-12")
        #expect(followed.scrollY > 0)
        #expect(session.screen.contains("run sweep-12"))
        session.press("K")
        #expect(view(session)!.scrollY < followed.scrollY)
        session.press("J")
        #expect(view(session)!.scrollY > view(session)!.scrollY - 1 && view(session)!.scrollY > 0)
        session.press("HHHHH")
        #expect(view(session)!.scrollX == 0)
        session.press("L")
        let panned = view(session)!.scrollX
        #expect(panned > 0 && view(session)!.diagram!.drawing.layerColumns.contains(panned))
        session.press("H")
        #expect(view(session)!.scrollX == 0)
        // Panning does not move the selection; the next move brings it back into view.
        #expect(view(session)!.selected == "run:sweep-12")
        session.press("<Up>")
        #expect(session.screen.contains("run sweep-11"))
        // Its output is off the right edge until selected; then the view scrolls a layer over.
        session.press("HHHHH<Right>")
        #expect(view(session)!.selected == "artifact:p/model-11a:v0")
        #expect(view(session)!.scrollX > 0)
        #expect(session.screen.contains("model-11a:v0"))
    }
}
