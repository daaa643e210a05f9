import ArtifactStore

/// `a`: typing an alias for a version.
public struct AliasInputDialog: Hashable, Sendable {
    /// The version that gets the alias.
    public var version: ArtifactVersion
    /// The alias typed so far.
    public var field = TextField()
    /// Why the last attempt was refused, shown in place.
    public var error: String?
    /// Whether the alias is being checked against the store.
    public var checking = false
}

/// Asks before taking an alias that another version of the artifact holds.
public struct AliasMoveDialog: Hashable, Sendable {
    /// The version that gets the alias.
    public var version: ArtifactVersion
    /// The alias.
    public var alias: String
    /// The version that holds it now.
    public var holder: ArtifactVersion
    /// 0 = Move, 1 = Cancel. Starts on Cancel.
    public var focus = 1
}

/// `x`: picking one of a version's hand-set aliases to remove.
public struct AliasRemoveDialog: Hashable, Sendable {
    /// The version.
    public var version: ArtifactVersion
    /// Its hand-set aliases (`latest` is managed and not offered).
    public var aliases: [String]
    /// The highlighted alias.
    public var cursor = 0
}
