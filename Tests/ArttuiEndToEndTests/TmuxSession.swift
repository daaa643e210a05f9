import Foundation
import Testing

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
    private var killed = false

    /// Starts the server and the session running `command` (a `sh` command line) at `width` x `height`.
    init(socket: URL, command: String, width: Int, height: Int) throws {
        executable = try #require(TmuxSession.executable, "tmux is not installed")
        self.socket = socket
        // One invocation, so remain-on-exit is set before the command can possibly end. No status
        // line: the pane is the whole window, so its size is the size asked for.
        try tmux(["-f", "/dev/null", "start-server", ";",
                  "set-option", "-g", "remain-on-exit", "on", ";",
                  "set-option", "-g", "status", "off", ";",
                  "set-option", "-g", "default-shell", "/bin/sh", ";",
                  "new-session", "-d", "-s", target, "-x", String(width), "-y", String(height), command])
    }

    deinit { kill() }

    /// Ends the server and everything running in it.
    func kill() {
        guard !killed else { return }
        killed = true
        _ = try? tmux(["kill-server"], check: false)
        try? FileManager.default.removeItem(at: socket)
    }

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
        let process = Process()
        process.executableURL = executable
        process.arguments = ["-S", socket.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm-256color"
        environment["TMUX"] = nil  // a test run from inside tmux must still talk to its own server
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // capture-pane output is a few KB; reading before waiting keeps a full pipe from blocking tmux.
        let stdout = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if check {
            try #require(process.terminationStatus == 0,
                         "tmux \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(stderr)")
        }
        return stdout
    }
}

/// Quotes `text` for a POSIX shell command line.
func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
