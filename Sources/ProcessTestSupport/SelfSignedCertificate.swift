import Foundation

/// A self-signed certificate for 127.0.0.1 that `openssl` makes, for tests of a TLS server or client.
public struct SelfSignedCertificate: Sendable {
    /// Why a certificate could not be made: openssl's own words.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The certificate, PEM (it is its own CA: trust it with `--ca-cert` or `curl --cacert`).
    public let certificate: String
    /// Its private key, PEM.
    public let key: String

    /// Writes `cert.pem` and `key.pem` (a P-256 key, valid two days, for the IP 127.0.0.1) into
    /// `directory`; nil when openssl is missing.
    public static func make(in directory: URL) async throws -> SelfSignedCertificate? {
        guard let openssl = SystemProgram.path("openssl") else { return nil }
        let made = SelfSignedCertificate(
            certificate: directory.appendingPathComponent("cert.pem").path, key: directory.appendingPathComponent("key.pem").path)
        let run = try await CapturedProcess.run(openssl, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", made.key,
            "-out", made.certificate, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ], outputs: directory, timeout: 60)
        guard run.termination.succeeded, !run.timedOut else {
            throw Failure(description: "openssl req failed (\(run.termination)): \(run.stderr)")
        }
        return made
    }
}
