import ArtifactStore
import ArtifactWire
import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The client side of `scripts/bench/server_bench.sh`: puts a directory into a local store, or into a
/// team server through the upload protocol, and prints what it took as one JSON line. Not a test and
/// not the `arttui` client: a small, fixed client so the benchmark measures the server and protocol.
///
///     ServerBenchmark put-local STORE_DIR PROJECT ARTIFACT DIR
///     ServerBenchmark put-server SERVER_URL ENTITY/PROJECT ARTIFACT DIR     (token in ARTTUI_TOKEN)
@main
struct ServerBenchmark {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            switch (arguments.first, arguments.count) {
            case ("put-local", 5):
                try putLocal(store: arguments[1], project: arguments[2], artifact: arguments[3], directory: arguments[4])
            case ("put-server", 5):
                guard let token = ProcessInfo.processInfo.environment["ARTTUI_TOKEN"], let url = URL(string: arguments[1])
                else { throw BenchmarkFailure("put-server needs ARTTUI_TOKEN and a server URL") }
                let client = UploadClient(server: url, token: token, project: arguments[2])
                try await client.put(artifact: arguments[3], directory: URL(fileURLWithPath: arguments[4]))
            default:
                throw BenchmarkFailure(
                    "usage: ServerBenchmark put-local STORE_DIR PROJECT ARTIFACT DIR | put-server URL ENTITY/PROJECT ARTIFACT DIR")
            }
        } catch {
            FileHandle.standardError.write(Data("ServerBenchmark: \(error)\n".utf8))
            exit(1)
        }
    }

    /// The reference: the embedded store's own put of the same tree, in this process.
    static func putLocal(store path: String, project: String, artifact: String, directory: String) throws {
        let started = ContinuousClock.now
        let store = try Store(directory: URL(fileURLWithPath: path))
        var draft = ArtifactDraft(name: artifact, type: "dataset")
        try draft.addDirectory(URL(fileURLWithPath: directory))
        let result = try store.log(draft, project: project)
        let seconds = (ContinuousClock.now - started).seconds
        print(json([
            "seconds": seconds, "version": result.version.versionName, "addedBytes": result.version.addedBytes,
            "bytes": result.version.size, "files": result.version.fileCount,
        ]))
    }

    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
