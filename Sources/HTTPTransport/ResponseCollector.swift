import Foundation

/// Gathers one transfer's answer as libcurl delivers it: the status line and headers of the final
/// answer, and the body, either handed on to a receiver as it arrives (2xx answers) or collected in
/// one buffer sized from `Content-Length` up front, which becomes the response's `Data` without a copy.
final class ResponseCollector {
    private(set) var statusCode = 0
    private(set) var headers: [(name: String, value: String)] = []
    /// Bytes of header lines received so far, interim answers (`100 Continue`) included.
    private(set) var headerBytes = 0
    /// Whether the status line of an answer other than an interim one (1xx) has arrived: the answer
    /// has begun. A `100 Continue` that comes after the body (the server read it before saying so) does not.
    private(set) var answerStarted = false
    /// The receiver's error, which stopped the transfer.
    private(set) var receiverError: (any Error)?
    private let receiver: ((UnsafeRawBufferPointer) throws -> Void)?
    private var announcedLength = 0
    private var buffer: UnsafeMutableRawPointer?
    private var count = 0
    private var capacity = 0

    init(receiver: ((UnsafeRawBufferPointer) throws -> Void)?) {
        self.receiver = receiver
    }

    deinit { free(buffer) }

    /// One header line, CRLF included. A status line starts a new answer (after `100 Continue`, or a
    /// followed redirect): what came before is dropped.
    func header(_ line: UnsafeRawBufferPointer) {
        headerBytes += line.count
        var text = Substring(String(decoding: line, as: UTF8.self))
        // "\r\n" is one Character: ask whether it is a line break, not which.
        while text.last?.isNewline == true { text.removeLast() }
        if text.hasPrefix("HTTP/") {
            let parts = text.split(separator: " ", maxSplits: 2)
            statusCode = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            if !(100..<200).contains(statusCode) { answerStarted = true }
            headers.removeAll()
            announcedLength = 0
            return
        }
        guard let colon = text.firstIndex(of: ":") else { return }
        let name = String(text[..<colon])
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        headers.append((name, value))
        if name.caseInsensitiveCompare("Content-Length") == .orderedSame, let length = Int(value), length >= 0 {
            announcedLength = length
        }
    }

    /// Body bytes; false stops the transfer (the receiver threw, or memory ran out).
    func body(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if let receiver, (200..<300).contains(statusCode) {
            do {
                try receiver(bytes)
                return true
            } catch {
                receiverError = error
                return false
            }
        }
        guard !bytes.isEmpty else { return true }
        if count + bytes.count > capacity {
            // The announced length at once (capped: a header is no reason to reserve gigabytes), then doubling.
            let wanted = max(count + bytes.count, min(announcedLength, 1 << 30), capacity * 2)
            guard let grown = realloc(buffer, wanted) else { return false }
            buffer = grown
            capacity = wanted
        }
        (buffer! + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        count += bytes.count
        return true
    }

    /// The collected body, handed over without a copy.
    func takeBody() -> Data {
        guard let buffer, count > 0 else { return Data() }
        self.buffer = nil
        let body = Data(bytesNoCopy: buffer, count: count, deallocator: .free)
        count = 0
        capacity = 0
        return body
    }
}
