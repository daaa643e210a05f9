import ArtifactStore
import BrowserCore
import BrowserTestSupport
import Dispatch
import Foundation
import LineageLayout

// Measures the lineage view on a generated graph of about 2,000 nodes, every one of them an
// ancestor or a descendant of the version it is opened on: the time to open it (store load,
// layout, routing, first frame) and each key after it (update and frame). The reference, timed in
// the same run, is one frame of the browser's version list. Run:
//   swift run -c release LineageBenchmark [--nodes N] [--print]

let arguments = CommandLine.arguments
let target = arguments.firstIndex(of: "--nodes").flatMap { Int(arguments[$0 + 1]) } ?? 2_000
let width = 120, height = 40

func milliseconds(_ start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000
}

/// Layers of runs and versions above and below the root, each node linked to 1–3 nodes of the layer
/// nearer the root (so everything is within `layers` hops), at most 6 links out of a node.
func generatedGraph(root: String, nodes total: Int) -> (graph: LineageGraph, depth: Int) {
    var state: UInt64 = 42
    func random(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }
    let perLayer = 50
    let layers = max(1, (total / 2) / perLayer)
    var nodes: [LineageGraph.Node] = [
        .version(project: "car-vision-project", name: "bike-dataset", type: "dataset", index: 3, aliases: [], deleted: false),
    ]
    var edges: [LineageGraph.Edge] = []
    for downstream in [true, false] {
        var previous = [root]
        for layer in 1...layers {
            let count = min(perLayer, 4 * layer * layer)
            var current: [String] = []
            var used = [String: Int]()
            for i in 0..<count {
                let isRun = layer % 2 == 1
                let name = "\(downstream ? "d" : "u")\(layer)-\(i)"
                let node: LineageGraph.Node = isRun
                    ? .run(id: name, name: "run-\(name)", jobType: "train", state: "finished")
                    : .version(project: "car-vision-project", name: "art-\(name)", type: "model", index: i % 7,
                               aliases: i % 11 == 0 ? ["best"] : [], deleted: false)
                nodes.append(node)
                current.append(node.key)
                for _ in 0..<(1 + random(3)) {
                    var other = previous[random(previous.count)]
                    if used[other, default: 0] >= 6 { other = previous[i % previous.count] }
                    used[other, default: 0] += 1
                    edges.append(downstream ? .init(from: other, to: node.key) : .init(from: node.key, to: other))
                }
            }
            previous = current
        }
    }
    return (LineageGraph(root: root, nodes: nodes, edges: Array(Set(edges)).sorted { ($0.from, $0.to) < ($1.from, $1.to) }), layers)
}

let rootKey = "artifact:car-vision-project/bike-dataset:v3"
let (graph, depth) = generatedGraph(root: rootKey, nodes: target)
let store = FixtureStore.withLineage(graph)
var session = ScriptedSession(store: store, width: width, height: height)
session.press("j<Enter><Enter>j")

// Reference: a frame of the version list.
var reference: [Double] = []
for _ in 0..<50 {
    let start = DispatchTime.now()
    _ = BrowserRenderer.render(session.state)
    reference.append(milliseconds(start))
}
reference.sort()
let referenceMedian = reference[reference.count / 2]

// Opening at full depth: `L`, then `+` up to the depth that reaches every node; the last `+`
// loads, lays out, routes and draws the whole graph.
session.press("L")
for _ in 0..<max(0, depth - LineageViewState.defaultDepth - 1) { session.press("+") }
var opens: [Double] = []
for round in 0..<5 {
    if round > 0 { session.press("-") }
    let start = DispatchTime.now()
    session.press("+")
    _ = BrowserRenderer.render(session.state)
    opens.append(milliseconds(start))
}
guard case .lineage(let view)? = session.state.modal, let diagram = view.diagram else {
    fatalError("the lineage view did not open")
}
let drawn = diagram.drawing.layout.nodes.count
let layoutOnly: Double = {
    let start = DispatchTime.now()
    _ = LineageDiagram(graph: view.graph!, unicode: true, folding: LineageFolding(limit: 33), keep: [])
    return milliseconds(start)
}()
if arguments.contains("--print") { print(session.screen) }

// Keys: along edges, within layers, panning, a run opened and closed.
let script = Array(repeating: "<Right>", count: 25) + Array(repeating: "<Down>", count: 40)
    + Array(repeating: "<Left>", count: 40) + Array(repeating: "<Up>", count: 30) + ["J", "J", "K", "L", "L", "H"]
    + Array(repeating: "<Right>", count: 20) + ["<Enter>", "<Esc>"]
var samples: [Double] = []
for step in script {
    let start = DispatchTime.now()
    session.press(step)
    _ = BrowserRenderer.render(session.state)
    samples.append(milliseconds(start))
}
samples.sort()
opens.sort()
let median = samples[samples.count / 2]
print("graph:                  \(graph.nodes.count) nodes, \(graph.edges.count) edges; drawn \(drawn) nodes at depth \(view.depth)")
print("drawing:                \(diagram.drawing.width)x\(diagram.drawing.height) cells, \(diagram.drawing.layout.slotCount - drawn) waypoints, \(diagram.drawing.pushes) row pushes")
print("screen:                 \(width)x\(height)")
print(String(format: "reference frame median: %.3f ms (version list)", referenceMedian))
print(String(format: "open median:            %.2f ms (load, layout, route, first frame; target < 100)", opens[opens.count / 2]))
print(String(format: "open max:               %.2f ms", opens.last!))
print(String(format: "layout + drawing only:  %.2f ms", layoutOnly))
print(String(format: "key median:             %.3f ms (%.1fx the reference frame; target < 10)", median, median / max(referenceMedian, 0.0001)))
print(String(format: "key p99:                %.3f ms", samples[min(samples.count - 1, Int(Double(samples.count) * 0.99))]))
print(String(format: "key max:                %.3f ms", samples.last!))
print("keys measured:          \(samples.count)")
