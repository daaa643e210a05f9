import ArtifactStore

/// `M`: setting one metadata key to a JSON value, or removing a key.
public struct MetadataDialog: Hashable, Sendable {
    /// The version.
    public var version: ArtifactVersion
    /// The key typed or picked.
    public var key = TextField()
    /// The value as JSON text.
    public var value = TextField()
    /// 0 = key field, 1 = value field.
    public var focus = 0
    /// The existing key picked with ↑/↓, as an index into `keys`.
    public var picked: Int?
    /// Why the last attempt was refused, shown in place.
    public var error: String?

    /// Opens the editor on a version's metadata.
    public init(version: ArtifactVersion) {
        self.version = version
    }

    /// The version's keys, sorted.
    public var keys: [String] { version.metadata.keys.sorted() }
}
