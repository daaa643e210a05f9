import Foundation
import ProcessTestSupport

/// A small HTTP/1.1 server in Python's standard library, started per test on a free loopback port:
/// fixed-length and chunked bodies, error statuses, a redirect, a request that is never answered, an
/// answer that stalls, one that trickles, one that comes after silent work, and an echo that reports what a request sent. nil (with a printed reason) when python3 is missing.
final class TestServer: @unchecked Sendable {
    let port: Int
    private let process: ChildProcess
    private let output: URL

    var base: String { "http://127.0.0.1:\(port)" }

    func url(_ path: String) -> URL { URL(string: base + path)! }

    private init(port: Int, process: ChildProcess, output: URL) {
        self.port = port
        self.process = process
        self.output = output
    }

    /// Starts a server and waits (suspended, not blocking a thread) until it prints its port.
    static func start() async throws -> TestServer? {
        guard let python = SystemProgram.path("python3") else {
            print("skipped: python3 not found")
            return nil
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("http-test-server-\(UUID().uuidString)")
        let process = try ChildProcess.spawn(python, ["-c", script], stdout: output.path)
        for _ in 0..<1_000 {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n", omittingEmptySubsequences: false).first, text.contains("\n") {
                guard let port = Int(line) else { break }
                return TestServer(port: port, process: process, output: output)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        await process.kill()
        try? FileManager.default.removeItem(at: output)
        throw TestServerError(message: "the test server printed no port")
    }

    deinit {
        process.send(SIGKILL)
        process.reapInBackground()
        try? FileManager.default.removeItem(at: output)
    }

    /// Ends the server process and waits until it has; its port is free afterwards.
    func stop() async {
        await process.kill()
    }

    /// The bytes `/bytes?n=N` and `/chunked?n=N` send: 0, 1, ... 250, 0, 1, ...
    static func pattern(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8($0 % 251) }
    }

    private static let script = #"""
import hashlib, http.server, json, sys, time, urllib.parse

PATTERN = bytes(range(251))

def pattern(n):
    return (PATTERN * (n // 251 + 1))[:n]

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_expect_100(self):
        # /late-continue says "100 Continue" only once it has read the body, as a server does that
        # looks the request up before reading it; libcurl sends the body after a second anyway.
        if self.path.startswith("/late-continue"):
            return True
        return super().handle_expect_100()

    def send_body(self, status, body, content_type="application/octet-stream", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def route(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/bytes":
            return self.send_body(200, pattern(int(query["n"])), extra=[("ETag", '"abc"')])
        if url.path == "/chunked":
            n = int(query["n"])
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            data = pattern(n)
            for start in range(0, n, 100_000):
                piece = data[start:start + 100_000]
                self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        if url.path.startswith("/status/"):
            code = int(url.path.split("/")[2])
            return self.send_body(code, b"problem %d" % code, "text/plain")
        if url.path == "/redirect":
            return self.send_body(302, b"", extra=[("Location", "/bytes?n=10")])
        if url.path == "/silent":
            time.sleep(30)
            return
        if url.path == "/stall":
            # Headers and the body's first bytes, then nothing.
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(pattern(10))
            self.wfile.flush()
            time.sleep(30)
            return
        if url.path == "/trickle":
            # `pieces` pieces of `n` bytes, one every `every` seconds.
            n, pieces, every = int(query["n"]), int(query["pieces"]), float(query["every"])
            data = pattern(n * pieces)
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.flush()
            for start in range(0, len(data), n):
                time.sleep(every)
                self.wfile.write(data[start:start + n])
                self.wfile.flush()
            return
        if url.path == "/work":
            # Reads the whole request, works `seconds` in silence, then answers.
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length) if length else b""
            time.sleep(float(query["seconds"]))
            return self.send_body(200, b"worked on %d bytes" % len(body), "text/plain")
        if url.path == "/late-continue":
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length) if length else b""
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            self.wfile.flush()
            time.sleep(float(query["seconds"]))
            return self.send_body(200, b"worked on %d bytes" % len(body), "text/plain")
        if url.path == "/echo":
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length) if length else b""
            answer = {
                "method": self.command, "length": length, "sha256": hashlib.sha256(body).hexdigest(),
                "contentType": self.headers.get("Content-Type"), "peerPort": self.client_address[1],
                "custom": self.headers.get("X-Custom"),
            }
            return self.send_body(200, json.dumps(answer).encode(), "application/json")
        self.send_body(404, b"no route", "text/plain")

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = route

class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that stops reading (a test of that) is no error here

server = Server(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""#
}

struct TestServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
