import ArtifactStore
import ArtifactWire
@testable import ArttuiServer
import Foundation
import HummingbirdTesting
import Testing
#if canImport(Glibc)
import Glibc

/// `Expect: 100-continue` on a real connection: `100 Continue` when the handler reads the body, a final
/// 4xx at once (and the connection closed) when it refuses the request first.
@Suite(.enabled(if: ServerFixture.enabled)) struct ExpectContinueTests {
    /// A blocking loopback connection that speaks raw HTTP/1.1.
    final class Connection {
        let socket: Int32

        init(port: Int) throws {
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            // As long as the test server waits for PostgreSQL: with every suite running at once, the
            // first answer can take more than a few seconds; a complete answer ends the read earlier.
            var timeout = timeval(tv_sec: Int(ServerFixture.databaseTimeout.components.seconds), tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        }

        deinit { close(socket) }

        func send(_ bytes: [UInt8]) {
            var sent = 0
            while sent < bytes.count {
                let count = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { return }
                sent += count
            }
        }

        /// Reads until `text` contains a whole response head (and `body` bytes after it), or the peer stops.
        func receive(until complete: (String) -> Bool) -> String {
            var received = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 65536)
            while !complete(String(decoding: received, as: UTF8.self)) {
                let count = recv(socket, &buffer, buffer.count, 0)
                guard count > 0 else { break }
                received += buffer[..<count]
            }
            return String(decoding: received, as: UTF8.self)
        }
    }

    private func head(_ path: String, token: String, length: Int) -> [UInt8] {
        Array("""
            PUT \(path) HTTP/1.1\r
            Host: 127.0.0.1\r
            Authorization: Bearer \(token)\r
            Content-Type: application/octet-stream\r
            Content-Length: \(length)\r
            Expect: 100-continue\r
            \r

            """.utf8)
    }

    @Test func aPackUploadGets100ContinueAndARefusedOneAnEarlyFinalAnswer() async throws {
        try await ServerFixture.run(.live) { client, accounts, _ in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            let port = try #require(client.port)
            let started = try await alice.send(.post, "/api/v1/projects/alice/vision/uploads")
            let upload = try alice.decode(UploadCreated.self, started).upload
            let path = "/api/v1/projects/alice/vision/uploads/\(upload)/packs"
            let files = ["a.txt": Data("expect continue\n".utf8)]
            let prepared = PreparedUpload(files: files)
            let pack = prepared.pack(prepared.chunkOrder)
            let token = try #require(alice.token)

            let accepted = try Connection(port: port)
            accepted.send(head(path, token: token, length: pack.count))
            let interim = accepted.receive { $0.contains("\r\n\r\n") }
            #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n"))
            accepted.send(pack)
            let final = accepted.receive { $0.contains("\r\n\r\n") && $0.contains("}") }
            #expect(final.hasPrefix("HTTP/1.1 201 Created"))

            // Refused before the body is read: no 100, the final answer at once, the connection closed.
            let refused = try Connection(port: port)
            refused.send(head(path, token: "not-a-token", length: pack.count))
            let unauthorized = refused.receive { $0.contains("\r\n\r\n") && $0.contains("}") }
            #expect(unauthorized.hasPrefix("HTTP/1.1 401 Unauthorized"))
            #expect(unauthorized.lowercased().contains("connection: close"))

            let tooLarge = try Connection(port: port)
            tooLarge.send(head(path, token: token, length: ServerLimits.maxPackBytes + 1))
            let answer = tooLarge.receive { $0.contains("\r\n\r\n") && $0.contains("}") }
            #expect(answer.hasPrefix("HTTP/1.1 413"))
            #expect(answer.contains("the limit is \(ServerLimits.maxPackBytes) bytes"))

            // The pack sent after the 100 is staged: the commit finds every chunk.
            let commit = try await alice.send(
                .post, "/api/v1/projects/alice/vision/uploads/\(upload)/commit",
                json: prepared.commit(artifact: "data", type: "dataset"))
            #expect(commit.status == .created)
        }
    }
}
#endif
