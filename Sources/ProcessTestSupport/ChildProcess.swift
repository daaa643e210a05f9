#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A child process started with `posix_spawn`, waited for without blocking a thread.
///
/// The tests do not use Foundation's `Process`: on this toolchain its `run()` now and then crashes
/// the test process with a read past a buffer while it lists `/proc/self/fd`
/// (swift-corelibs-foundation pull request 5472, fixed in later releases), and a suite that starts
/// hundreds of processes hits it. The child starts with no signal blocked and every signal at its
/// default, whatever the spawning thread blocks (test threads block nearly all): a tmux server
/// needs SIGCHLD, the programs in its panes SIGWINCH and SIGINT.
///
/// Waiting polls `waitpid(WNOHANG)` between `Task.sleep`s: Swift Testing runs every test on the
/// cooperative pool, one thread per core, and a test blocked in `waitpid` or `usleep` would hold one
/// of them, starving every in-process server and time bound of the test process.
public final class ChildProcess: @unchecked Sendable {
    /// How a child ended.
    public struct Termination: Equatable, Sendable {
        /// The exit status, or the signal number when `signalled`.
        public var status: Int32
        /// Whether a signal ended it.
        public var signalled: Bool

        /// An exit with `status`, or an end by the signal `status` when `signalled`.
        public init(status: Int32, signalled: Bool) {
            self.status = status
            self.signalled = signalled
        }

        /// A normal exit with status 0.
        public var succeeded: Bool { self == Termination(status: 0, signalled: false) }
    }

    /// The child's process id.
    public let pid: pid_t
    private let lock = NSLock()
    private var ended: Termination?

    private init(pid: pid_t) { self.pid = pid }

    /// Starts `executable` with `arguments`; standard input, output and error go to the files named
    /// (created if missing, appended to).
    ///
    /// - Throws: `ChildProcessError.ungated` outside a test that holds a `ChildProcessGate` permit
    ///   (the `.childProcesses` trait), `.spawnFailed` when the kernel refuses.
    public static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        stdin: String = "/dev/null", stdout: String = "/dev/null", stderr: String = "/dev/null"
    ) throws -> ChildProcess {
        guard ChildProcessGate.isHeld else { throw ChildProcessError.ungated(executable: executable) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if let directory {
            guard let addChdir = ChildProcess.addChdir else {
                throw ChildProcessError.spawnFailed(executable: executable, errno: ENOSYS)
            }
            _ = addChdir(&actions, directory)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") }
            + [nil]
        defer { for variable in variables { free(variable) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, variables)
        guard result == 0 else { throw ChildProcessError.spawnFailed(executable: executable, errno: result) }
        return ChildProcess(pid: pid)
    }

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29 and later), which its header declares
    /// only for `_GNU_SOURCE`, so Swift does not import it.
    private static let addChdir: (@convention(c) (
        UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np")
        else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (
            UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
    }()

    /// Whether it has not ended yet.
    public var isRunning: Bool { poll() == nil }

    /// Waits for it to end; nil when `timeout` seconds pass first or the waiting task is cancelled
    /// (the child then still runs: `kill()` ends it).
    public func wait(timeout: TimeInterval) async -> Termination? {
        let deadline = Date().addingTimeInterval(timeout)
        var pause = Self.firstPause
        while true {
            if let ended = poll() { return ended }
            if Date() >= deadline || Task.isCancelled { return nil }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, Self.longestPause)
        }
    }

    /// Kills it with SIGKILL and waits until it has ended, even in a cancelled task: a killed child
    /// ends within milliseconds, and one left unreaped would stay a zombie.
    @discardableResult
    public func kill() async -> Termination {
        send(SIGKILL)
        while true {
            if let ended = poll() { return ended }
            await Self.pauseIgnoringCancellation(Self.firstPause)
        }
    }

    /// Sends SIGTERM, then SIGKILL after `grace` seconds if it is still running, and waits until it
    /// has ended.
    @discardableResult
    public func terminate(grace: TimeInterval = 5) async -> Termination {
        send(SIGTERM)
        if let ended = await wait(timeout: grace) { return ended }
        return await kill()
    }

    /// `terminate(grace:)` in a task of its own, for a `defer` or a `deinit`, which cannot wait: the
    /// child is asked to end at once and reaped in the background.
    public func terminateInBackground(grace: TimeInterval = 5) {
        guard isRunning else { return }
        send(SIGTERM)
        Task.detached { await self.terminate(grace: grace) }
    }

    /// Waits for it to end in a task of its own, for a `defer`, which cannot wait: a child nobody
    /// waits for would stay a zombie.
    public func reapInBackground() {
        Task.detached { _ = await self.wait(timeout: .infinity) }
    }

    /// Sends it `signal` (unless it has ended and been reaped).
    public func send(_ signal: Int32) {
        lock.withLock { if ended == nil { _ = Foundation.kill(pid, signal) } }
    }

    /// The first pause between two looks at the child; it doubles up to `longestPause`, so a command
    /// of a few milliseconds is seen to end at once and a long one costs few wake-ups.
    private static let firstPause = Duration.milliseconds(1)
    private static let longestPause = Duration.milliseconds(8)

    /// Sleeps `duration` on a timer of Dispatch's, which a cancelled task cannot cut short.
    private static func pauseIgnoringCancellation(_ duration: Duration) async {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { continuation.resume() }
        }
    }

    /// Reaps the child if it has ended.
    private func poll() -> Termination? {
        lock.withLock {
            if let ended { return ended }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
            // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
            let signal = status & 0x7f
            ended = signal == 0 ? Termination(status: (status >> 8) & 0xff, signalled: false)
                : Termination(status: signal, signalled: true)
            return ended
        }
    }
}

/// Why a child process could not be started.
public enum ChildProcessError: Error, CustomStringConvertible {
    /// `posix_spawn` failed with `errno`.
    case spawnFailed(executable: String, errno: Int32)
    /// A test started a child without holding a `ChildProcessGate` permit.
    case ungated(executable: String)

    /// One line naming the program and the cause.
    public var description: String {
        switch self {
        case let .spawnFailed(executable, errno):
            "cannot start \(executable): \(String(cString: strerror(errno)))"
        case let .ungated(executable):
            "cannot start \(executable) outside the ChildProcessGate: give the test or its suite the "
                + ".childProcesses trait, so that the processes the suite starts at once stay bounded"
        }
    }
}
