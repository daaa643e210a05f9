import ArtifactStore
import Foundation
import ProcessTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What one run of the `arttui` binary produced.
struct CommandResult: CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut: Bool
    /// Killed by a signal (a crash, or SIGKILL from a test) rather than exiting.
    var signalled: Bool = false

    /// The lines of stderr, empty ones dropped.
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }

    /// stdout parsed as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
    }

    /// stdout parsed as a JSON object.
    func jsonObject(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try #require(try json() as? [String: Any], "stdout is not a JSON object: \(stdout)", sourceLocation: sourceLocation)
    }

    /// stdout parsed as a JSON array of objects.
    func jsonArray(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        try #require(try json() as? [[String: Any]], "stdout is not a JSON array: \(stdout)", sourceLocation: sourceLocation)
    }

    var description: String {
        "arttui \(arguments.joined(separator: " ")) -> status \(status)\(timedOut ? " (timed out)" : "")\n"
            + "stdout: \(stdout)\nstderr: \(stderr)"
    }
}

/// Finds the built `arttui` executable: `$ARTTUI_BINARY`, else next to the test bundle.
enum ArttuiBinary {
    static let url: URL? = {
        let fileManager = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["ARTTUI_BINARY"] {
            return URL(fileURLWithPath: explicit)
        }
        var directories: [URL] = []
        let argumentZero = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        directories.append(argumentZero.deletingLastPathComponent())
        // On Linux the test bundle is `…/debug/arttuiPackageTests.xctest`; on Darwin it is a bundle
        // directory whose parent holds the products.
        directories.append(Bundle.main.bundleURL)
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        if let executable = try? fileManager.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
        }
        for directory in directories {
            let candidate = directory.appendingPathComponent("arttui")
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               fileManager.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }()
}

/// A running `arttui`, its output going to files (never pipes, so a chatty child cannot block).
/// Every end-to-end helper starts the binary through `launch`.
final class RunningCommand: Sendable {
    let arguments: [String]
    private let child: CapturedProcess

    private init(arguments: [String], child: CapturedProcess) {
        self.arguments = arguments
        self.child = child
    }

    /// Starts the built `arttui` with `arguments` in `directory`, writing its output under `outputs`.
    static func launch(
        _ arguments: [String], environment: [String: String], directory: URL, outputs: URL, stdin: String = "/dev/null"
    ) throws -> RunningCommand {
        let binary = try #require(ArttuiBinary.url, "cannot find the built arttui next to the test bundle; set ARTTUI_BINARY")
        let child = try CapturedProcess.start(
            binary.path, arguments, environment: environment, directory: directory.path, stdin: stdin, outputs: outputs)
        return RunningCommand(arguments: arguments, child: child)
    }

    /// Kills it with SIGKILL (no chance to clean up), as a crash would; `wait` then reports the signal.
    func kill() {
        child.process.send(SIGKILL)
    }

    /// Waits for the process to end, killing it after `timeout` seconds.
    func wait(timeout: TimeInterval = 600) async -> CommandResult {
        let output = await child.finish(timeout: timeout)
        return CommandResult(arguments: arguments, status: output.timedOut ? -1 : output.termination.status,
                             stdout: output.stdout, stderr: output.stderr, timedOut: output.timedOut,
                             signalled: !output.timedOut && output.termination.signalled)
    }
}

/// A fresh temporary directory holding a store, a cache, a home and a working directory for one test.
///
/// Every command runs with `--store` and `--cache-dir` pointing inside it (unless the test passes
/// its own), `HOME` and the XDG variables set to it, and the working directory `work/`.
final class Sandbox: @unchecked Sendable {
    let root: URL
    let store: URL
    let cache: URL
    let work: URL
    private let outputs: URL

