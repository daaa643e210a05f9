import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks that a TCP connection to the endpoint can be opened within the connect timeout.
///
/// URLSession on Linux has no connect timeout of its own (only an idle timeout), so a black-holed
/// endpoint would hang a request for the whole request timeout, once per retry. The probe makes
/// an unreachable endpoint fail within `connectTimeout`.
enum EndpointProbe {
    /// Nil when a connection succeeded; otherwise why it did not.
    static func failure(host: String, port: Int, timeout: TimeInterval) -> String? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            return "cannot resolve host \(host): \(String(cString: gai_strerror(status)))"
        }
        defer { freeaddrinfo(list) }
        let deadline = Date().addingTimeInterval(timeout)
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            defer { entry = address.pointee.ai_next }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return "connect timed out after \(formatted(timeout)) s" }
            switch connect(address.pointee, timeout: remaining) {
            case nil: return nil
            case let reason?: lastError = reason
            }
        }
        return lastError
    }

    private static func connect(_ address: addrinfo, timeout: TimeInterval) -> String? {
        let fd = socket(address.ai_family, address.ai_socktype, address.ai_protocol)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        if Glibc.connect(fd, address.ai_addr, address.ai_addrlen) == 0 { return nil }
        guard errno == EINPROGRESS else { return String(cString: strerror(errno)) }
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let ready = poll(&poller, 1, Int32(max(1, timeout * 1000)))
        if ready == 0 { return "connect timed out after \(formatted(timeout)) s" }
        if ready < 0 { return String(cString: strerror(errno)) }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0 ? nil : String(cString: strerror(error))
    }

    private static func formatted(_ seconds: TimeInterval) -> String {
        String(format: "%.1f", seconds)
    }
}
