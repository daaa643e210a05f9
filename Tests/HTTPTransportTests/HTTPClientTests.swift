import Crypto
import Foundation
import HTTPTransport
import ProcessTestSupport
import Testing

/// The libcurl transport against a real (small) HTTP server on loopback.
///
/// The transport blocks its thread for a whole request (seconds, in the timeout tests): every request
/// here runs on a thread of its own (`onOwnThread`), never on the two cooperative threads the whole
/// test process shares.
@Suite("HTTP transport", .childProcesses)
struct HTTPClientTests {
    private let client = HTTPClient(settings: HTTPSettings(connectTimeout: 5, idleTimeout: 10))

    /// What `/echo` reports about a request.
    private struct Echo: Decodable {
        var method: String
        var length: Int
        var sha256: String
        var contentType: String?
        var peerPort: Int
        var custom: String?
    }

    private func echo(_ response: HTTPResponse) throws -> Echo {
        try JSONDecoder().decode(Echo.self, from: response.body)
    }

    /// `request` sent by `client` (this suite's by default) on a thread of its own.
    private func send(_ request: HTTPRequest, with client: HTTPClient? = nil) async throws -> HTTPResponse {
        let client = client ?? self.client
        return try await onOwnThread { try client.send(request) }
    }

    @Test("a Content-Length body arrives whole, with status and headers")
    func contentLength() async throws {
        guard let server = try await TestServer.start() else { return }
        let response = try await send(HTTPRequest(method: "GET", url: server.url("/bytes?n=3000000")))
        #expect(response.statusCode == 200)
        #expect(response.value(forHTTPHeaderField: "content-length") == "3000000")
        #expect(response.value(forHTTPHeaderField: "ETag") == "\"abc\"")
        #expect(Array(response.body) == TestServer.pattern(3_000_000))
    }

    @Test("a chunked body arrives whole")
    func chunked() async throws {
        guard let server = try await TestServer.start() else { return }
        let response = try await send(HTTPRequest(method: "GET", url: server.url("/chunked?n=1234567")))
        #expect(response.statusCode == 200)
        #expect(response.value(forHTTPHeaderField: "Transfer-Encoding") == "chunked")
        #expect(Array(response.body) == TestServer.pattern(1_234_567))
    }

    @Test("HEAD gets the headers and no body")
    func head() async throws {
        guard let server = try await TestServer.start() else { return }
        let response = try await send(HTTPRequest(method: "HEAD", url: server.url("/bytes?n=5000")))
        #expect(response.statusCode == 200)
        #expect(response.value(forHTTPHeaderField: "Content-Length") == "5000")
        #expect(response.body.isEmpty)
    }

    @Test("an error status is an answer, with its body, not a thrown error")
    func errorStatus() async throws {
        guard let server = try await TestServer.start() else { return }
        let response = try await send(HTTPRequest(method: "GET", url: server.url("/status/503")))
        #expect(response.statusCode == 503)
        #expect(!response.isSuccess)
        #expect(String(decoding: response.body, as: UTF8.self) == "problem 503")
        // Streaming: an error answer's body is collected, not handed to the receiver.
        let client = client
        let (streamed, streamedResponse) = try await onOwnThread {
            var streamed = 0
            let response = try client.send(HTTPRequest(method: "GET", url: server.url("/status/404"))) {
                streamed += $0.count
            }
            return (streamed, response)
        }
        #expect(streamed == 0)
        #expect(String(decoding: streamedResponse.body, as: UTF8.self) == "problem 404")
    }

    @Test("a server that never answers times out after the idle timeout, and the total timeout bounds a request")
    func timeout() async throws {
        guard let server = try await TestServer.start() else { return }
        let idle = HTTPClient(settings: HTTPSettings(connectTimeout: 5, idleTimeout: 1))
        let (caught, elapsed) = await failure(of: HTTPRequest(method: "GET", url: server.url("/silent")), from: idle)
        #expect(caught?.kind == .timedOut, "\(String(describing: caught))")
        #expect(elapsed >= 0.9 && elapsed < 4, "took \(elapsed) s")

        let total = HTTPClient(settings: HTTPSettings(connectTimeout: 5, totalTimeout: 0.5))
        let (totalCaught, totalElapsed) = await failure(of: HTTPRequest(method: "GET", url: server.url("/silent")), from: total)
        #expect(totalCaught?.kind == .timedOut, "\(String(describing: totalCaught))")
        #expect(totalElapsed >= 0.4 && totalElapsed < 3, "took \(totalElapsed) s")
    }

