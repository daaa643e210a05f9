import Foundation

/// Runs the built `arttui` binary against a scratch store, for the lineage, run, table and
/// parallel-writer end-to-end tests.
final class LineageCommandRunner {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let binary: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/arttui")

    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Starts `arttui ARGS` in `root` with the scratch store and cache; call `finish` on the result.
    func start(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["ARTTUI_STORE"] = root.appendingPathComponent("store").path
        environment["ARTTUI_CACHE_DIR"] = root.appendingPathComponent("cache").path
        process.environment = environment
        let (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Waits for a started command and collects its output.
    func finish(_ started: (Process, Pipe, Pipe)) -> Output {
        let stdout = started.1.fileHandleForReading.readDataToEndOfFile()
        let stderr = started.2.fileHandleForReading.readDataToEndOfFile()
        started.0.waitUntilExit()
        return Output(
            status: started.0.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Runs `arttui ARGS` to the end.
    @discardableResult
    func run(_ arguments: String...) throws -> Output { finish(try start(arguments)) }

    /// Runs `arttui ARGS`, failing with its stderr unless it succeeds; returns stdout trimmed.
    @discardableResult
    func ok(_ arguments: String...) throws -> String {
        let output = finish(try start(arguments))
        guard output.status == 0 else {
            throw CommandError(description: "arttui \(arguments.joined(separator: " ")): \(output.stderr)")
        }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes a file under `root`, creating folders.
    @discardableResult
    func write(_ path: String, _ text: String) throws -> String {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return path
    }

    /// Parses JSON output.
    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    struct CommandError: Error, CustomStringConvertible { var description: String }
}
