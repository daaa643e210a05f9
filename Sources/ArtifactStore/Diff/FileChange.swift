/// One file that differs between two versions: its entry in the older version (the base), in the newer
/// (the target), or both.
public struct FileChange: Hashable, Sendable {
    /// How the file changed.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// Only the target has it.
        case added
        /// Only the base has it.
        case removed
        /// Both have the path, with different content.
        case modified
        /// The same content moved to a new path: the base has `base.path`, the target `target.path`.
        case renamed
    }

    /// How the file changed.
    public var kind: Kind
    /// The file in the base version (nil when added).
    public var base: ManifestEntry?
    /// The file in the target version (nil when removed).
    public var target: ManifestEntry?

    /// Creates a change.
    public init(kind: Kind, base: ManifestEntry?, target: ManifestEntry?) {
        self.kind = kind
        self.base = base
        self.target = target
    }

    /// The path in the target, or in the base for a removed file.
    public var path: String { target?.path ?? base?.path ?? "" }

    /// Size in the target minus size in the base.
    public var sizeChange: Int64 { (target?.size ?? 0) - (base?.size ?? 0) }
}
