import Foundation
import Testing

/// `arttui-server serve` refuses to serve plain HTTP beyond loopback, and bad flags, before it
/// touches any service.
@Suite struct ServeCommandTests {
    @Test func plainHTTPBeyondLoopbackNeedsInsecureHTTP() throws {
        let open = try AdminCommandTests.run(["serve", "--listen", "0.0.0.0:18449"], databaseURL: "postgres://nobody@127.0.0.1:1/x")
        #expect(open.status == 1)
        #expect(open.stderr == "arttui-server: without --tls-cert and --tls-key the server listens only on loopback; give --insecure-http to serve plain HTTP on 0.0.0.0\n")
        let half = try AdminCommandTests.run(
            ["serve", "--listen", "127.0.0.1:18449", "--tls-cert", "/nonexistent.pem"], databaseURL: "postgres://nobody@127.0.0.1:1/x")
        #expect(half.status == 1)
        #expect(half.stderr.contains("--tls-cert and --tls-key go together"))
        let listen = try AdminCommandTests.run(["serve", "--listen", "nowhere"], databaseURL: "postgres://nobody@127.0.0.1:1/x")
        #expect(listen.status == 1)
        #expect(listen.stderr.contains("--listen nowhere must be HOST:PORT"))
    }
}
