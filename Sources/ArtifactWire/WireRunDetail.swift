import ArtifactStore
import Foundation

/// A run with the versions it used and logged, as the server answers it and `run show --json` prints it.
public struct WireRunDetail: Codable, Sendable, Equatable {
    public var run: WireRun
    /// `project/name:vN` of each version used, with ` (deleted)` for a tombstone.
    public var used: [String]
    /// `project/name:vN` of each version logged, with ` (deleted)` for a tombstone.
    public var logged: [String]
    /// The same versions in full (deleted ones with `"state": "deleted"`), so a script needs no `show` per version.
    public var usedVersions: [WireVersion]
    public var loggedVersions: [WireVersion]

    /// Makes the shape from the run and the shapes of its versions (whose `project` is already as shown).
    public init(run: WireRun, used: [WireVersion], logged: [WireVersion]) {
        self.run = run
        self.used = used.map(Self.lineageName)
        self.logged = logged.map(Self.lineageName)
        usedVersions = used
        loggedVersions = logged
    }

    private static func lineageName(_ version: WireVersion) -> String {
        "\(version.project)/\(version.name):\(version.version)"
            + (version.state == VersionState.deleted.rawValue ? " (deleted)" : "")
    }
}
