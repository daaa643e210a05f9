import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for tests of clients: each connection carries one request,
/// answered by `handler` on a thread of its own (so a handler that never answers blocks nothing else)
/// and then closed; every request is recorded for the test to inspect.
public final class LoopbackHTTPResponder: @unchecked Sendable {
    /// One request as received.
    public struct Request: Sendable {
        public var method: String
        public var target: String
        /// Header values by lower-cased name.
        public var headers: [String: String]
        public var body: Data
        /// The request exactly as it came over the wire.
        public var raw: Data

        /// The request line and headers, without the blank line that ends them.
        public var head: String {
            let end = raw.range(of: Data("\r\n\r\n".utf8))?.lowerBound ?? raw.endIndex
            return String(decoding: raw[..<end], as: UTF8.self)
        }

        /// `METHOD TARGET HTTP/1.1`.
        public var requestLine: String { String(head.split(separator: "\r\n").first ?? "") }

        /// `METHOD TARGET`, for comparing what a client asked for.
        public var summary: String { "\(method) \(target)" }
    }

    /// An answer: status, headers (Content-Length and Connection are added) and body, which a HEAD
    /// request does not get.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: Data

        public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        /// A JSON body.
        public static func json(_ status: Int, _ text: String) -> Answer {
            Answer(status: status, headers: ["Content-Type": "application/json"], body: Data(text.utf8))
        }

        /// An `application/problem+json` body with `detail`, as the team server answers a refusal.
        public static func problem(_ status: Int, _ detail: String) -> Answer {
            Answer(status: status, headers: ["Content-Type": "application/problem+json"],
                   body: Data(#"{"title":"Problem","status":\#(status),"detail":"\#(detail)"}"#.utf8))
        }
    }

    /// The port it listens on.
    public let port: Int
    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }

    private let listener: Int32
    private let handler: @Sendable (Request) -> Answer?
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var open: [Int32] = []
    private var stopped = false
    private var listenerClosed = false
    /// Signalled when the accepting thread has returned and no longer uses `listener`.
    private let acceptEnded = DispatchSemaphore(value: 0)

    /// Starts answering every request with `handler`; `nil` from it holds the connection open, never
    /// answered, until the responder stops.
    public init(handler: @escaping @Sendable (Request) -> Answer?) throws {
        self.handler = handler
        let socket = try LoopbackSocket.bound(listening: 64)
        listener = socket.descriptor
        port = socket.port
        Thread { [self] in
            acceptLoop()
            acceptEnded.signal()
        }.start()
    }

    /// Answers requests, in the order they arrive, with the script's answers one by one, and then
    /// with its last one again; a `nil` answer holds its connection open, never answered.
    public convenience init(script: [Answer?]) throws {
        let remaining = ScriptState(script)
        try self.init { _ in remaining.next() }
    }

    /// Serves the files under `root` to GET and HEAD (404 for anything else); with `etags`, each file's
    /// answer carries an ETag, the SHA-1 of its content.
    public convenience init(serving root: URL, etags: Bool) throws {
        try self.init { request in
            let path = request.target.split(separator: "?").first.map(String.init) ?? "/"
            let relative = path.removingPercentEncoding ?? path
            let file = root.appendingPathComponent(String(relative.drop { $0 == "/" }))
            guard ["GET", "HEAD"].contains(request.method), !relative.split(separator: "/").contains(".."),
                  let content = try? Data(contentsOf: file) else { return Answer(status: 404) }
            var headers = ["Content-Type": "application/octet-stream"]
            if etags { headers["ETag"] = "\"\(Insecure.SHA1.hash(data: content).map { String(format: "%02x", $0) }.joined())\"" }
            return Answer(status: 200, headers: headers, body: content)
        }
    }

    /// The requests received so far, in order.
    public var requests: [Request] { lock.withLock { recorded } }

    /// Forgets the requests received so far.
    public func forgetRequests() { lock.withLock { recorded = [] } }

    /// Stops answering, and returns once the listener is closed and its port free again (at most 10 s).
    /// Connections held unanswered are closed.
    public func stop() {
        let closeListener: Bool = lock.withLock {
            defer { stopped = true }
            for connection in open { shutdown(connection, Int32(SHUT_RDWR)) }
            return !stopped
        }
        guard closeListener else { return }
        // Closed only once the accepting thread is done with it: closed at once, its number could be given
        // to a responder of a test running alongside, whose connections this thread's next `accept` would
        // then take and answer with this responder's handler.
        shutdown(listener, Int32(SHUT_RDWR))
        if acceptEnded.wait(timeout: .now() + 10) == .success {
            lock.withLock {
                listenerClosed = true
                close(listener)
            }
        }
    }

    deinit { stop() }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            // A signal (the test process's children ending) interrupts a blocked call: not an end.
            if connection < 0 && errno == EINTR { continue }
            if connection < 0 { return }
            let refused: Bool = lock.withLock {
                if stopped { return true }
                open.append(connection)
                return false
            }
            if refused {
                close(connection)
                return
            }
            Thread { [self] in serve(connection) }.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer {
            lock.withLock {
                open.removeAll { $0 == connection }
                close(connection)
            }
        }
        guard let request = Self.readRequest(connection) else { return }
        lock.withLock { recorded.append(request) }
        guard let answer = handler(request) else {
            // Held until the responder stops, which shuts the connection down.
            var byte: UInt8 = 0
            while recv(connection, &byte, 1, 0) < 0 && errno == EINTR {}
            return
        }
        var head = "HTTP/1.1 \(answer.status) Answer\r\nContent-Length: \(answer.body.count)\r\nConnection: close\r\n"
        for (name, value) in answer.headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        var bytes = Data((head + "\r\n").utf8)
        if request.method != "HEAD" { bytes += answer.body }
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = send(connection, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 && errno == EINTR { continue }
                if sent <= 0 { return }
                offset += sent
            }
        }
        shutdown(connection, Int32(SHUT_WR))
    }

    /// The request on `connection`: its head, and as many body bytes as its Content-Length says.
    private static func readRequest(_ connection: Int32) -> Request? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        let separator = Data("\r\n\r\n".utf8)
        while data.range(of: separator) == nil {
            let count = receive(connection, &buffer)
            if count <= 0 { return nil }
            data.append(contentsOf: buffer[0..<count])
        }
        let headEnd = data.range(of: separator)!
        var lines = String(decoding: data[..<headEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while data.count - headEnd.upperBound < length {
            let count = receive(connection, &buffer)
            if count <= 0 { return nil }
            data.append(contentsOf: buffer[0..<count])
        }
        return Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers,
                       body: Data(data[headEnd.upperBound...]), raw: data)
    }

    /// `recv`, again when a signal interrupted it before any byte came.
    private static func receive(_ fd: Int32, _ buffer: inout [UInt8]) -> Int {
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            return count
        }
    }
}

/// The answers of a script not yet given, shared by the responder's threads.
private final class ScriptState: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [LoopbackHTTPResponder.Answer?]

    init(_ answers: [LoopbackHTTPResponder.Answer?]) { self.answers = answers }

    func next() -> LoopbackHTTPResponder.Answer? {
        lock.withLock { answers.count > 1 ? answers.removeFirst() : answers.first ?? nil }
    }
}
