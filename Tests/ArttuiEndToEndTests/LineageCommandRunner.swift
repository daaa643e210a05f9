import Foundation

/// Runs the built `arttui` binary against a scratch store, for the lineage, run, table and
/// parallel-writer end-to-end tests.
final class LineageCommandRunner {
    let root: URL
    /// `LC_ALL` for the commands.
    var locale = "C.UTF-8"

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Starts `arttui ARGS` in `root` with the scratch store and cache; call `finish` on the result.
    func start(_ arguments: [String]) throws -> RunningCommand {
        var environment = ProcessInfo.processInfo.environment
        environment["ARTTUI_STORE"] = root.appendingPathComponent("store").path
        environment["ARTTUI_CACHE_DIR"] = root.appendingPathComponent("cache").path
        // A UTF-8 locale unless a test asks otherwise: `lineage` draws ASCII without one.
        environment["LC_ALL"] = locale
        return try RunningCommand.launch(arguments, environment: environment, directory: root, outputs: root)
    }

    /// Waits for a started command and collects its output.
    func finish(_ started: RunningCommand) async -> CommandResult { await started.wait() }

    /// Runs `arttui ARGS` to the end.
    @discardableResult
    func run(_ arguments: String...) async throws -> CommandResult { await finish(try start(arguments)) }

    /// Runs `arttui ARGS`, failing with its stderr unless it succeeds; returns stdout trimmed.
    @discardableResult
    func ok(_ arguments: String...) async throws -> String {
        let output = await finish(try start(arguments))
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
