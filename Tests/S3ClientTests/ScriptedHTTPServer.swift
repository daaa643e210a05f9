import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-thread HTTP/1.1 responder on 127.0.0.1 that answers each request with the next scripted
/// response (and then the last one again), closing the connection after each; records requests.
final class ScriptedHTTPServer: @unchecked Sendable {
    struct Response {
        var status: Int
        var headers: [String: String] = [:]
        var body: Data = Data()
        /// Accept the connection but never answer.
        var silent = false
    }

    struct Request {
        var head: String
        var body: Data
        var headers: [String: String]
        var requestLine: String { String(head.split(separator: "\r\n").first ?? "") }
    }

    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var script: [Response]
    private var received: [Request] = []
    private var held: [Int32] = []
    private var stopped = false
    /// Signalled when the serving thread has returned and no longer uses `listener`.
    private let served = DispatchSemaphore(value: 0)

    init(_ script: [Response]) throws {
        self.script = script
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in
            serve()
            served.signal()
        }
        thread.start()
    }

    var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }

    var requests: [Request] { lock.withLock { received } }

    func stop() {
        lock.withLock {
            stopped = true
            for fd in held { close(fd) }
            held = []
        }
        // Closed only once the serving thread is done with it: closed at once, its number could be given
        // to a server of a test running alongside, whose connections this thread's next `accept` would
        // then take and close unanswered ("Empty reply from server" there, one request short).
        shutdown(listener, Int32(SHUT_RDWR))
        if served.wait(timeout: .now() + 10) == .success { close(listener) }
    }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            // A signal (the test process's children ending) interrupts a blocked call: not an end.
            if connection < 0 && errno == EINTR { continue }
            if connection < 0 { return }
            guard let request = readRequest(connection) else { close(connection); continue }
            let response: Response? = lock.withLock {
                if stopped { return nil }
                received.append(request)
                return script.count > 1 ? script.removeFirst() : script.first
            }
            guard let response else { close(connection); return }
            if response.silent {
                lock.withLock { held.append(connection) }
                continue
            }
            var head = "HTTP/1.1 \(response.status) Status\r\nContent-Length: \(response.body.count)\r\nConnection: close\r\n"
            for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
            head += "\r\n"
            var bytes = Data(head.utf8)
            if !request.requestLine.hasPrefix("HEAD ") { bytes += response.body }
            bytes.withUnsafeBytes { _ = send(connection, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
            shutdown(connection, Int32(SHUT_WR))
            close(connection)
        }
    }

    private func readRequest(_ fd: Int32) -> Request? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let end = data.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: data[..<end.lowerBound], as: UTF8.self)
                var headers: [String: String] = [:]
                for line in head.split(separator: "\r\n").dropFirst() {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2 {
                        headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
                    }
                }
                let length = Int(headers["content-length"] ?? "0") ?? 0
                var body = Data(data[end.upperBound...])
                while body.count < length {
                    let n = Self.receive(fd, &buffer)
                    if n <= 0 { return nil }
                    body += buffer[0..<n]
                }
                return Request(head: head, body: body, headers: headers)
            }
            let n = Self.receive(fd, &buffer)
            if n <= 0 { return nil }
            data += buffer[0..<n]
        }
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
