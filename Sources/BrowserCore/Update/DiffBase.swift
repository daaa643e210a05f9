import ArtifactStore

/// What the diff view compares its version with: `D` picks the marked version or the one
/// before; `:diff REF` names one, resolved in the store when the diff is loaded.
public enum DiffBase: Hashable, Sendable {
    /// The version before the target.
    case previous
    /// A version already in hand (the one marked with `m`).
    case version(ArtifactVersion)
    /// A reference typed on the command line: `vN`, `latest` or an alias of the same artifact.
    case reference(String)
}
