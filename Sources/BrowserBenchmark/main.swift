import BrowserCore
import BrowserTestSupport
import Dispatch
import Foundation

// Measures the browser's frame times on a 100,000-version artifact: the first frame (from an
// empty state to the versions pane drawn, loads included) and each keypress after it (update,
// the loads it triggers, render). Run: swift run -c release BrowserBenchmark [--print] [--versions N]

let arguments = CommandLine.arguments
let versionCount = arguments.firstIndex(of: "--versions").flatMap { Int(arguments[$0 + 1]) } ?? 100_000
let width = 120, height = 40

func milliseconds(_ start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000
}

let store = FixtureStore(generatedVersions: versionCount)

// First frame: open, select project `stress` (last in the list), its artifact, focus versions.
let firstStart = DispatchTime.now()
var session = ScriptedSession(store: store, width: width, height: height)
session.press("/stress<Enter><Enter><Enter>")
var grid = BrowserRenderer.render(session.state)
let firstFrame = milliseconds(firstStart)

if arguments.contains("--print") {
    print(grid.text)
}

// Keypresses: moving, paging, jumping to the end and back, filtering by alias text.
let script = Array(repeating: "j", count: 200) + Array(repeating: "<PgDn>", count: 50) + ["G", "g"]
    + Array(repeating: "<C-d>", count: 50) + Array(repeating: "k", count: 100) + ["G"] + Array(repeating: "<PgUp>", count: 50)
var samples: [Double] = []
var slowest: [(Double, String)] = []
for step in script {
    let start = DispatchTime.now()
    session.press(step)
    grid = BrowserRenderer.render(session.state)
    samples.append(milliseconds(start))
    slowest.append((samples.last!, step))
}
if arguments.contains("--slowest") {
    for (time, step) in slowest.sorted(by: { $0.0 > $1.0 }).prefix(8) { print(String(format: "%8.3f ms  %@", time, step)) }
}
samples.sort()
let median = samples[samples.count / 2]
let p99 = samples[min(samples.count - 1, Int(Double(samples.count) * 0.99))]
let versionCalls = store.callLog.filter { $0.hasPrefix("versions(stress") }.count
print("versions in artifact:   \(versionCount)")
print("screen:                 \(width)x\(height)")
print(String(format: "first frame:            %.2f ms", firstFrame))
print(String(format: "keypress frame median:  %.3f ms", median))
print(String(format: "keypress frame p99:     %.3f ms", p99))
print(String(format: "keypress frame max:     %.3f ms", samples.last ?? 0))
print("keypresses measured:    \(samples.count)")
print("version pages loaded:   \(versionCalls) (of \(versionCount / VersionList.pageSize + 1) pages)")
