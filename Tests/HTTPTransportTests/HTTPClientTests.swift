import Crypto
import Foundation
import HTTPTransport
import ProcessTestSupport
import Testing

/// The libcurl transport against a real (small) HTTP server on loopback. Its requests block their
/// thread (for seconds in the timeout tests): the suite runs on threads of its own (`.blockingCalls`).
@Suite("HTTP transport", .childProcesses, .blockingCalls)
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

    @Test("a Content-Length body arrives whole, with status and headers")
    func contentLength() async throws {
        guard let server = try await TestServer.start() else { return }
        let response = try client.send(HTTPRequest(method: "GET", url: server.url("/bytes?n=3000000")))
        #expect(response.statusCode == 200)
        #expect(response.value(forHTTPHeaderField: "content-length") == "3000000")
        #expect(response.value(forHTTPHeaderField: "ETag") == "\"abc\"")
        #expect(Array(response.body) == TestServer.pattern(3_000_000))
    }

    @Test("a chunked body arrives whole")
    func chunked() async throws {
        guard let server = try await TestServer.start() else { return }
        let response = try client.send(HTTPRequest(method: "GET", url: server.url("/chunked?n=1234567")))
        #expect(response.statusCode == 200)
        #expect(response.value(forHTTPHeaderField: "Transfer-Encoding") == "chunked")
        #expect(Array(response.body) == TestServer.pattern(1_234_567))
    }

    @Test("HEAD gets the headers and no body")
    func head() async throws {
        guard let server = try await TestServer.start() else { return }
        let response = try client.send(HTTPRequest(method: "HEAD", url: server.url("/bytes?n=5000")))
        #expect(response.statusCode == 200)
        #expect(response.value(forHTTPHeaderField: "Content-Length") == "5000")
        #expect(response.body.isEmpty)
    }

    @Test("an error status is an answer, with its body, not a thrown error")
    func errorStatus() async throws {
        guard let server = try await TestServer.start() else { return }
        let response = try client.send(HTTPRequest(method: "GET", url: server.url("/status/503")))
        #expect(response.statusCode == 503)
        #expect(!response.isSuccess)
        #expect(String(decoding: response.body, as: UTF8.self) == "problem 503")
        // Streaming: an error answer's body is collected, not handed to the receiver.
        var streamed = 0
        let streamedResponse = try client.send(HTTPRequest(method: "GET", url: server.url("/status/404"))) {
            streamed += $0.count
        }
        #expect(streamed == 0)
        #expect(String(decoding: streamedResponse.body, as: UTF8.self) == "problem 404")
    }

    @Test("a server that never answers times out after the idle timeout, and the total timeout bounds a request")
    func timeout() async throws {
        guard let server = try await TestServer.start() else { return }
        let idle = HTTPClient(settings: HTTPSettings(connectTimeout: 5, idleTimeout: 1))
        var started = Date()
        #expect {
            _ = try idle.send(HTTPRequest(method: "GET", url: server.url("/silent")))
        } throws: { ($0 as? HTTPTransportError)?.kind == .timedOut }
        var elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 0.9 && elapsed < 4, "took \(elapsed) s")

        let total = HTTPClient(settings: HTTPSettings(connectTimeout: 5, totalTimeout: 0.5))
        started = Date()
        #expect {
            _ = try total.send(HTTPRequest(method: "GET", url: server.url("/silent")))
        } throws: { ($0 as? HTTPTransportError)?.kind == .timedOut }
        elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 0.4 && elapsed < 3.5, "took \(elapsed) s")
    }

    @Test("an answer that stalls after its headers fails with a timeout within the idle timeout and a little")
    func stallAfterHeaders() async throws {
        guard let server = try await TestServer.start() else { return }
        let idle = HTTPClient(settings: HTTPSettings(connectTimeout: 5, idleTimeout: 1))
        let (caught, elapsed) = failure(of: HTTPRequest(method: "GET", url: server.url("/stall")), from: idle)
        #expect(caught?.kind == .timedOut, "\(String(describing: caught))")
        #expect(caught?.message.contains("nothing was sent or received for 1 s") == true, "\(String(describing: caught))")
        #expect(elapsed >= 0.95 && elapsed < 4, "took \(elapsed) s")

        // Sub-second limits are kept to the tenth of a second, not rounded up to whole seconds.
        let short = HTTPClient(settings: HTTPSettings(connectTimeout: 5, idleTimeout: 0.3))
        let (shortCaught, shortElapsed) = failure(of: HTTPRequest(method: "GET", url: server.url("/stall")), from: short)
        #expect(shortCaught?.kind == .timedOut)
        #expect(shortElapsed >= 0.28 && shortElapsed < 0.95, "took \(shortElapsed) s")
    }

    @Test("a slow answer that keeps moving is not cut short by the idle timeout, however long it takes")
    func slowButSteady() async throws {
        guard let server = try await TestServer.start() else { return }
        let idle = HTTPClient(settings: HTTPSettings(connectTimeout: 5, idleTimeout: 1))
        let started = Date()
        // 15 pieces of 7 bytes, one every 200 ms: 3 s in all, three times the idle timeout.
        let response = try idle.send(HTTPRequest(method: "GET", url: server.url("/trickle?n=7&pieces=15&every=0.2")))
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
            let worked = try idle.send(HTTPRequest(
                method: "POST", url: server.url("/work?seconds=1.5"), body: .bytes(body), answerTimeout: patience))
            #expect(String(decoding: worked.body, as: UTF8.self) == "worked on 100000 bytes")
        }
        let (caught, elapsed) = failure(
            of: HTTPRequest(method: "POST", url: server.url("/work?seconds=3"), body: .bytes(body)), from: idle)
        #expect(caught?.kind == .timedOut, "\(String(describing: caught))")
        #expect(caught?.message.contains("no answer came within 0.5 s") == true, "\(String(describing: caught))")
        #expect(elapsed >= 0.45 && elapsed < 3.5, "took \(elapsed) s")
        // The answer timeout bounds the work too.
        #expect {
            _ = try idle.send(HTTPRequest(
                method: "POST", url: server.url("/work?seconds=3"), body: .bytes(body), answerTimeout: 1))
        } throws: { ($0 as? HTTPTransportError)?.kind == .timedOut }
    }

    /// A `100 Continue` that comes after the body is not the answer: the server may still work in silence
    /// for as long as the answer timeout allows (a 250,000-file commit was cut off at the idle timeout).
    @Test("a late 100 Continue does not end the wait for the answer")
    func lateContinue() async throws {
        guard let server = try await TestServer.start() else { return }
        let idle = HTTPClient(settings: HTTPSettings(connectTimeout: 5, idleTimeout: 0.5))
        // Over 1 MiB, so libcurl asks `Expect: 100-continue` and sends the body after a second without it.
        let body = Data(repeating: 2, count: 2 << 20)
        let worked = try idle.send(HTTPRequest(
            method: "POST", url: server.url("/late-continue?seconds=1.5"), body: .bytes(body), answerTimeout: .infinity))
        #expect(worked.statusCode == 200)
        #expect(String(decoding: worked.body, as: UTF8.self) == "worked on \(2 << 20) bytes")
    }

    /// Sends a request that must fail: the error (nil if it did not fail) and the seconds it took.
    private func failure(of request: HTTPRequest, from client: HTTPClient) -> (HTTPTransportError?, TimeInterval) {
        let started = Date()
        do {
            _ = try client.send(request)
            return (nil, Date().timeIntervalSince(started))
        } catch {
            return (error, Date().timeIntervalSince(started))
        }
    }

    @Test("a port nobody listens on is unreachable at once, and the message says so")
    func connectionRefused() async throws {
        guard let server = try await TestServer.start() else { return }
        let port = server.port
        let url = URL(string: "http://127.0.0.1:\(port)/bytes?n=1")!
        await server.stop()
        let started = Date()
        do {
            _ = try client.send(HTTPRequest(method: "GET", url: url))
            Issue.record("a request to a closed port succeeded")
        } catch {
            #expect(error.kind == .unreachable)
            #expect(error.message.contains("127.0.0.1"), "\(error.message)")
        }
        #expect(Date().timeIntervalSince(started) < 4, "refused, not timed out (connect limit 5 s)")
    }

    @Test("a redirect is the answer unless following is asked for")
    func redirects() async throws {
        guard let server = try await TestServer.start() else { return }
        let refused = try client.send(HTTPRequest(method: "GET", url: server.url("/redirect")))
        #expect(refused.statusCode == 302)
        #expect(refused.value(forHTTPHeaderField: "Location") == "/bytes?n=10")
        let following = HTTPClient(settings: HTTPSettings(followsRedirects: true))
        let followed = try following.send(HTTPRequest(method: "GET", url: server.url("/redirect")))
        #expect(followed.statusCode == 200)
        #expect(Array(followed.body) == TestServer.pattern(10))
    }

    @Test("a large body streams to the receiver piece by piece, and a receiver's error stops it")
    func streaming() async throws {
        guard let server = try await TestServer.start() else { return }
        let size = 32 << 20
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
        #expect(response.statusCode == 200)
        #expect(response.body.isEmpty)
        #expect(received == size)
        #expect(pieces > 1)
        #expect(!mismatch)

        struct Enough: Error {}
        var seen = 0
        #expect(throws: Enough.self) {
            _ = try client.send(HTTPRequest(method: "GET", url: server.url("/bytes?n=\(size)"))) { piece in
                seen += piece.count
                if seen > 1 << 20 { throw Enough() }
            }
        }
        #expect(seen < size)
    }

    @Test("bodies go out from memory and from a file, with the method and headers asked for")
    func uploads() async throws {
        guard let server = try await TestServer.start() else { return }
        // Over 1 MiB, so libcurl asks `Expect: 100-continue` first.
        var bytes = Data(repeating: 7, count: 3 << 20)
        for index in stride(from: 0, to: bytes.count, by: 4093) { bytes[index] = UInt8(truncatingIfNeeded: index) }
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let put = try echo(client.send(HTTPRequest(
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
        let fromFile = try echo(client.send(HTTPRequest(
            method: "POST", url: server.url("/echo"), body: .file(path: file.path))))
        #expect(fromFile.method == "POST")
        #expect(fromFile.sha256 == digest)
        // No content type was named: curl's form type is not sent in its place.
        #expect(fromFile.contentType == nil)

        let empty = try echo(client.send(HTTPRequest(method: "PATCH", url: server.url("/echo"))))
        #expect(empty.method == "PATCH" && empty.length == 0)
        let deleted = try echo(client.send(HTTPRequest(method: "DELETE", url: server.url("/echo"))))
        #expect(deleted.method == "DELETE")

        #expect {
            _ = try client.send(HTTPRequest(method: "PUT", url: server.url("/echo"), body: .file(path: "/nonexistent/x")))
        } throws: { ($0 as? HTTPTransportError)?.kind == .invalidRequest }
    }

    @Test("one thread's requests reuse one connection")
    func keepAlive() async throws {
        guard let server = try await TestServer.start() else { return }
        let first = try echo(client.send(HTTPRequest(method: "GET", url: server.url("/echo"))))
        let second = try echo(client.send(HTTPRequest(method: "GET", url: server.url("/echo"))))
        #expect(first.peerPort == second.peerPort)
    }

    @Test("a URL that is not http(s) is refused before anything is sent")
    func otherSchemes() throws {
        #expect {
            _ = try client.send(HTTPRequest(method: "GET", url: URL(fileURLWithPath: "/etc/passwd")))
        } throws: { ($0 as? HTTPTransportError)?.kind == .invalidRequest }
    }
}
