import Foundation

/// What a child wrote and how it ended.
public struct CapturedOutput: Sendable {
    /// How it ended; for a child killed at its timeout, the SIGKILL.
    public var termination: ChildProcess.Termination
    /// Whether it was killed because it outlived its timeout.
    public var timedOut: Bool
    /// Everything it wrote to standard output, as UTF-8.
    public var stdout: String
    /// Everything it wrote to standard error, as UTF-8.
    public var stderr: String
}

/// A child process whose standard output and error go to files of their own, read back once it has
/// ended: never pipes, so a chatty child cannot block on a full one while the test waits for it.
///
/// The one way tests run a program to the end and look at what it printed.
public final class CapturedProcess: @unchecked Sendable {
    /// The running child.
    public let process: ChildProcess
    private let stdoutURL: URL
    private let stderrURL: URL

    private init(process: ChildProcess, stdoutURL: URL, stderrURL: URL) {
        self.process = process
        self.stdoutURL = stdoutURL
        self.stderrURL = stderrURL
    }

    /// Starts `executable` with `arguments` in `directory`, its output going to new files under `outputs`.
    public static func start(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        stdin: String = "/dev/null", outputs: URL = FileManager.default.temporaryDirectory
    ) throws -> CapturedProcess {
        let name = "child-\(UUID().uuidString)"
        let stdoutURL = outputs.appendingPathComponent("\(name).out")
        let stderrURL = outputs.appendingPathComponent("\(name).err")
        let process = try ChildProcess.spawn(
            executable, arguments, environment: environment, directory: directory, stdin: stdin,
            stdout: stdoutURL.path, stderr: stderrURL.path)
        return CapturedProcess(process: process, stdoutURL: stdoutURL, stderrURL: stderrURL)
    }

    /// Runs `executable` to the end (killed after `timeout` seconds) and returns what it printed.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        stdin: String = "/dev/null", outputs: URL = FileManager.default.temporaryDirectory, timeout: TimeInterval
    ) async throws -> CapturedOutput {
        try await start(
            executable, arguments, environment: environment, directory: directory, stdin: stdin, outputs: outputs
        ).finish(timeout: timeout)
    }

    /// Waits for the child to end, killing it after `timeout` seconds, and returns what it printed;
    /// the output files are removed.
    public func finish(timeout: TimeInterval) async -> CapturedOutput {
        let termination: ChildProcess.Termination
        let timedOut: Bool
        if let ended = await process.wait(timeout: timeout) {
            (termination, timedOut) = (ended, false)
        } else {
            (termination, timedOut) = (await process.kill(), true)
        }
        let stdout = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: stdoutURL)
        try? FileManager.default.removeItem(at: stderrURL)
        return CapturedOutput(termination: termination, timedOut: timedOut, stdout: stdout, stderr: stderr)
    }
}
