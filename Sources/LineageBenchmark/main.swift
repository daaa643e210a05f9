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

/// CPU time of this thread, in milliseconds: on a shared machine wall-clock times swing with the
/// load, so every figure is given both ways.
func cpuMilliseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1_000 + Double(time.tv_nsec) / 1_000_000
}

/// Runs `work` and returns its wall-clock and CPU milliseconds.
func timed(_ work: () -> Void) -> (wall: Double, cpu: Double) {
    let (start, cpu) = (DispatchTime.now(), cpuMilliseconds())
    work()
    return (milliseconds(start), cpuMilliseconds() - cpu)
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
func percentile99(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
}

/// Layers of runs and versions above and below the root, each node linked to 1–3 nodes of the layer
/// nearer the root (so everything is within `depth` hops), at most 6 links out of a node. Layers
/// grow to 50 nodes; there are as many as it takes to reach `total` nodes, root included.
func generatedGraph(root: String, nodes total: Int) -> (graph: LineageGraph, depth: Int) {
    var state: UInt64 = 42
    func random(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }
    let perLayer = 50
    var nodes: [LineageGraph.Node] = [
        .version(project: "car-vision-project", name: "bike-dataset", type: "dataset", index: 3, aliases: [], deleted: false),
    ]
    var edges: [LineageGraph.Edge] = []
    var depth = 0
    for downstream in [true, false] {
        // Downstream takes the odd node when the rest does not split evenly.
        var budget = downstream ? total / 2 : (total - 1) / 2
        var previous = [root]
        var layer = 0
        while budget > 0 {
            layer += 1
            let count = min(budget, perLayer, 4 * layer * layer)
            budget -= count
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
        depth = max(depth, layer)
    }
    return (LineageGraph(root: root, nodes: nodes, edges: Array(Set(edges)).sorted { ($0.from, $0.to) < ($1.from, $1.to) }), depth)
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
var opens: [(wall: Double, cpu: Double)] = []
for round in 0..<5 {
    if round > 0 { session.press("-") }
    opens.append(timed {
        session.press("+")
        _ = BrowserRenderer.render(session.state)
    })
}
guard case .lineage(let view)? = session.state.modal, let diagram = view.diagram else {
    fatalError("the lineage view did not open")
}
let drawn = diagram.drawing.layout.nodes.count

// Where the open goes, phase by phase (median of 3 each): the store's graph, folding, layers and
// order, rows and routing and cells, the view's indexes on top, one frame.
func median3(_ work: () -> Void) -> Double { median((0..<3).map { _ in timed(work).cpu }) }
// As the browser folds: the body less the border and the selection line, less 2.
let folding = LineageFolding(limit: max(5, (height - 3) - 3 - 2))
let loaded = view.graph!
let measure: (String) -> Int = { DisplayWidth.width(of: $0) }
let characterWidth: (Character) -> Int = { DisplayWidth.width(of: DisplayWidth.normalize($0)) }
var folded: (nodes: [LineageNode], edges: [LineageGraph.Edge]) = ([], [])
var layout: LineageLayout?
let phases: [(String, Double)] = [
    ("load", median3 { _ = try! store.lineage(versionID: view.version.id, up: view.depth, down: view.depth) }),
    ("fold", median3 {
        folded = folding.fold(nodes: LineageNode.nodes(of: loaded), edges: loaded.edges,
                              root: loaded.root, keep: [loaded.root])
    }),
    ("layout", median3 { layout = LineageLayout(nodes: folded.nodes, edges: folded.edges) }),
    ("drawing", median3 { _ = LineageDrawing(layout: layout!, measure: measure, characterWidth: characterWidth) }),
    ("diagram", median3 { _ = LineageDiagram(graph: loaded, unicode: true, folding: folding, keep: []) }),
    ("frame", median3 { _ = BrowserRenderer.render(session.state) }),
]
if arguments.contains("--print") { print(session.screen) }

// Keys: along edges, within layers, panning, a run opened and closed.
let script = Array(repeating: "<Right>", count: 25) + Array(repeating: "<Down>", count: 40)
    + Array(repeating: "<Left>", count: 40) + Array(repeating: "<Up>", count: 30) + ["J", "J", "K", "L", "L", "H"]
    + Array(repeating: "<Right>", count: 20) + ["<Enter>", "<Esc>"]
var samples: [(key: String, wall: Double, cpu: Double)] = []
for step in script {
    let time = timed {
        session.press(step)
        _ = BrowserRenderer.render(session.state)
    }
    samples.append((step, time.wall, time.cpu))
}
let keyMedian = median(samples.map(\.wall))
let slowest = samples.max { $0.cpu < $1.cpu }!
let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first ?? "?"
print("graph:                  \(graph.nodes.count) nodes, \(graph.edges.count) edges; drawn \(drawn) nodes at depth \(view.depth)")
print("drawing:                \(diagram.drawing.width)x\(diagram.drawing.height) cells, \(diagram.drawing.layout.slotCount - drawn) waypoints, \(diagram.drawing.pushes) row pushes")
print("screen:                 \(width)x\(height)")
print(String(format: "reference frame median: %.3f ms (version list)", referenceMedian))
print("machine load:           \(load) (1-minute load average; wall-clock times grow with it, CPU times much less)")
print(String(format: "open median:            %.2f ms wall, %.2f ms CPU (load, layout, route, first frame; target < 100)",
             median(opens.map(\.wall)), median(opens.map(\.cpu))))
print(String(format: "open max:               %.2f ms wall, %.2f ms CPU", opens.map(\.wall).max()!, opens.map(\.cpu).max()!))
print("open phases (ms CPU):   " + phases.map { String(format: "%@ %.2f", $0.0, $0.1) }.joined(separator: ", ")
    + " (diagram = fold + layout + drawing + the view's indexes)")
print(String(format: "key median:             %.3f ms wall, %.3f ms CPU (%.1fx the reference frame; target < 10)",
             keyMedian, median(samples.map(\.cpu)), keyMedian / max(referenceMedian, 0.0001)))
print(String(format: "key p99:                %.3f ms wall, %.3f ms CPU", percentile99(samples.map(\.wall)), percentile99(samples.map(\.cpu))))
print(String(format: "key max:                %.3f ms wall, %.3f ms CPU (%@)", samples.map(\.wall).max()!, slowest.cpu, slowest.key))
print("keys measured:          \(samples.count)")
