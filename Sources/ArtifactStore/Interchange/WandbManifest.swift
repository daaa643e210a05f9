import Foundation

/// The reference system's `wandb_manifest.json`, version 1, as its client writes and reads it.
public struct WandbManifest: Codable, Equatable, Sendable {
    /// One entry: the base64 MD5 of a file (or a reference's ETag or URI), its size, and for a
    /// reference the URI it points at.
    public struct Entry: Codable, Equatable, Sendable {
        /// Base64 MD5 of the content; for a reference its ETag (unquoted) or the URI itself.
        public var digest: String
        /// Size in bytes (the reference's client may leave it out for a reference).
        public var size: Int64?
        /// The URI of a reference entry.
        public var ref: String?
        /// Scheme-specific extras (`etag`, `versionID` for S3).
        public var extra: [String: JSONValue]?
        /// The artifact the entry was first logged in, by the reference's id.
        public var birthArtifactID: String?

        /// Creates an entry.
        public init(digest: String, size: Int64?, ref: String? = nil, extra: [String: JSONValue]? = nil) {
            self.digest = digest
            self.size = size
            self.ref = ref
            self.extra = extra
        }
    }

    /// The manifest format: 1.
    public var version: Int
    /// `wandb-storage-policy-v1`.
    public var storagePolicy: String
    /// The policy's settings, kept as they are.
    public var storagePolicyConfig: JSONValue?
    /// Entries by artifact path.
    public var contents: [String: Entry]

    /// The manifest's file name inside an artifact folder.
    public static let fileName = "wandb_manifest.json"
    /// The sidecar arttui writes beside it with the version's type, description and metadata,
    /// which the manifest does not carry.
    public static let sidecarName = "wandb_artifact.json"
    /// The only storage policy the reference writes.
    public static let storagePolicyName = "wandb-storage-policy-v1"

    /// Creates a manifest of the current format.
    public init(contents: [String: Entry]) {
        version = 1
        storagePolicy = Self.storagePolicyName
        storagePolicyConfig = .object(["storageLayout": .string("V2")])
        self.contents = contents
    }

    /// Reads and checks the manifest in `directory`.
    /// - Throws: `StoreError.io` when it cannot be read, `.invalidArgument` naming what is wrong.
    public static func read(from directory: URL) throws -> WandbManifest {
        let file = directory.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw StoreError.io(operation: "read", path: file.path, reason: "no such file")
        }
        let manifest: WandbManifest
        do {
            manifest = try JSONDecoder().decode(WandbManifest.self, from: data)
        } catch {
            throw StoreError.invalidArgument("\(file.path) is not a manifest: \(Self.explain(error))")
        }
        guard manifest.version == 1 else {
            throw StoreError.invalidArgument("\(file.path) has manifest version \(manifest.version); arttui reads version 1")
        }
        guard manifest.storagePolicy == storagePolicyName else {
            throw StoreError.invalidArgument(
                "\(file.path) has storagePolicy \(quoted(manifest.storagePolicy)); arttui reads \(storagePolicyName)")
        }
        return manifest
    }

    /// The manifest as JSON text, keys sorted, as stable as the reference's own output.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    private static func explain(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \(quoted((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(quoted(context.codingPath.map(\.stringValue).joined(separator: ".")))"
        case DecodingError.dataCorrupted(let context):
            return context.debugDescription
        default:
            return "\(error)"
        }
    }
}

/// The sidecar `wandb_artifact.json`: what the manifest leaves out.
public struct WandbArtifactInfo: Codable, Equatable, Sendable {
    /// The artifact's type.
    public var type: String?
    /// The version's description.
    public var description: String?
    /// The version's metadata.
    public var metadata: [String: JSONValue]?

    /// Creates the sidecar's content.
    public init(type: String?, description: String?, metadata: [String: JSONValue]?) {
        self.type = type
        self.description = description
        self.metadata = metadata
    }
}
