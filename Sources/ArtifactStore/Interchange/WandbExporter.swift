import Foundation

/// Writes a version as the reference's client keeps an artifact on disk: its stored files, a
/// `wandb_manifest.json` whose digests are the files' base64 MD5s, and the sidecar
/// `wandb_artifact.json` with type, description and metadata.
///
/// Reference entries stay references (`ref`), with the digest the reference would record: the ETag
/// (and `extra.etag`, plus `extra.versionID` for an S3 object version), the URI when unchecked, or the
/// MD5 of the content for `file://`, read from the source and checked against its SHA-256 on the way.
public struct WandbExporter: Sendable {
    /// The store to read from.
    public let store: Store
    /// Reads references whose MD5 must be computed (recorded by SHA-256).
    public var references: ReferenceResolver

    /// Creates an exporter.
    public init(store: Store, references: ReferenceResolver = .local) {
        self.store = store
        self.references = references
    }

    /// Writes `version` under `root`; returns the manifest written.
    /// - Throws: `StoreError.conflictingPath` when the version holds a file named like the manifest or
    ///   sidecar, `.referenceChanged` when a referenced file no longer matches, and what a download throws.
    @discardableResult
    public func export(_ version: ArtifactVersion, to root: URL, cache: FileCache?) throws -> WandbManifest {
        let entries = try store.files(of: version)
        for name in [WandbManifest.fileName, WandbManifest.sidecarName] where entries.contains(where: { $0.path == name }) {
            throw StoreError.conflictingPath(path: name)
        }
        try store.download(version, to: root, cache: cache, references: nil)
        let rootPath = root.standardizedFileURL.path
        var contents: [String: WandbManifest.Entry] = [:]
        for entry in entries {
            if entry.isStored {
                let (digest, size) = try WandbImporter.md5(ofFileAt: rootPath + "/" + entry.path)
                contents[entry.path] = WandbManifest.Entry(digest: digest, size: size)
            } else {
                contents[entry.path] = try referenceEntry(entry)
            }
        }
        let manifest = WandbManifest(contents: contents)
        try write(manifest.jsonData(), to: rootPath + "/" + WandbManifest.fileName)
        let info = WandbArtifactInfo(type: version.type, description: version.description, metadata: version.metadata)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try write(encoder.encode(info), to: rootPath + "/" + WandbManifest.sidecarName)
        return manifest
    }

    /// The manifest entry the reference would record for a reference entry.
    private func referenceEntry(_ entry: ManifestEntry) throws -> WandbManifest.Entry {
        let reference = entry.reference!
        let isS3 = ["s3", "gs"].contains(reference.scheme)
        switch ReferenceChecksum(digest: entry.digest) {
        case .unchecked(let uri):
            return WandbManifest.Entry(digest: uri, size: entry.size, ref: reference.uri)
        case .md5(let base64):
            return WandbManifest.Entry(digest: base64, size: entry.size, ref: reference.uri)
        case .etag(let tag):
            // The reference keeps S3's ETag unquoted in `extra`, an HTTP one as the server sent it.
            var extra: [String: JSONValue] = ["etag": .string(isS3 ? tag : "\"\(tag)\"")]
            if let version = reference.objectVersion { extra["versionID"] = .string(version) }
            return WandbManifest.Entry(digest: tag, size: entry.size, ref: reference.uri, extra: extra)
        case .sha256:
            // Recorded by SHA-256: read it once for its MD5, and check it has not changed meanwhile.
            let source = try references.source(for: reference.uri)
            var sha256 = ContentHasher(like: ReferenceChecksum(digest: entry.digest))
            var md5 = ContentHasher(like: .md5(""))
            _ = try source.read(reference) { bytes in
                sha256.update(bytes)
                md5.update(bytes)
            }
            let current = sha256.finish()
            guard current.description == entry.digest else {
                throw StoreError.referenceChanged(
                    path: entry.path, uri: reference.uri, recorded: entry.digest, current: current.description)
            }
            guard case .md5(let base64) = md5.finish() else { fatalError("an MD5 hasher gives an MD5") }
            return WandbManifest.Entry(digest: base64, size: entry.size, ref: reference.uri)
        }
    }

    private func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw StoreError.io(operation: "write", path: path, reason: error.localizedDescription)
        }
    }
}
