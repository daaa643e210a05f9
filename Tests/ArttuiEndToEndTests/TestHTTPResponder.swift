import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for transport tests: each connection gets one answer from
/// `handler`, on a thread of its own (so a handler that never answers blocks nothing else), and every
/// request is recorded for the test to inspect.
final class TestHTTPResponder: @unchecked Sendable {
    /// One request as received.
    struct Request: Sendable {
        var method: String
        var target: String
        var headers: [String: String]
        var body: Data
        /// The request exactly as it came over the wire.
        var raw: Data
    }

    /// An answer; `nil` from the handler means hold the connection open and never answer.
    struct Answer: Sendable {
        var status: Int
        var contentType: String
        var body: Data

        static func json(_ status: Int, _ text: String) -> Answer {
            Answer(status: status, contentType: "application/json", body: Data(text.utf8))
        }

        static func problem(_ status: Int, _ detail: String) -> Answer {
            Answer(status: status, contentType: "application/problem+json",
                   body: Data(#"{"title":"Problem","status":\#(status),"detail":"\#(detail)"}"#.utf8))
        }
    }

    let port: UInt16
    var url: String { "http://127.0.0.1:\(port)" }
    private let listener: Int32
    private let handler: @Sendable (Request) -> Answer?
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var open: [Int32] = []
    private var stopped = false
    /// Whether the accepting thread has closed `listener`, its number free for another socket.
    private var listenerClosed = false

    init(handler: @escaping @Sendable (Request) -> Answer?) throws {
        self.handler = handler
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(listener, socketAddress, length) == 0 && listen(listener, 16) == 0
                    && getsockname(listener, socketAddress, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        // The accepting thread closes the listener once `accept` fails: closed by `stop` instead, its
        // number could be given to a responder of a test running alongside, whose connections this
        // thread's next `accept` would then take and answer with this responder's handler.
        let thread = Thread { [self] in
            acceptLoop()
            lock.withLock {
                listenerClosed = true
                close(listener)
            }
        }
        thread.start()
    }

    /// The requests received so far.
    var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    /// Stops listening and drops every open connection, without waiting for the threads to notice;
    /// once only, since a descriptor shut down twice could by then belong to another responder of a
    /// test running alongside.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        // Wakes the accepting thread, which closes the listener.
        if !listenerClosed { shutdown(listener, Int32(SHUT_RDWR)) }
        // Each serving thread closes its own connection, under the lock; waking them is enough.
        for connection in open { shutdown(connection, Int32(SHUT_RDWR)) }
    }

    /// Stops, and returns once the listener is closed and its port free again (at most 10 s): for a
    /// test that takes the port for a server of its own.
    func stopAndReleasePort() async throws {
        stop()
        let deadline = Date().addingTimeInterval(10)
        while !lock.withLock({ listenerClosed }) && Date() < deadline { try await Task.sleep(for: .milliseconds(1)) }
    }

    deinit { stop() }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            lock.lock()
            open.append(connection)
            lock.unlock()
            Thread { [self] in serve(connection) }.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer {
            lock.lock()
            open.removeAll { $0 == connection }
            close(connection)
            lock.unlock()
        }
        guard let request = readRequest(connection) else { return }
        lock.lock()
        recorded.append(request)
        lock.unlock()
        guard let answer = handler(request) else {
            // Hold on until the test stops the responder.
            var byte: UInt8 = 0
            _ = recv(connection, &byte, 1, 0)
            return
        }
        var head = "HTTP/1.1 \(answer.status) Answer\r\nContent-Type: \(answer.contentType)\r\n"
        head += "Content-Length: \(answer.body.count)\r\nConnection: close\r\n\r\n"
        let bytes = Data(head.utf8) + answer.body
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = send(connection, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return }
                offset += sent
            }
        }
    }

    private func readRequest(_ connection: Int32) -> Request? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        let separator = Data("\r\n\r\n".utf8)
        while data.range(of: separator) == nil {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { return nil }
            data.append(contentsOf: buffer[0..<count])
        }
        let headEnd = data.range(of: separator)!
        let head = String(decoding: data[..<headEnd.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while data.count - headEnd.upperBound < length {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers,
                       body: Data(data[headEnd.upperBound...]), raw: data)
    }
}
