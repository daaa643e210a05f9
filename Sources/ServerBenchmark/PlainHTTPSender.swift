import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Sends one request with a large body over a plain `http://` connection with blocking socket writes.
///
/// The benchmark sends its packs (tens of MiB each) this way because Foundation's URLSession on
/// Linux feeds a body to libcurl through libdispatch sources in small pieces: measured here, that
/// machinery cost more CPU than cutting, hashing and compressing the data set together (15 of 16.6 CPU
/// seconds for 340 MiB of packs), which would make the benchmark measure URLSession instead of the server
/// and the protocol. The requests and answers are the same as over URLSession.
enum PlainHTTPSender {
    /// Sends `method url` with `headers` and `body`, and returns the answer's status and body.
    static func send(_ method: String, _ url: URL, headers: [String: String], body: [UInt8]) throws -> (Int, Data) {
        guard url.scheme == "http", let host = url.host else {
            throw BenchmarkFailure("\(url): only http:// URLs are sent over a plain socket")
        }
        let socket = try connect(host: host, port: url.port ?? 80)
        defer { close(socket) }
        var head = "\(method) \(url.path) HTTP/1.1\r\nHost: \(host):\(url.port ?? 80)\r\n"
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try write(socket, Array(head.utf8))
        try write(socket, body)
        return try readAnswer(socket)
    }

    private static func connect(host: String, port: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else {
            throw BenchmarkFailure("cannot resolve \(host)")
        }
        defer { freeaddrinfo(found) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            let socket = Glibc.socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            if socket >= 0 {
                if Glibc.connect(socket, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return socket }
                close(socket)
            }
            entry = address.pointee.ai_next
        }
        throw BenchmarkFailure("cannot connect to \(host):\(port): \(String(cString: strerror(errno)))")
    }

    private static func write(_ socket: Int32, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let written = Glibc.send(socket, raw.baseAddress! + done, raw.count - done, Int32(MSG_NOSIGNAL))
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else {
                    throw BenchmarkFailure("sending the request failed: \(String(cString: strerror(errno)))")
                }
                done += written
            }
        }
    }

    /// Reads the whole answer (the connection closes after it) and splits status, headers and body.
    private static func readAnswer(_ socket: Int32) throws -> (Int, Data) {
        var answer = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw BenchmarkFailure("reading the answer failed: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            answer.append(contentsOf: buffer[0..<count])
        }
        guard let end = answer.firstRange(of: Data("\r\n\r\n".utf8)),
              let head = String(data: answer[..<end.lowerBound], encoding: .utf8)
        else { throw BenchmarkFailure("the answer has no complete HTTP head") }
        let statusLine = head.split(separator: "\r\n").first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw BenchmarkFailure("the answer's status line is \"\(statusLine)\"")
        }
        var body = Data(answer[end.upperBound...])
        if head.lowercased().contains("transfer-encoding: chunked") { body = try dechunk(body) }
        return (status, body)
    }

    private static func dechunk(_ data: Data) throws -> Data {
        var body = Data()
        var rest = data[...]
        while let lineEnd = rest.firstRange(of: Data("\r\n".utf8)) {
            let sizeText = String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw BenchmarkFailure("a chunked answer has a bad chunk size \"\(sizeText)\"")
            }
            if size == 0 { break }
            let start = lineEnd.upperBound
            guard rest.distance(from: start, to: rest.endIndex) >= size else { throw BenchmarkFailure("a chunked answer is cut short") }
            let stop = rest.index(start, offsetBy: size)
            body.append(rest[start..<stop])
            let next = rest.index(stop, offsetBy: 2, limitedBy: rest.endIndex) ?? rest.endIndex
            rest = rest[next...]
        }
        return body
    }
}
