import Foundation

/// A version whose chunks a client uploaded beforehand: what a team server commits for it.
public struct UploadedVersion: Sendable {
    /// The artifact's name.
    public var name: String
    /// The artifact's type.
    public var type: String
    /// The version's description.
    public var description: String
    /// The version's metadata.
    public var metadata: [String: JSONValue]
    /// Hand-set aliases.
    public var aliases: [String]
    /// The run that logged it, if any.
    public var runID: String?
    /// The files, by path.
    public var files: [ManifestEntry]
    /// The contents the files are made of, each with its chunks in order.
    public var contents: [ContentRecord]

    /// Creates an uploaded version.
    public init(
        name: String, type: String, description: String, metadata: [String: JSONValue], aliases: [String],
        runID: String?, files: [ManifestEntry], contents: [ContentRecord]
    ) {
        self.name = name
        self.type = type
        self.description = description
        self.metadata = metadata
        self.aliases = aliases
        self.runID = runID
        self.files = files
        self.contents = contents
    }
}

/// What `Store.commit(_:project:stagedChunks:packs:)` did.
public enum UploadedCommitOutcome: Sendable {
    /// The version is visible (`created` false when it equals the newest version and none was made).
    case committed(LogResult)
    /// These chunks are neither staged nor in the store: upload them again, then commit again.
    case missingChunks(Set<String>)
}

extension Store {
    /// Makes an uploaded version visible in one catalog transaction, as `log` does for local files.
    ///
    /// `stagedChunks` are the chunks the upload stored (in `packs`, already checked against their
    /// digests); every other chunk a content names must already be in the store, or nothing becomes
    /// visible and the outcome names the missing ones. Staged packs are kept for a retry then.
    /// - Throws: `StoreError` for invalid names, aliases, metadata or manifests (nothing changes then).
    public func commit(
        _ upload: UploadedVersion, project: String, stagedChunks: [StoredChunk], packs: [ObjectInfo]
    ) throws -> UploadedCommitOutcome {
        try commit(upload, after: .none, project: project, stagedChunks: stagedChunks, packs: packs)
    }

    /// Makes a version sent in parts visible in one catalog transaction: `earlierParts` (each with the
    /// staged chunks its contents use), then `upload`'s own files, the last part, which `upload` also
    /// describes. No more than one part is needed in memory at a time: the parts are gone through
    /// twice, once for the checks and the digest, once to record them.
    ///
    /// Every part is checked as `checkManifest` checks one, and each must start after the path the one
    /// before it ended with (manifest order, as the digest needs: so no path is in two parts either).
    /// `stagedChunks` are those the last part's contents may use; the rest is as
    /// `commit(_:project:stagedChunks:packs:)` does.
    /// - Throws: `StoreError` for invalid names, aliases, metadata or parts (nothing changes then), and
    ///   what reading `earlierParts` throws.
    public func commit(
        _ upload: UploadedVersion, after earlierParts: CommitBatches, project: String, stagedChunks: [StoredChunk],
        packs: [ObjectInfo]
    ) throws -> UploadedCommitOutcome {
        try NameRules.validateProject(project)
        try NameRules.validateArtifactName(upload.name)
        try NameRules.validateType(upload.type)
        try NameRules.validateDescription(upload.description)
        try Metadata.validate(upload.metadata)
        try Alias.validateManual(upload.aliases)
        if let existing = try catalog.artifactType(project: project, name: upload.name), existing != upload.type {
            throw StoreError.typeMismatch(
                artifact: "\(project)/\(upload.name)", existing: existing, requested: upload.type)
        }
        let referenced = Set(upload.contents.flatMap(\.chunks))
        let batches = earlierParts.followed(by: CommitBatch(
            files: upload.files, contents: upload.contents,
            newChunks: stagedChunks.filter { referenced.contains($0.digest) }))
        var digest = ManifestDigest()
        var usedPacks = Set<String>()
        try batches.forEach { batch in
            try Self.checkManifest(files: batch.files, contents: batch.contents)
            try digest.add(batch.files)
            usedPacks.formUnion(batch.newChunks.map(\.location.packKey))
        }
        let commit = VersionCommit(
            project: project, name: upload.name, type: upload.type, description: upload.description,
            metadata: upload.metadata, aliases: upload.aliases, producerRunID: upload.runID,
            digest: digest.finish(), batches: batches, packs: packs.filter { usedPacks.contains($0.key) })
        switch try catalog.commit(commit) {
        case let .created(version, unused):
            let dead = Set(unused.map(\.location.packKey))
                .union(packs.map(\.key).filter { !usedPacks.contains($0) })
            if !dead.isEmpty { compact(packs: dead) }
            return .committed(LogResult(version: version, created: true, filesRead: 0))
        case let .unchanged(version):
            deleteObjects(packs.map(\.key))
            return .committed(LogResult(version: version, created: false, filesRead: 0))
        case let .missingChunks(missing):
            return .missingChunks(missing)
        }
    }

