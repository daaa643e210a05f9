import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ports on 127.0.0.1 for the servers and services the tests start.
enum LoopbackPorts {
    typealias Failure = TwoServersTests.StackFailure

    /// A port nothing listens on, picked by the kernel (bound, read, released): servers started at once
    /// by parallel suites never share one, as random picks could.
    static func free() throws -> Int {
        let (fd, port) = try bound(to: 0)
        close(fd)
        return port
    }

    /// The first of `count` consecutive ports nothing listens on (SeaweedFS takes several), below the
    /// kernel's range for outgoing connections (32768 and up), so no client takes one meanwhile.
    static func consecutive(_ count: Int) throws -> Int {
        for _ in 0..<200 {
            let base = Int.random(in: 20_000...(32_000 - count))
            let free = (base..<base + count).allSatisfy { port in
                guard let socket = try? bound(to: port) else { return false }
                close(socket.fd)
                return true
            }
            if free { return base }
        }
        throw Failure("no \(count) free consecutive ports on 127.0.0.1")
    }

    /// A TCP socket bound to 127.0.0.1:`port` (0: one the kernel picks), and its port.
    private static func bound(to port: Int) throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            close(fd)
            throw Failure("cannot bind 127.0.0.1:\(port): errno \(code)")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
