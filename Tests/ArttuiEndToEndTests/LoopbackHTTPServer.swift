import Foundation
import ProcessTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A Python `http.server` serving a directory on 127.0.0.1, with or without ETags, started and
/// stopped by the test that needs it. Every request is logged as `METHOD PATH` for assertions.
final class LoopbackHTTPServer: @unchecked Sendable {
    /// Where files are served from.
    let root: URL
    /// `http://127.0.0.1:PORT`.
    let baseURL: String
    private let process: ChildProcess
    private let log: URL

    private static let script = """
        import hashlib, http.server, os, sys
        root, mode, portfile, logfile = sys.argv[1:5]
        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=root, **kwargs)
            def end_headers(self):
                path = self.translate_path(self.path)
                if mode == "etag" and os.path.isfile(path):
                    with open(path, "rb") as f:
                        self.send_header("ETag", '"%s"' % hashlib.sha1(f.read()).hexdigest())
                super().end_headers()
            def log_message(self, format, *args):
                with open(logfile, "a") as f:
                    f.write("%s %s\\n" % (self.command, self.path))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        with open(portfile + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(portfile + ".tmp", portfile)
        server.serve_forever()
        """

    /// Starts serving `root`; `etags` makes every file answer with an ETag (SHA-1 of its content).
    init(serving root: URL, etags: Bool, in sandbox: Sandbox) async throws {
        self.root = root
        let name = "http-\(etags ? "etag" : "plain")-\(UUID().uuidString.prefix(8))"
        let script = try sandbox.write("\(name).py", Data(Self.script.utf8))
        let portFile = sandbox.path("\(name).port")
        log = sandbox.path("\(name).log")
        process = try ChildProcess.spawn(
            "/usr/bin/python3", [script.path, root.path, etags ? "etag" : "plain", portFile.path, log.path],
            stderr: sandbox.path("\(name).err").path)
        let deadline = Date().addingTimeInterval(15)
        while !FileManager.default.fileExists(atPath: portFile.path) {
            guard Date() < deadline, process.isRunning else {
                await process.kill()
                throw POSIXError(.ETIMEDOUT, userInfo: [NSLocalizedDescriptionKey: "the HTTP server did not start"])
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let port = try String(contentsOf: portFile, encoding: .utf8)
        baseURL = "http://127.0.0.1:\(port)"
    }

    /// Stops the server (by its process id), without waiting: it is for `defer`.
    func stop() {
        process.terminateInBackground(grace: 5)
    }

    deinit { stop() }

    /// The requests served so far, as `METHOD PATH` lines.
    var requests: [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Forgets the requests logged so far.
    func clearLog() { try? FileManager.default.removeItem(at: log) }
}
