import ArtifactStore
import Foundation

/// The answer of `GET …/versions/{version}/diff`: what changed from the base version to this one,
/// files compared by digest in the catalog (no content read).
public struct WireDiff: Codable, Sendable, Equatable {
    /// The older version, compared against.
    public var base: WireVersion
    /// The version the request named.
    public var target: WireVersion
    /// Changed files, sorted by path (the target's, or the base's for removed files).
    public var files: [WireFileChange]
    /// Changed metadata keys (nested keys joined by dots), sorted.
    public var metadata: [WireMetadataChange]
    /// Whether the descriptions differ (both are in `base` and `target`).
    public var descriptionChanged: Bool
    /// Aliases the target has and the base has not.
    public var aliasesAdded: [String]
    /// Aliases the base has and the target has not.
    public var aliasesRemoved: [String]

    /// The shape of a core diff, with `base` and `target` already in their wire shape (the server
    /// names projects `ENTITY/PROJECT`).
    public init(_ diff: VersionDiff, base: WireVersion, target: WireVersion) {
        self.base = base
        self.target = target
        files = diff.files.map(WireFileChange.init)
        metadata = diff.metadata.map(WireMetadataChange.init)
        descriptionChanged = diff.descriptionChanged
        aliasesAdded = diff.aliasesAdded
        aliasesRemoved = diff.aliasesRemoved
    }
}

/// One changed file: its entry in the base (absent when added), in the target (absent when removed), or both.
public struct WireFileChange: Codable, Sendable, Equatable {
    /// `added`, `removed`, `modified` or `renamed`.
    public var kind: FileChange.Kind
    /// The path in the target, or in the base for a removed file.
    public var path: String
    /// The file in the base version.
    public var base: ManifestEntry?
    /// The file in the target version.
    public var target: ManifestEntry?

    /// The shape of a core change.
    public init(_ change: FileChange) {
        kind = change.kind
        path = change.path
        base = change.base
        target = change.target
    }

    /// The core change again.
    public var fileChange: FileChange { FileChange(kind: kind, base: base, target: target) }
}

/// One changed metadata key. `base` is absent when the key was added, `target` when it was removed;
/// a JSON `null` is a value like any other.
public struct WireMetadataChange: Codable, Sendable, Equatable {
    /// The dotted key, such as `train.lr`.
    public var key: String
    /// `added`, `removed` or `changed`.
    public var kind: MetadataDifference.Kind
    /// Its value in the base version.
    public var base: JSONValue?
    /// Its value in the target version.
    public var target: JSONValue?

    /// The shape of a core change.
    public init(_ change: MetadataDifference) {
        key = change.key
        kind = change.kind
        base = change.base
        target = change.target
    }

    /// The core change again.
    public var metadataDifference: MetadataDifference {
        MetadataDifference(key: key, kind: kind, base: base, target: target)
    }

    enum CodingKeys: String, CodingKey { case key, kind, base, target }

    /// Decodes `null` as the JSON value null, and only a missing member as no value.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decode(String.self, forKey: .key)
        kind = try container.decode(MetadataDifference.Kind.self, forKey: .kind)
        base = container.contains(.base) ? try container.decode(JSONValue.self, forKey: .base) : nil
        target = container.contains(.target) ? try container.decode(JSONValue.self, forKey: .target) : nil
    }

    /// Leaves out a side without a value, so `null` always means the JSON value.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(base, forKey: .base)
        try container.encodeIfPresent(target, forKey: .target)
    }
}