    @Test("an answer that stalls after its headers fails with a timeout within the idle timeout and a little")
    func stallAfterHeaders() async throws {
        guard let server = try await TestServer.start() else { return }
        let idle = HTTPClient(settings: HTTPSettings(connectTimeout: 5, idleTimeout: 1))
        let (caught, elapsed) = await failure(of: HTTPRequest(method: "GET", url: server.url("/stall")), from: idle)
        #expect(caught?.kind == .timedOut, "\(String(describing: caught))")
        #expect(caught?.message.contains("nothing was sent or received for 1 s") == true, "\(String(describing: caught))")
        #expect(elapsed >= 0.95 && elapsed < 1.6, "took \(elapsed) s")

        // Sub-second limits are kept to the tenth of a second, not rounded up to whole seconds.
        let short = HTTPClient(settings: HTTPSettings(connectTimeout: 5, idleTimeout: 0.3))
        let (shortCaught, shortElapsed) = await failure(of: HTTPRequest(method: "GET", url: server.url("/stall")), from: short)
        #expect(shortCaught?.kind == .timedOut)
        #expect(shortElapsed >= 0.28 && shortElapsed < 0.8, "took \(shortElapsed) s")
    }

    @Test("a slow answer that keeps moving is not cut short by the idle timeout, however long it takes")
    func slowButSteady() async throws {
        guard let server = try await TestServer.start() else { return }
        let idle = HTTPClient(settings: HTTPSettings(connectTimeout: 5, idleTimeout: 1))
        let started = Date()
        // 15 pieces of 7 bytes, one every 200 ms: 3 s in all, three times the idle timeout.
        let response = try await send(HTTPRequest(method: "GET", url: server.url("/trickle?n=7&pieces=15&every=0.2")), with: idle)
        #expect(Date().timeIntervalSince(started) >= 2.9)
        #expect(response.statusCode == 200)
        #expect(Array(response.body) == TestServer.pattern(105))
    }

    @Test("a request's answer timeout lets the server work in silence before it answers; without it the idle timeout applies")
    func answerTimeout() async throws {
        guard let server = try await TestServer.start() else { return }
        let idle = HTTPClient(settings: HTTPSettings(connectTimeout: 5, idleTimeout: 0.5))
        let body = Data(repeating: 1, count: 100_000)
        for patience in [3, TimeInterval.infinity] {
            let worked = try await send(HTTPRequest(
                method: "POST", url: server.url("/work?seconds=1.5"), body: .bytes(body), answerTimeout: patience), with: idle)
            #expect(String(decoding: worked.body, as: UTF8.self) == "worked on 100000 bytes")
        }
        let (caught, elapsed) = await failure(
            of: HTTPRequest(method: "POST", url: server.url("/work?seconds=3"), body: .bytes(body)), from: idle)
        #expect(caught?.kind == .timedOut, "\(String(describing: caught))")
        #expect(caught?.message.contains("no answer came within 0.5 s") == true, "\(String(describing: caught))")
        #expect(elapsed >= 0.45 && elapsed < 1.2, "took \(elapsed) s")
        // The answer timeout bounds the work too.
        let (bounded, _) = await failure(
            of: HTTPRequest(method: "POST", url: server.url("/work?seconds=3"), body: .bytes(body), answerTimeout: 1), from: idle)
        #expect(bounded?.kind == .timedOut, "\(String(describing: bounded))")
    }

    /// Sends a request that must fail: the error (nil if it did not fail) and the seconds it took, both
    /// measured on the request's own thread, so a busy cooperative pool cannot add to them.
    private func failure(of request: HTTPRequest, from client: HTTPClient? = nil) async -> (HTTPTransportError?, TimeInterval) {
        let client = client ?? self.client
        return (try? await onOwnThread { () -> (HTTPTransportError?, TimeInterval) in
            let started = Date()
            do {
                _ = try client.send(request)
                return (nil, Date().timeIntervalSince(started))
            } catch {
                return (error as? HTTPTransportError, Date().timeIntervalSince(started))
            }
        }) ?? (nil, 0)
    }

    @Test("a port nobody listens on is unreachable at once, and the message says so")
    func connectionRefused() async throws {
        guard let server = try await TestServer.start() else { return }
        let port = server.port
        let url = URL(string: "http://127.0.0.1:\(port)/bytes?n=1")!
        await server.stop()
        let (caught, elapsed) = await failure(of: HTTPRequest(method: "GET", url: url))
        let error = try #require(caught, "a request to a closed port succeeded")
        #expect(error.kind == .unreachable)
        #expect(error.message.contains("127.0.0.1"), "\(error.message)")
        #expect(elapsed < 2)
    }

