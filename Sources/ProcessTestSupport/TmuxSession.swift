import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A tmux server of its own (socket inside the sandbox, no user config) running one shell command in a
/// detached session of a fixed size: the real terminal a user would have, driven by keys and read back
/// with `capture-pane`.
///
/// The command runs under `remain-on-exit`, so what it printed last stays readable after it ends.
/// Every wait (for a tmux client, for the screen to show something) suspends the test instead of
/// blocking its thread.
public final class TmuxSession: @unchecked Sendable {
    /// The `tmux` executable on `PATH`, or nil when it is not installed.
    public static let executable: URL? = SystemProgram.path("tmux").map { URL(fileURLWithPath: $0) }

    /// How long `waitFor` polls before failing; generous because the whole test suite shares two cores.
    public static let defaultTimeout: TimeInterval = 15

    private let executable: URL
    private let socket: URL
    private let target = "arttui"
    private var server: ChildProcess?
    private let lock = NSLock()
    private var killed = false

    /// Starts the server and the session running `command` (a `sh` command line) at `width` x `height`.
    public init(socket: URL, command: String, width: Int, height: Int) async throws {
        executable = try #require(TmuxSession.executable, "tmux is not installed")
        self.socket = socket
        // The server runs in the foreground (-D) as our own child, so that we can wait for it.
        let server = try ChildProcess.spawn(
            executable.path, ["-D", "-S", socket.path, "-f", "/dev/null"], environment: TmuxSession.environment)
        self.server = server
        let deadline = Date().addingTimeInterval(TmuxSession.defaultTimeout)
        while !FileManager.default.fileExists(atPath: socket.path) {
            guard Date() < deadline, server.isRunning else {
                try #require(Bool(false), "the tmux server did not start on \(socket.path)")
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        // One invocation, so remain-on-exit is set before the command can possibly end. No status
        // line: the pane is the whole window, so its size is the size asked for.
        try await tmux(["set-option", "-g", "remain-on-exit", "on", ";",
                        "set-option", "-g", "status", "off", ";",
                        "set-option", "-g", "default-shell", "/bin/sh", ";",
                        "run-shell", "-b", watchdog, ";",
                        "new-session", "-d", "-s", target, "-x", String(width), "-y", String(height), command])
    }

    deinit { kill() }

    /// A job inside the server that ends it should the test process die before `kill()`; it
    /// stops by itself once the socket is gone.
    private var watchdog: String {
        let socketPath = shellQuoted(socket.path)
        return "while kill -0 \(ProcessInfo.processInfo.processIdentifier) 2>/dev/null && [ -S \(socketPath) ]; do sleep 0.2; done; "
            + "\(shellQuoted(executable.path)) -S \(socketPath) kill-server 2>/dev/null; true"
    }

    /// Ends the server and everything running in it, without waiting (it is for `defer` and
    /// `deinit`): SIGTERM makes a tmux server kill its sessions and exit; it is reaped in the
    /// background, killed outright should it still run 5 s later.
    public func kill() {
        let first = lock.withLock {
            defer { killed = true }
            return !killed
        }
        guard first else { return }
        // The server waits for its jobs; the watchdog job stops once the socket is gone.
        try? FileManager.default.removeItem(at: socket)
        server?.terminateInBackground(grace: 5)
    }

    /// The environment of the server and of every client: the caller's, with a known terminal type
    /// and no `TMUX`, so that a test run from inside tmux still talks to its own server.
    private static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm-256color"
        environment["TMUX"] = nil
        return environment
    }()

    /// Sends tmux key names (`j`, `Enter`, `Escape`, `Left`, `BSpace`, `C-c`), one key each.
    public func press(_ keys: String...) async throws {
        try await tmux(["send-keys", "-t", target] + keys)
    }

    /// Types `text` literally.
    public func type(_ text: String) async throws {
        try await tmux(["send-keys", "-t", target, "-l", text])
    }

    /// Resizes the window, as a user dragging the terminal's corner would.
    public func resize(width: Int, height: Int) async throws {
        try await tmux(["resize-window", "-t", target, "-x", String(width), "-y", String(height)])
    }

    /// The visible screen, one line per row, trailing blanks trimmed.
    public func screen() async throws -> String {
        try await tmux(["capture-pane", "-p", "-t", target])
    }

    /// The screen with the scrollback above it: the whole normal screen's history.
    public func screenAndScrollback() async throws -> String {
        try await tmux(["capture-pane", "-p", "-S", "-", "-t", target])
    }

    /// Whether the command in the pane has ended (the pane is dead).
    public func commandEnded() async throws -> Bool {
        try await tmux(["display-message", "-p", "-t", target, "#{pane_dead}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// The pane's size as tmux sees it, `WxH`.
    public func paneSize() async throws -> String {
        try await tmux(["display-message", "-p", "-t", target, "#{pane_width}x#{pane_height}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen until `condition` holds, and returns that screen; fails the test with the
    /// last screen seen (and `what`) when `timeout` passes first.
    @discardableResult
    public func waitUntil(_ what: String, timeout: TimeInterval = TmuxSession.defaultTimeout,
                          sourceLocation: SourceLocation = #_sourceLocation,
                          _ condition: (String) async throws -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while true {
            last = try await screen()
            if try await condition(last) { return last }
            guard Date() < deadline else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(Bool(false), "waited \(Int(timeout)) s for \(what); the screen was:\n\(last)",
                     sourceLocation: sourceLocation)
        return last
    }

    /// Polls until every one of `texts` is on the screen, and returns that screen.
    @discardableResult
    public func waitFor(_ texts: String..., timeout: TimeInterval = TmuxSession.defaultTimeout,
                        sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try await waitUntil(texts.map { "\"\($0)\"" }.joined(separator: " and "), timeout: timeout,
                            sourceLocation: sourceLocation) { screen in texts.allSatisfy { screen.contains($0) } }
    }

    @discardableResult
    private func tmux(_ arguments: [String]) async throws -> String {
        let client = try await CapturedProcess.run(
            executable.path, ["-S", socket.path] + arguments, environment: TmuxSession.environment,
            outputs: socket.deletingLastPathComponent(), timeout: TmuxSession.defaultTimeout)
        try #require(!client.timedOut, "tmux \(arguments.joined(separator: " ")) did not finish")
        try #require(client.termination.succeeded,
                     "tmux \(arguments.joined(separator: " ")) failed (\(client.termination.status)): \(client.stderr)")
        return client.stdout
    }
}

/// Quotes `text` for a POSIX shell command line.
public func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
