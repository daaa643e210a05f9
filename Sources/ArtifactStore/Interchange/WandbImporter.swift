import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns an artifact folder the reference's client left on disk (its files and `wandb_manifest.json`)
/// into a draft, every file's MD5 checked against its entry before anything is stored.
///
/// Files are looked for in the folder, then in the reference's cache (`DIR/artifacts/obj/md5/XX/REST`,
/// `XX/REST` the hex of the MD5) when a cache directory is given. Entries with `ref` become reference
/// entries: an S3 or HTTP ETag stays an ETag (with the S3 version id), a `file://` MD5 stays an MD5,
/// and a digest equal to its URI stays unchecked.
public struct WandbImporter: Sendable {
    /// The artifact folder.
    public var directory: URL
    /// The reference's cache directory (`$WANDB_CACHE_DIR`), if files may be there.
    public var cacheDirectory: URL?

    /// Creates an importer for `directory`.
    public init(directory: URL, cacheDirectory: URL? = nil) {
        self.directory = directory
        self.cacheDirectory = cacheDirectory
    }

    /// A draft holding the folder's artifact, named `name`.
    ///
    /// Type, description and metadata come from the sidecar `wandb_artifact.json` when the folder has
    /// one; `type` and `metadata` given here win over it.
    /// - Throws: `StoreError.corruptData` naming the first file whose MD5 or size differs from its
    ///   entry, `.io` for a file found nowhere, `.invalidArgument` for a manifest arttui cannot read.
    public func draft(name: String, type: String?, metadata: [String: JSONValue]?) throws -> ArtifactDraft {
        let manifest = try WandbManifest.read(from: directory)
        let info = try readSidecar()
        var draft = ArtifactDraft(
            name: name, type: type ?? info?.type ?? "dataset", description: info?.description ?? "",
            metadata: metadata ?? info?.metadata ?? [:])
        var references: [ManifestEntry] = []
        for (path, entry) in manifest.contents.sorted(by: { ByteOrder.precedes($0.key, $1.key) }) {
            try ManifestPath.validate(path)
            if let algorithm = entry.extra?["alg"], algorithm != .string("MD5") {
                throw StoreError.invalidArgument("entry \(quoted(path)) uses digest algorithm \(algorithm.jsonText); arttui reads MD5")
            }
            if let ref = entry.ref {
                references.append(try Self.reference(path: path, entry: entry, ref: ref))
                continue
            }
            let file = try locate(path: path, digest: entry.digest)
            let (digest, size) = try Self.md5(ofFileAt: file.path)
            guard digest == entry.digest else {
                throw StoreError.corruptData(
                    what: "file \(quoted(path)) (\(file.path))",
                    detail: "its MD5 is \(digest) but the manifest says \(entry.digest); nothing was stored")
            }
            if let expected = entry.size, expected != size {
                throw StoreError.corruptData(
                    what: "file \(quoted(path)) (\(file.path))",
                    detail: "it has \(size) bytes but the manifest says \(expected); nothing was stored")
            }
            try draft.addFile(file, as: path)
        }
        try draft.addReferences(references)
        return draft
    }

    /// The sidecar, if the folder has one.
    private func readSidecar() throws -> WandbArtifactInfo? {
        let file = directory.appendingPathComponent(WandbManifest.sidecarName)
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        do {
            return try JSONDecoder().decode(WandbArtifactInfo.self, from: data)
        } catch {
            throw StoreError.invalidArgument("\(file.path) is not an artifact description: \(error)")
        }
    }

    /// Where an entry's bytes are: the folder first, then the reference's cache.
    private func locate(path: String, digest: String) throws -> URL {
        let inFolder = directory.appendingPathComponent(path)
        if (try? SourceTree.kind(of: inFolder.path)) == .regular { return inFolder }
        if let cacheDirectory, let bytes = Data(base64Encoded: digest), bytes.count == 16 {
            let hex = Hex.encode(bytes)
            let cached = cacheDirectory.appendingPathComponent("artifacts/obj/md5")
                .appendingPathComponent(String(hex.prefix(2))).appendingPathComponent(String(hex.dropFirst(2)))
            if (try? SourceTree.kind(of: cached.path)) == .regular { return cached }
        }
        throw StoreError.io(
            operation: "find", path: inFolder.path,
            reason: cacheDirectory == nil ? "listed in the manifest but missing (--wandb-cache looks in a cache too)"
                : "listed in the manifest but in neither the folder nor the cache")
    }

    /// A reference entry for a manifest entry with `ref`.
    static func reference(path: String, entry: WandbManifest.Entry, ref: String) throws -> ManifestEntry {
        let reference = FileReference(uri: ref)
        let size = entry.size ?? 0
        if entry.digest == ref {
            return ManifestEntry(path: path, digest: ReferenceChecksum.unchecked(uri: ref).description, size: size,
                                 reference: reference)
        }
        let checksum: ReferenceChecksum
        var objectVersion: String?
        switch reference.scheme {
        case "s3", "gs":
            checksum = .etag(entry.digest)
            if case .string(let version)? = entry.extra?["versionID"] { objectVersion = version }
        case "http", "https":
            checksum = .etag(entry.digest)
        case "file":
            checksum = .md5(entry.digest)
        default:
            throw StoreError.invalidReference(uri: ref, reason: "of entry \(quoted(path)) has a scheme arttui does not import")
        }
        var result = ManifestEntry(path: path, digest: checksum.description, size: size, reference: reference)
        result.reference?.objectVersion = objectVersion
        return result
    }

    /// The base64 MD5 and size of a file, as the reference's client computes them.
    static func md5(ofFileAt path: String) throws -> (digest: String, size: Int64) {
        let fd = try openFile(path, O_RDONLY, operation: "open")
        defer { close(fd) }
        var hasher = ContentHasher(like: .md5(""))
        let (_, size) = try hashFile(fd, path: path) { hasher.update($0) }
        guard case .md5(let digest) = hasher.finish() else { fatalError("an MD5 hasher gives an MD5") }
        return (digest, size)
    }
}