    @Test("a redirect is the answer unless following is asked for")
    func redirects() async throws {
        guard let server = try await TestServer.start() else { return }
        let refused = try await send(HTTPRequest(method: "GET", url: server.url("/redirect")))
        #expect(refused.statusCode == 302)
        #expect(refused.value(forHTTPHeaderField: "Location") == "/bytes?n=10")
        let following = HTTPClient(settings: HTTPSettings(followsRedirects: true))
        let followed = try await send(HTTPRequest(method: "GET", url: server.url("/redirect")), with: following)
        #expect(followed.statusCode == 200)
        #expect(Array(followed.body) == TestServer.pattern(10))
    }

    @Test("a large body streams to the receiver piece by piece, and a receiver's error stops it")
    func streaming() async throws {
        guard let server = try await TestServer.start() else { return }
        let size = 32 << 20
        let client = client
        let (response, received, pieces, mismatch) = try await onOwnThread {
            var received = 0
            var pieces = 0
            var mismatch = false
            let response = try client.send(HTTPRequest(method: "GET", url: server.url("/bytes?n=\(size)"))) { piece in
                // Each piece's first and last byte: a lost, repeated or reordered piece shows there.
                if piece.first != UInt8(received % 251) || piece.last != UInt8((received + piece.count - 1) % 251) {
                    mismatch = true
                }
                received += piece.count
                pieces += 1
            }
            return (response, received, pieces, mismatch)
        }
        #expect(response.statusCode == 200)
        #expect(response.body.isEmpty)
        #expect(received == size)
        #expect(pieces > 1)
        #expect(!mismatch)

        struct Enough: Error {}
        let (stopped, seen) = try await onOwnThread {
            var seen = 0
            do {
                _ = try client.send(HTTPRequest(method: "GET", url: server.url("/bytes?n=\(size)"))) { piece in
                    seen += piece.count
                    if seen > 1 << 20 { throw Enough() }
                }
                return (false, seen)
            } catch is Enough {
                return (true, seen)
            }
        }
        #expect(stopped)
        #expect(seen < size)
    }

    @Test("bodies go out from memory and from a file, with the method and headers asked for")
    func uploads() async throws {
        guard let server = try await TestServer.start() else { return }
        // Over 1 MiB, so libcurl asks `Expect: 100-continue` first.
        var bytes = Data(repeating: 7, count: 3 << 20)
        for index in stride(from: 0, to: bytes.count, by: 4093) { bytes[index] = UInt8(truncatingIfNeeded: index) }
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let put = try echo(await send(HTTPRequest(
            method: "PUT", url: server.url("/echo"),
            headers: [(name: "Content-Type", value: "application/octet-stream"), (name: "X-Custom", value: "yes")],
            body: .bytes(bytes))))
        #expect(put.method == "PUT")
        #expect(put.length == bytes.count)
        #expect(put.sha256 == digest)
        #expect(put.contentType == "application/octet-stream")
        #expect(put.custom == "yes")

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("http-transport-\(UUID().uuidString)")
        try bytes.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let fromFile = try echo(await send(HTTPRequest(
            method: "POST", url: server.url("/echo"), body: .file(path: file.path))))
        #expect(fromFile.method == "POST")
        #expect(fromFile.sha256 == digest)
        // No content type was named: curl's form type is not sent in its place.
        #expect(fromFile.contentType == nil)

        let empty = try echo(await send(HTTPRequest(method: "PATCH", url: server.url("/echo"))))
        #expect(empty.method == "PATCH" && empty.length == 0)
        let deleted = try echo(await send(HTTPRequest(method: "DELETE", url: server.url("/echo"))))
        #expect(deleted.method == "DELETE")

        let (missingFile, _) = await failure(
            of: HTTPRequest(method: "PUT", url: server.url("/echo"), body: .file(path: "/nonexistent/x")))
        #expect(missingFile?.kind == .invalidRequest, "\(String(describing: missingFile))")
    }

    @Test("one thread's requests reuse one connection")
    func keepAlive() async throws {
        guard let server = try await TestServer.start() else { return }
        // Both from one thread: connections are kept per thread.
        let client = client
        let (firstAnswer, secondAnswer) = try await onOwnThread {
            (try client.send(HTTPRequest(method: "GET", url: server.url("/echo"))),
             try client.send(HTTPRequest(method: "GET", url: server.url("/echo"))))
        }
        let first = try echo(firstAnswer)
        let second = try echo(secondAnswer)
        #expect(first.peerPort == second.peerPort)
    }

    @Test("a URL that is not http(s) is refused before anything is sent")
    func otherSchemes() async throws {
        let (caught, _) = await failure(of: HTTPRequest(method: "GET", url: URL(fileURLWithPath: "/etc/passwd")))
        #expect(caught?.kind == .invalidRequest, "\(String(describing: caught))")
    }
}
