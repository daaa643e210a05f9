import Crypto
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
import ProcessTestSupport
#endif

/// The reliability tests' own way to drive the built `arttui`: a sandbox holding a store, a cache and
/// scratch files, commands run as processes, and checksums of every file of the store.
///
/// Long mode (`ARTTUI_LONG_TESTS=1`) makes the tests do many more rounds; see README.md here.
struct ReliabilitySandbox {
    let root: URL
    var store: URL { root.appendingPathComponent("store") }
    var cache: URL { root.appendingPathComponent("cache") }
    var work: URL { root.appendingPathComponent("work") }

    static var longMode: Bool { ProcessInfo.processInfo.environment["ARTTUI_LONG_TESTS"] == "1" }

    init(_ label: String) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("arttui-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    /// Removes the sandbox, in the background (it is for `defer`); `rm -rf` copes with trees deeper
    /// than PATH_MAX, which some tests make.
    func remove() {
        (try? ChildProcess.spawn("/bin/rm", ["-rf", root.path]))?.reapInBackground()
    }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["ARTTUI_STORE"] = store.path
        environment["ARTTUI_CACHE_DIR"] = cache.path
        environment["HOME"] = root.path
        environment["ARTTUI_FAULT"] = nil
        return environment
    }

    /// Starts `arttui arguments` with its output going to files; `wait` collects it.
    func start(_ arguments: [String], fault: String? = nil, extraEnvironment: [String: String] = [:]) throws
        -> RunningCommand
    {
        var environment = environment
        environment["ARTTUI_FAULT"] = fault
        environment.merge(extraEnvironment) { _, new in new }
        return try RunningCommand.launch(arguments, environment: environment, directory: work, outputs: root)
    }

    /// Runs `arttui arguments` to the end.
    @discardableResult
    func run(_ arguments: [String], fault: String? = nil, extraEnvironment: [String: String] = [:]) async throws
        -> CommandResult
    {
        try await start(arguments, fault: fault, extraEnvironment: extraEnvironment).wait()
    }

    // MARK: Data

    /// Writes `count` files of random bytes (deterministic for a seed) under `work/name`, replacing what was there.
    @discardableResult
    func makeTree(_ name: String, files count: Int, size: Int, seed: UInt64) throws -> URL {
        let directory = work.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var generator = SeededBytes(seed: seed)
        for index in 0..<count {
            let bytes = (0..<(size / 8 + 1)).flatMap { _ in withUnsafeBytes(of: generator.next(), Array.init) }
            try Data(bytes.prefix(size)).write(to: directory.appendingPathComponent("file\(index).bin"))
        }
        return directory
    }

    /// SHA-256 of every regular file under `directory`, by relative path (empty when it is missing).
    static func checksums(of directory: URL) -> [String: String] {
        var sums: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return [:] }
        while let relative = walker.nextObject() as? String {
            let path = directory.appendingPathComponent(relative).path
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            var data = FileManager.default.contents(atPath: path) ?? Data()
            if relative.hasSuffix(".sqlite"), data.count >= 100 {
                // SQLite's bookkeeping (change counter, schema cookie, version-valid-for): GRDB bumps them
                // with an empty transaction each time it opens a pool. The pages themselves must not change.
                for range in [24..<28, 40..<44, 92..<100] { data.replaceSubrange(range, with: [UInt8](repeating: 0, count: range.count)) }
            }
            sums[relative] = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        }
        return sums
    }

    /// Restores `address` into a fresh directory and returns the checksums of what was written.
    func restore(_ address: String, fromCache: Bool = false, extra: [String] = []) async throws
        -> (CommandResult, [String: String])
    {
        let target = root.appendingPathComponent("restore-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: target) }
        var arguments = ["get", address, "--root", target.path]
        if !fromCache { arguments += ["--cache-dir", root.appendingPathComponent("no-cache-\(UUID().uuidString.prefix(6))").path] }
        let outcome = try await run(arguments + extra)
        return (outcome, Self.checksums(of: target))
    }

    /// The committed versions of an artifact, as `ls --json` prints them: version name → manifest digest.
    func versions(_ artifact: String) async throws -> [String: String] {
        let outcome = try await run(["ls", artifact, "--json"])
        guard outcome.status == 0 else { return [:] }
        let list = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]] ?? []
        var result: [String: String] = [:]
        for item in list { result[item["version"] as? String ?? "?"] = item["digest"] as? String ?? "?" }
        return result
    }

    /// Opens the store's catalog directly, to locate or craft damage.
    func catalog() throws -> DatabaseQueue {
        try DatabaseQueue(path: store.appendingPathComponent("catalog.sqlite").path)
    }
}

