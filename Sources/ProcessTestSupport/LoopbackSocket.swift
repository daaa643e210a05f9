import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket on 127.0.0.1 for tests: a listener for a responder of the test's own, or a port
/// picked for a server or service the test starts.
public struct LoopbackSocket: Sendable {
    /// Why a socket could not be had, with the call and its errno.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The socket's descriptor; the caller closes it.
    public let descriptor: Int32
    /// The port it is bound to.
    public let port: Int

    /// A socket bound to 127.0.0.1:`port` (0: one the kernel picks), listening with `backlog` when given.
    public static func bound(to port: Int = 0, listening backlog: Int32? = nil) throws(Failure) -> LoopbackSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && backlog.map { listen(fd, $0) == 0 } != false
                    && getsockname(fd, generic, &length) == 0
            }
        }
        guard ready else {
            let code = errno
            close(fd)
            throw Failure(description: "cannot \(backlog == nil ? "bind" : "listen on") 127.0.0.1:\(port): errno \(code)")
        }
        return LoopbackSocket(descriptor: fd, port: Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A port nothing listens on, below the kernel's range for outgoing connections. A port the kernel
    /// picks (bind to 0, read, release) is in that range, and a connection another test opens meanwhile
    /// (to PostgreSQL, SeaweedFS, a server) may take it as its own end before the server binds it: a
    /// server failed so, "address already in use", in a full run.
    public static func freePort() throws(Failure) -> Int {
        try freeConsecutivePorts(1)
    }

    /// The first of `count` consecutive ports nothing listens on (SeaweedFS takes several), below the
    /// kernel's range for outgoing connections (32768 and up), so no client takes one meanwhile.
    public static func freeConsecutivePorts(_ count: Int) throws(Failure) -> Int {
        for _ in 0..<200 {
            let base = Int.random(in: 20_000...(32_000 - count))
            let free = (base..<base + count).allSatisfy { port in
                guard let socket = try? bound(to: port) else { return false }
                close(socket.descriptor)
                return true
            }
            if free { return base }
        }
        throw Failure(description: "no \(count) free consecutive ports on 127.0.0.1")
    }
}
