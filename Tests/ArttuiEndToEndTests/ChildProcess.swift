#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A child process started with `posix_spawn`.
///
/// The tests do not use Foundation's `Process`: on this toolchain its `run()` now and then crashes
/// the test process with a read past a buffer while it lists `/proc/self/fd`
/// (swift-corelibs-foundation pull request 5472, fixed in later releases), and a suite that starts
/// hundreds of processes hits it. The child starts with no signal blocked and every signal at its
/// default, whatever the spawning thread blocks (test threads block nearly all): a tmux server
/// needs SIGCHLD, the programs in its panes SIGWINCH and SIGINT.
final class ChildProcess: @unchecked Sendable {
    /// How a child ended.
    struct Termination: Equatable {
        /// The exit status, or the signal number when `signalled`.
        var status: Int32
        /// Whether a signal ended it.
        var signalled: Bool
    }

    /// The child's process id.
    let pid: pid_t
    private let lock = NSLock()
    private var ended: Termination?

    private init(pid: pid_t) { self.pid = pid }

    /// Starts `executable` with `arguments`; standard input, output and error go to the files named
    /// (created if missing, appended to).
    static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        stdin: String = "/dev/null", stdout: String = "/dev/null", stderr: String = "/dev/null"
    ) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if let directory {
            guard let addChdir = ChildProcess.addChdir else {
                throw POSIXError(.ENOSYS, userInfo: [NSLocalizedDescriptionKey: "posix_spawn_file_actions_addchdir_np"])
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
        guard result == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO, userInfo: [NSFilePathErrorKey: executable])
        }
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
    var isRunning: Bool { poll() == nil }

    /// Waits for it to end; nil when `timeout` seconds pass first.
    func wait(timeout: TimeInterval) -> Termination? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let ended = poll() { return ended }
            if Date() >= deadline { return nil }
            usleep(2_000)
        }
    }

    /// Sends it `signal` (unless it has ended and been reaped).
    func send(_ signal: Int32) {
        lock.withLock { if ended == nil { _ = kill(pid, signal) } }
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
