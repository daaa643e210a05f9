import ArtifactStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ProcessTestSupport

/// A PostgreSQL cluster and a SeaweedFS of the test's own, started with the project's
/// `scripts/services` scripts, for tests that stop them: stopping the services every other suite
/// shares would fail those suites, which run beside this one.
///
/// `freeze` stops processes with SIGSTOP (a service that keeps its connections and answers nothing,
/// as a hung host does); every frozen process is thawed by `thawAll`, which `stop` calls first.
final class PrivateServices: @unchecked Sendable {
    typealias Failure = TwoServersTests.StackFailure

    /// The project's root (the scripts are under it).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let postgresBinaries = "/usr/lib/postgresql/15/bin"

    /// The virtualenv holding `weed`, as the scripts find it.
    static var servicesVenv: String {
        ProcessInfo.processInfo.environment["ARTTUI_SERVICES_VENV"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/arttui/services-venv").path
    }

    /// Why these services cannot be started here, or nil when they can. Nothing is installed for a
    /// test: without `weed` in the scripts' virtualenv the suite is skipped.
    static var unavailableReason: String? {
        if geteuid() != 0 { return "not root: scripts/services/postgres.sh runs the cluster as user postgres" }
        if !FileManager.default.isExecutableFile(atPath: postgresBinaries + "/initdb") { return "no \(postgresBinaries)/initdb" }
        if !FileManager.default.isExecutableFile(atPath: servicesVenv + "/bin/weed") {
            return "no weed in \(servicesVenv) (ARTTUI_SERVICES_VENV)"
        }
        return nil
    }

    /// Whether suites on these services run here (printing why not when they do not).
    static var enabled: Bool {
        guard TwoServersEnvironment.enabled else { return false }
        if let reason = unavailableReason {
            print("\(reason): skipping the tests that stop services")
            return false
        }
        return true
    }

    /// Held while choosing ports and starting services.
    private static let starting = AsyncSemaphore(width: 1)

    let directory: URL
    let postgresPort: Int
    private let s3Port: Int
    /// `postgres://postgres@127.0.0.1:PORT/artifacts` (logins over TCP are trusted).
    let databaseURL: String
    /// `http://127.0.0.1:PORT`.
    let s3Endpoint: String
    private let lock = NSLock()
    private var frozen: [pid_t] = []

    private init(directory: URL, postgresPort: Int, s3Port: Int, databaseURL: String) {
        self.directory = directory
        self.postgresPort = postgresPort
        self.s3Port = s3Port
        self.databaseURL = databaseURL
        s3Endpoint = "http://127.0.0.1:\(s3Port)"
    }

    /// Starts both services, runs `body`, and stops them (thawed first) however `body` ends.
    static func with<T: Sendable>(_ body: (PrivateServices) async throws -> T) async throws -> T {
        let directory = URL(fileURLWithPath: "/tmp/arttui-outage-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        chmod(directory.path, 0o755)
        let services: PrivateServices
        do {
            // Ports are free when picked and taken once the services listen: suites starting services
            // at once take turns, or two could pick the same free port.
            let (printed, postgresPort, s3Port) = try await starting.withPermit {
                let (postgresPort, s3Port) = (try LoopbackSocket.freeConsecutivePorts(1), try LoopbackSocket.freeConsecutivePorts(16))
                try await script("s3.sh", ["start", directory.appendingPathComponent("s3").path, "\(s3Port)"])
                let printed = try await script(
                    "postgres.sh", ["start", directory.appendingPathComponent("pg").path, "\(postgresPort)"])
                return (printed, postgresPort, s3Port)
            }
            guard let url = printed.split(separator: "\n").last.map(String.init), url.hasPrefix("postgres://") else {
                throw Failure("postgres.sh printed no database URL: \(printed)")
            }
            services = PrivateServices(directory: directory, postgresPort: postgresPort, s3Port: s3Port, databaseURL: url)
        } catch {
            // Whatever of the two started.
            _ = try? await script("s3.sh", ["stop", directory.appendingPathComponent("s3").path])
            _ = try? await script("postgres.sh", ["stop", directory.appendingPathComponent("pg").path])
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        do {
            let result = try await body(services)
            await services.stop()
            return result
        } catch {
            await services.stop()
            throw error
        }
    }

    /// SeaweedFS's process (`weed mini` is the whole store in one process).
    func seaweedProcesses() throws -> [pid_t] {
        let text = try String(contentsOf: directory.appendingPathComponent("s3/weed.pid"), encoding: .utf8)
        guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw Failure("weed.pid holds \(text)") }
        return [pid]
    }

    /// The postmaster and every process it started (backends, checkpointer, writers, launchers).
    func postgresProcesses() throws -> [pid_t] {
        let text = try String(contentsOf: directory.appendingPathComponent("pg/data/postmaster.pid"), encoding: .utf8)
        guard let postmaster = text.split(separator: "\n").first.flatMap({ pid_t($0) }) else {
            throw Failure("postmaster.pid holds \(text)")
        }
        return [postmaster] + Self.children(of: postmaster)
    }

    /// Kills SeaweedFS by its pid (SIGKILL): the bucket refuses every connection until `startSeaweed`.
    func killSeaweed() throws {
        for pid in try seaweedProcesses() { kill(pid, SIGKILL) }
    }

    /// Starts SeaweedFS again on its data and ports, as `s3.sh start` did.
    func startSeaweed() async throws {
        let s3 = directory.appendingPathComponent("s3").path
        try await Self.script("s3.sh", ["stop", s3])
        try await Self.script("s3.sh", ["start", s3, "\(s3Port)"])
    }

    /// Stops `processes` with SIGSTOP (the first first: a stopped postmaster starts no new backend).
    func freeze(_ processes: [pid_t]) {
        lock.withLock {
            for pid in processes where kill(pid, SIGSTOP) == 0 { frozen.append(pid) }
        }
    }

    /// Lets every frozen process run again.
    func thawAll() {
        lock.withLock {
            for pid in frozen.reversed() { kill(pid, SIGCONT) }
            frozen = []
        }
    }

    /// Stops PostgreSQL at once (`pg_ctl stop -m immediate`): every connection drops, as in a crash.
    ///
    /// A checkpoint comes first: the cluster runs with `synchronous_commit=off` (for the tests' speed), so
    /// a crash would also lose the last commits the server was told were done, which no real deployment
    /// configures and these tests are not about.
    func crashPostgres() async throws {
        let checkpoint = try await CapturedProcess.run(
            "/usr/sbin/runuser",
            ["-u", "postgres", "--", Self.postgresBinaries + "/psql", "-h", directory.appendingPathComponent("pg").path,
             "-p", "\(postgresPort)", "-U", "postgres", "-d", "postgres", "-c", "CHECKPOINT"],
            timeout: 60)
        guard checkpoint.termination.succeeded else { throw Failure("CHECKPOINT failed: \(checkpoint.stderr)") }
        try await pgctl(["-m", "immediate", "stop"])
    }

    /// Starts PostgreSQL again on its data, port and socket directory, as `postgres.sh start` did.
    func startPostgres() async throws {
        let pg = directory.appendingPathComponent("pg").path
        try await pgctl([
            "-l", pg + "/server.log", "-t", "60",
            "-o", "-c listen_addresses=127.0.0.1 -p \(postgresPort) -k \(pg) -c fsync=off -c synchronous_commit=off "
                + "-c full_page_writes=off -c max_connections=200",
            "start",
        ])
    }

    /// Runs `pg_ctl -D DATA -w ARGUMENTS` as the `postgres` user.
    private func pgctl(_ arguments: [String]) async throws {
        let data = directory.appendingPathComponent("pg/data").path
        let run = try await CapturedProcess.run(
            "/usr/sbin/runuser", ["-u", "postgres", "--", Self.postgresBinaries + "/pg_ctl", "-D", data, "-w"] + arguments,
            timeout: 120)
        guard run.termination.succeeded else {
            throw Failure("pg_ctl \(arguments.joined(separator: " ")) failed: \(run.stderr)\(run.stdout)")
        }
    }

    /// Thaws what is frozen, stops both services and removes their directory.
    func stop() async {
        thawAll()
        _ = try? await Self.script("s3.sh", ["stop", directory.appendingPathComponent("s3").path])
        _ = try? await Self.script("postgres.sh", ["stop", directory.appendingPathComponent("pg").path])
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `scripts/services/NAME ARGUMENTS` and returns its standard output.
    @discardableResult
    private static func script(_ name: String, _ arguments: [String]) async throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["ARTTUI_SERVICES_VENV"] = servicesVenv
        let path = repository.appendingPathComponent("scripts/services/\(name)").path
        let run = try await CapturedProcess.run("/bin/bash", [path] + arguments, environment: environment, timeout: 120)
        guard run.termination.succeeded else {
            throw Failure("\(name) \(arguments.joined(separator: " ")) failed: \(run.stderr)")
        }
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The processes whose parent is `parent`, from `/proc/PID/stat`.
    private static func children(of parent: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")")
            else { return nil }
            // After "PID (COMMAND) STATE": the parent's id.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && pid_t(fields[1]) == parent ? pid : nil
        }
    }
}
