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
final class TmuxSession: @unchecked Sendable {
    /// The `tmux` executable on `PATH`, or nil when it is not installed.
    static let executable: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("tmux")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()

    /// How long `waitFor` polls before failing; generous because the whole test suite shares two cores.
    static let defaultTimeout: TimeInterval = 15

    private let executable: URL
    private let socket: URL
    private let target = "arttui"
    private var server: ChildProcess?
    private var killed = false
    private var counter = 0
    private let lock = NSLock()

    /// Starts the server and the session running `command` (a `sh` command line) at `width` x `height`.
    init(socket: URL, command: String, width: Int, height: Int) throws {
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
            Thread.sleep(forTimeInterval: 0.01)
        }
        // One invocation, so remain-on-exit is set before the command can possibly end. No status
        // line: the pane is the whole window, so its size is the size asked for.
        try tmux(["set-option", "-g", "remain-on-exit", "on", ";",
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

    /// Ends the server and everything running in it.
    func kill() {
        guard !killed else { return }
        killed = true
        _ = try? tmux(["kill-server"], check: false)
        // The server waits for its jobs; the watchdog job stops once the socket is gone.
        try? FileManager.default.removeItem(at: socket)
        if let server, server.wait(timeout: 5) == nil {
            server.send(SIGKILL)
            _ = server.wait(timeout: 5)
        }
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
    func press(_ keys: String...) throws {
        try tmux(["send-keys", "-t", target] + keys)
    }

    /// Types `text` literally.
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", target, "-l", text])
    }

    /// Resizes the window, as a user dragging the terminal's corner would.
    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", target, "-x", String(width), "-y", String(height)])
    }

    /// The visible screen, one line per row, trailing blanks trimmed.
    func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", target])
    }

    /// The screen with the scrollback above it: the whole normal screen's history.
    func screenAndScrollback() throws -> String {
        try tmux(["capture-pane", "-p", "-S", "-", "-t", target])
    }

    /// Whether the command in the pane has ended (the pane is dead).
    func commandEnded() throws -> Bool {
        try tmux(["display-message", "-p", "-t", target, "#{pane_dead}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// The pane's size as tmux sees it, `WxH`.
    func paneSize() throws -> String {
        try tmux(["display-message", "-p", "-t", target, "#{pane_width}x#{pane_height}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen until `condition` holds, and returns that screen; fails the test with the
    /// last screen seen (and `what`) when `timeout` passes first.
    @discardableResult
    func waitUntil(_ what: String, timeout: TimeInterval = TmuxSession.defaultTimeout,
                   sourceLocation: SourceLocation = #_sourceLocation,
                   _ condition: (String) throws -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while true {
            last = try screen()
            if try condition(last) { return last }
            guard Date() < deadline else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        try #require(Bool(false), "waited \(Int(timeout)) s for \(what); the screen was:\n\(last)",
                     sourceLocation: sourceLocation)
        return last
    }

    /// Polls until every one of `texts` is on the screen, and returns that screen.
    @discardableResult
    func waitFor(_ texts: String..., timeout: TimeInterval = TmuxSession.defaultTimeout,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try waitUntil(texts.map { "\"\($0)\"" }.joined(separator: " and "), timeout: timeout,
                      sourceLocation: sourceLocation) { screen in texts.allSatisfy { screen.contains($0) } }
    }

    @discardableResult
    private func tmux(_ arguments: [String], check: Bool = true) throws -> String {
        // Files, not pipes: no pipe can fill up, and the output is read once the client has ended.
        let number = lock.withLock { counter += 1; return counter }
        let outputURL = socket.deletingLastPathComponent().appendingPathComponent("tmux-\(number).out")
        let errorURL = socket.deletingLastPathComponent().appendingPathComponent("tmux-\(number).err")
        defer {
            try? FileManager.default.removeItem(at: outputURL)
            try? FileManager.default.removeItem(at: errorURL)
        }
        let client = try ChildProcess.spawn(
            executable.path, ["-S", socket.path] + arguments, environment: TmuxSession.environment,
            stdout: outputURL.path, stderr: errorURL.path)
        guard let ended = client.wait(timeout: TmuxSession.defaultTimeout) else {
            client.send(SIGKILL)
            _ = client.wait(timeout: 5)
            try #require(Bool(false), "tmux \(arguments.joined(separator: " ")) did not finish")
            return ""
        }
        let stdout = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        if check {
            let stderr = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
            try #require(ended == ChildProcess.Termination(status: 0, signalled: false),
                         "tmux \(arguments.joined(separator: " ")) failed (\(ended.status)): \(stderr)")
        }
        return stdout
    }
}

/// Quotes `text` for a POSIX shell command line.
func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
