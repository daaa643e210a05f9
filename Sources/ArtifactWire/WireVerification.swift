import ArtifactStore
import Foundation

/// What `verify` found, as the server answers it and `verify --json` prints it: the report, with its verdict.
public struct WireVerification: Encodable, Sendable {
    /// The verifier's report.
    public var report: VerificationReport

    /// Wraps a report.
    public init(report: VerificationReport) {
        self.report = report
    }

    /// The report's fields, then `clean`, `damagedVersions` and `reclaimableBytes`.
    public func encode(to encoder: Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(report.isClean, forKey: .clean)
        try container.encode(report.damagedVersions, forKey: .damagedVersions)
        try container.encode(report.reclaimableBytes, forKey: .reclaimableBytes)
    }

    enum Key: String, CodingKey { case clean, damagedVersions, reclaimableBytes }
}