    /// Adds an uploaded version's files to the pending version every writer with `distributedID`
    /// shares, as `upsert` does for local files; `finishPending` then commits it.
    ///
    /// The same checks as `commit`: names, manifest, and every chunk staged or already stored.
    /// - Throws: `StoreError.upsertConflict` naming a path the pending version holds with other content.
    public func upsert(
        _ upload: UploadedVersion, project: String, distributedID: String, stagedChunks: [StoredChunk],
        packs: [ObjectInfo]
    ) throws -> UpsertOutcome {
        try NameRules.validateProject(project)
        try NameRules.validateArtifactName(upload.name)
        try NameRules.validateType(upload.type)
        try Store.validateRunID(distributedID)
        if upload.files.contains(where: { !$0.isStored }) { throw Store.referencesInPendingVersion }
        try Self.checkManifest(files: upload.files, contents: upload.contents)
        let referenced = Set(upload.contents.flatMap(\.chunks))
        let newChunks = stagedChunks.filter { referenced.contains($0.digest) }
        let usedPacks = Set(newChunks.map(\.location.packKey))
        let outcome = try catalog.upsert(PendingUpsert(
            project: project, name: upload.name, type: upload.type, distributedID: distributedID,
            runID: upload.runID, files: upload.files, contents: upload.contents, newChunks: newChunks,
            packs: packs.filter { usedPacks.contains($0.key) }))
        if case let .added(_, unused) = outcome {
            let dead = Set(unused.map(\.location.packKey)).union(packs.map(\.key).filter { !usedPacks.contains($0) })
            if !dead.isEmpty { compact(packs: dead) }
        }
        return outcome
    }

    /// Checks that every stored file names a content of `contents`, that every reference entry records a
    /// source and a checksum (its bytes stay there: nothing reads them on commit), that no path is
    /// unsafe or named twice, and that the contents' sizes and chunk lists are possible: what a commit of
    /// an uploaded version checks, for a team server to check each part of one sent in parts as it arrives.
    /// - Throws: `StoreError` naming the first path or content at fault.
    public static func checkManifest(files: [ManifestEntry], contents records: [ContentRecord]) throws {
        let contents = Dictionary(records.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first })
        var paths = Set<String>()
        for file in files {
            guard paths.insert(file.path).inserted else { throw StoreError.conflictingPath(path: file.path) }
            try ManifestPath.validate(file.path)
            if let reference = file.reference {
                guard !reference.uri.isEmpty, reference.uri.contains("://"), !file.digest.isEmpty, file.size >= 0 else {
                    throw StoreError.invalidArgument(
                        "reference entry \(file.path) needs a URI with a scheme, a checksum and a size of 0 or more")
                }
                // No URI, checksum or object version holds one, and PostgreSQL's text cannot hold a NUL.
                let recorded = [reference.uri, file.digest, reference.objectVersion ?? ""]
                guard !recorded.contains(where: { $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }) else {
                    throw StoreError.invalidArgument(
                        "reference entry \(EscapedText.oneLine(file.path)) has a control character in its URI, checksum or object version")
                }
                continue
            }
            guard let content = contents[file.digest] else {
                throw StoreError.invalidArgument("file \(file.path) names content \(file.digest), which the upload does not describe")
            }
            guard content.size == file.size else {
                throw StoreError.invalidArgument("file \(file.path) is \(file.size) bytes but its content is \(content.size)")
            }
        }
        for content in records {
            guard Hex.decode(content.digest)?.count == 32, content.chunks.allSatisfy({ Hex.decode($0)?.count == 32 })
            else { throw StoreError.invalidArgument("content \(content.digest) names a digest that is not 64 hex digits") }
            if content.size > 0 && content.chunks.isEmpty || content.size == 0 && !content.chunks.isEmpty {
                throw StoreError.invalidArgument("content \(content.digest) has \(content.size) bytes but \(content.chunks.count) chunks")
            }
        }
    }
}
