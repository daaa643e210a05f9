import ArtifactStore
import Foundation

/// The best run of a sweep and the versions it logged, as the server answers it and `sweep best --json` prints it.
public struct WireSweepBest: Codable, Sendable, Equatable {
    /// The best run.
    public var run: WireRun
    /// The versions it logged.
    public var artifacts: [WireVersion]

    /// Creates the shape.
    public init(run: WireRun, artifacts: [WireVersion]) {
        self.run = run
        self.artifacts = artifacts
    }
}