    init() throws {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("arttui-e2e-\(UUID().uuidString)", isDirectory: true)
        root = base.resolvingSymlinksInPath()
        store = root.appendingPathComponent("store", isDirectory: true)
        cache = root.appendingPathComponent("cache", isDirectory: true)
        work = root.appendingPathComponent("work", isDirectory: true)
        outputs = root.appendingPathComponent(".outputs", isDirectory: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("home"), withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// The environment every command gets: no `ARTTUI_*` from the caller, HOME and XDG inside the sandbox.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ARTTUI_") && !$0.key.hasPrefix("XDG_") }
        let home = root.appendingPathComponent("home").path
        environment["HOME"] = home
        environment["XDG_DATA_HOME"] = home + "/.local/share"
        environment["XDG_CACHE_HOME"] = home + "/.cache"
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// Starts `arttui` with `arguments`, then `--store` and `--cache-dir` unless `locations` is false.
    func start(_ arguments: [String], locations: Bool = true, environment extra: [String: String] = [:],
               in directory: URL? = nil, stdin: String = "/dev/null") throws -> RunningCommand {
        let fullArguments = arguments + (locations ? ["--store", store.path, "--cache-dir", cache.path] : [])
        return try RunningCommand.launch(
            fullArguments, environment: environment(extra), directory: directory ?? work, outputs: outputs, stdin: stdin)
    }

    /// Runs `arttui` to the end (at most `timeout` seconds).
    @discardableResult
    func run(_ arguments: [String], locations: Bool = true, environment: [String: String] = [:],
             in directory: URL? = nil, timeout: TimeInterval = 30, stdin: String = "/dev/null") async throws -> CommandResult {
        try await start(arguments, locations: locations, environment: environment, in: directory, stdin: stdin)
            .wait(timeout: timeout)
    }

    /// Runs `arttui` and requires it to succeed with nothing on stderr.
    @discardableResult
    func ok(_ arguments: [String], in directory: URL? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> CommandResult {
        let result = try await run(arguments, in: directory)
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.isEmpty, "a successful command wrote to stderr: \(result)", sourceLocation: sourceLocation)
        return result
    }

    /// Runs `arttui` and requires it to fail the way every error should: a non-zero status and
    /// exactly one line on stderr starting `arttui: error:`. Returns the result for further checks.
    @discardableResult
    func fails(_ arguments: [String], locations: Bool = true, environment: [String: String] = [:],
               sourceLocation: SourceLocation = #_sourceLocation) async throws -> CommandResult {
        let result = try await run(arguments, locations: locations, environment: environment)
        #expect(!result.timedOut, "\(result)", sourceLocation: sourceLocation)
        #expect(result.status != 0, "expected a failure: \(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasSuffix("\n") && result.stderr.filter { $0 == "\n" }.count == 1,
                "expected exactly one line on stderr: \(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("arttui: error: "), "stderr does not start with arttui: error: \(result)",
                sourceLocation: sourceLocation)
        return result
    }

    // MARK: Files

    /// A path inside the sandbox.
    func path(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// Writes `data` at `relative` under the sandbox, creating directories.
    @discardableResult
    func write(_ relative: String, _ data: Data) throws -> URL {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        return url
    }

    /// Writes a tree of files (relative path -> bytes) under `relative`.
    @discardableResult
    func writeTree(_ relative: String, _ files: [String: Data]) throws -> URL {
        let directory = root.appendingPathComponent(relative, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (path, data) in files { try write(relative + "/" + path, data) }
        return directory
    }

    // MARK: JSON helpers

    /// `show ADDRESS --json` as an object.
    func show(_ address: String, files: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        try await ok(["show", address, "--json"] + (files ? ["--files"] : []), sourceLocation: sourceLocation).jsonObject()
    }

    /// `ls PROJECT/NAME --json`: the version names, oldest first (ls itself lists newest first).
    func versionNames(_ artifact: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
        try await ok(["ls", artifact, "--json"], sourceLocation: sourceLocation).jsonArray()
            .sorted { ($0.int("index") ?? -1) < ($1.int("index") ?? -1) }
            .compactMap { $0["version"] as? String }
    }

    /// `put … --json` as an object.
    func put(_ paths: [String], _ name: String, _ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        try await ok(["put"] + paths + ["-n", name, "--json"] + extra, sourceLocation: sourceLocation).jsonObject()
    }
}

/// Deterministic pseudo-random bytes (SplitMix64), so every run generates the same data.
struct SeededBytes: RandomNumberGenerator {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    mutating func data(count: Int) -> Data { Data(generator.bytes(count: count)) }

    static func data(seed: UInt64, count: Int) -> Data {
        var generator = SeededBytes(seed: seed)
        return generator.data(count: count)
    }
}

/// Every regular file and symlink under a directory, by relative path, with its bytes (or link target).
/// Used to prove that a command changed nothing: the comparison is of whole contents, not a checksum.
struct DirectorySnapshot: Equatable {
    var entries: [String: Data]

    init(_ directory: URL) throws {
        entries = [:]
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: directory.path) else { return }
        let base = directory.resolvingSymlinksInPath().path
        guard let enumerator = fileManager.enumerator(atPath: base) else { return }
        while let relative = enumerator.nextObject() as? String {
            let full = base + "/" + relative
            let attributes = try fileManager.attributesOfItem(atPath: full)
            switch attributes[.type] as? FileAttributeType {
            case .typeRegular?:
                entries[relative] = try Data(contentsOf: URL(fileURLWithPath: full))
            case .typeSymbolicLink?:
                entries[relative] = Data(("-> " + (try fileManager.destinationOfSymbolicLink(atPath: full))).utf8)
            case .typeDirectory?:
                entries[relative + "/"] = Data()
            default:
                entries[relative] = Data("special".utf8)
            }
        }
    }

    /// The paths that differ, for a readable failure message. A file whose length is unchanged is
    /// listed with the byte offsets that changed (a few of them), so a rewritten SQLite header
    /// (change counter at 24, schema cookie at 40) is told apart from changed content.
    func differences(from other: DirectorySnapshot) -> [String] {
        Set(entries.keys).union(other.entries.keys).sorted().compactMap { path in
            guard let mine = entries[path], let theirs = other.entries[path] else {
                return entries[path] == nil ? "\(path) (removed)" : "\(path) (new)"
            }
            guard mine != theirs else { return nil }
            guard mine.count == theirs.count else { return "\(path) (\(theirs.count) -> \(mine.count) bytes)" }
            let offsets = zip(mine.indices, zip(mine, theirs)).filter { $0.1.0 != $0.1.1 }.map(\.0)
            let shown = offsets.prefix(8).map(String.init).joined(separator: ",")
            return "\(path) (bytes at \(shown)\(offsets.count > 8 ? ",… \(offsets.count) in all" : ""))"
        }
    }
}

/// Expects every file under `directory` to be byte for byte what `before` recorded; names the ones that differ.
///
/// Nothing is excluded, SQLite files included: a read-only or refused command must not even touch
/// the catalog's header.
func expectUnchanged(_ directory: URL, since before: DirectorySnapshot, _ context: @autoclosure () -> String = "",
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
    let differences = try DirectorySnapshot(directory).differences(from: before)
    #expect(differences.isEmpty, "changed under \(directory.lastPathComponent): \(differences) \(context())",
            sourceLocation: sourceLocation)
}

/// Regular files under a directory, by relative path, with their bytes (directories omitted).
func filesUnder(_ directory: URL) throws -> [String: Data] {
    try DirectorySnapshot(directory).entries.filter { !$0.key.hasSuffix("/") }
}

/// A tree of files generated from a seed: nested folders, sizes from empty to tens of KB.
func sampleTree(seed: UInt64) -> [String: Data] {
    var generator = SeededBytes(seed: seed)
    var files: [String: Data] = [
        "README.txt": Data("sample tree \(seed)\n".utf8),
        "empty.bin": Data(),
    ]
    for (index, path) in ["a/one.bin", "a/two.bin", "a/b/three.bin", "a/b/c/four.bin", "d/five.bin", "d/e/six.bin",
                          "with space/seven.bin", "ünï/eight.bin"].enumerated() {
        files[path] = generator.data(count: 500 + Int(generator.next() % 40_000) + index)
    }
    return files
}

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) -> String? { self[key] as? String }
    func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
    func strings(_ key: String) -> [String] { self[key] as? [String] ?? [] }
    func object(_ key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }
}

extension [RunningCommand] {
    /// Waits for every command, in order, each killed after `timeout` seconds: commands started
    /// together, so the wait is that of the slowest.
    func waitAll(timeout: TimeInterval) async -> [CommandResult] {
        var results: [CommandResult] = []
        for command in self { results.append(await command.wait(timeout: timeout)) }
        return results
    }
}
