import Crypto
import Dispatch
import Foundation

/// What `Store.log` did.
public struct LogResult: Sendable {
    /// The version the content now lives in.
    public var version: ArtifactVersion
    /// `false` when the content equals the newest version's and no version was made.
    public var created: Bool
    /// Files read and hashed; the others were known unchanged from their stat signature.
    public var filesRead: Int
}

extension Store {
    /// Stores a draft as a new version of `project/draft.name`, or, when its content equals the newest
    /// version's, applies its aliases to that version and makes none.
    ///
    /// Data is written and made durable first; the version becomes visible in one catalog transaction.
    /// - Throws: `StoreError` for invalid names, aliases or metadata (nothing is stored then), for files
    ///   that cannot be read, and for a type that differs from the artifact's.
    @discardableResult
    public func log(
        _ draft: ArtifactDraft, project: String, progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) throws -> LogResult {
        try NameRules.validateProject(project)
        try NameRules.validateArtifactName(draft.name)
        try NameRules.validateType(draft.type)
        try NameRules.validateDescription(draft.description)
        try Metadata.validate(draft.metadata)
        try Alias.validateManual(draft.aliases)
        if let existing = try catalog.artifactType(project: project, name: draft.name), existing != draft.type {
            throw StoreError.typeMismatch(artifact: "\(project)/\(draft.name)", existing: existing, requested: draft.type)
        }

        let statCache = try openStatCache()
        let sources = draft.sourcesInManifestOrder
        var forceWrite = Set<String>()
        for _ in 0..<5 {
            var ingester = Ingester(catalog: catalog, objects: objects, chunking: chunking)
            ingester.forceWrite = forceWrite
            ingester.progress = progress
            ingester.statCache = statCache
            let result = try ingester.ingest(sources)
            let files = draft.references.isEmpty ? result.files : (result.files + draft.references.values)
                .sorted { ByteOrder.precedes($0.path, $1.path) }
            let commit = VersionCommit(
                project: project, name: draft.name, type: draft.type, description: draft.description,
                metadata: draft.metadata, aliases: draft.aliases, producerRunID: draft.runID,
                digest: Store.manifestDigest(files), files: files, contents: result.contents,
                newChunks: result.newChunks, packs: result.packs)
            // The put's per-file lists are freed on another core once this iteration is done: freeing
            // 20,000 files' strings was the last 4 % of a put, after the commit, with that core idle.
            defer { Self.freeOnAnotherThread((result, files, commit)) }
            // The stat cache is written on another core while the catalog commits, and kept only if
            // the version is: a put of 20,000 new files spent a tenth of its time on it after the commit.
            let remembering = statCache?.stage(result.readFiles)
            defer { remembering?.finish(keeping: false) }
            let outcome: CommitOutcome
            do {
                outcome = try catalog.commit(commit)
            } catch {
                deleteObjects(result.packs.map(\.key))
                throw error
            }
            switch outcome {
            case let .created(version, unused):
                remembering?.finish(keeping: true)
                if !unused.isEmpty { compact(packs: Set(unused.map(\.location.packKey))) }
                return LogResult(version: version, created: true, filesRead: result.filesRead)
            case let .unchanged(version):
                remembering?.finish(keeping: true)
                deleteObjects(result.packs.map(\.key))
                return LogResult(version: version, created: false, filesRead: result.filesRead)
            case let .missingChunks(missing):
                deleteObjects(result.packs.map(\.key))
                forceWrite.formUnion(missing)
            }
        }
        throw StoreError.catalog("chunks kept disappearing under concurrent deletes; try again")
    }

    /// A version's digest: SHA-256 over a fixed header line and the sorted `path:digest` lines.
    ///
    /// A reference entry's line is `path:CHECKSUM URI` (and ` VERSION-ID` for an S3 object version):
    /// its recorded checksum and where it points, since two versions pointing at equal bytes in
    /// different places are different versions. With checksums off the checksum is the URI itself,
    /// as in the reference system, so a change behind the URI never makes a new version. A stored
    /// file's digest (hex) never contains a space, so no reference line can equal a stored one.
    public static func manifestDigest(_ files: [ManifestEntry]) -> String {
        ManifestDigest.of(files)
    }

    /// Lets another thread drop what may be the last reference to `value`, so that freeing it does not
    /// hold up the caller.
    private static func freeOnAnotherThread<Value: Sendable>(_ value: Value) {
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(value) {} }
    }

    /// Deletes objects, ignoring failures: they are orphans `verify --repair` can remove later.
    func deleteObjects(_ keys: [String]) {
        for key in keys { try? objects.delete(key: key) }
    }
}
