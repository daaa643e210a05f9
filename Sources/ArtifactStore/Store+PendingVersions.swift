import Foundation

extension Store {
    /// Adds a draft's files to the pending version of `project/draft.name` that every writer with
    /// `distributedID` shares, creating it if needed (the reference's `upsert_artifact`).
    ///
    /// Writers may be separate processes: each upsert is one catalog transaction. The pending version is
    /// invisible to `version(_:)` and `versions(of:)` (unless asked for) until `finishPending`.
    /// - Throws: `StoreError.upsertConflict` naming the path when the pending version holds it with
    ///   other content (the same content is fine); the usual `log` errors for names and files.
    @discardableResult
    public func upsert(_ draft: ArtifactDraft, project: String, distributedID: String) throws -> ArtifactVersion {
        try NameRules.validateProject(project)
        try NameRules.validateArtifactName(draft.name)
        try NameRules.validateType(draft.type)
        try Store.validateRunID(distributedID)
        if !draft.references.isEmpty { throw Store.referencesInPendingVersion }
        let sources = draft.sourcesInManifestOrder
        var forceWrite = Set<String>()
        for _ in 0..<5 {
            var ingester = Ingester(catalog: catalog, objects: objects, chunking: chunking)
            ingester.forceWrite = forceWrite
            let result = try ingester.ingest(sources)
            let upsert = PendingUpsert(
                project: project, name: draft.name, type: draft.type, distributedID: distributedID,
                runID: draft.runID, files: result.files, contents: result.contents, newChunks: result.newChunks,
                packs: result.packs)
            let outcome: UpsertOutcome
            do {
                outcome = try catalog.upsert(upsert)
            } catch {
                deleteObjects(result.packs.map(\.key))
                throw error
            }
            switch outcome {
            case let .added(version, unused):
                if !unused.isEmpty { compact(packs: Set(unused.map(\.location.packKey))) }
                return version
            case let .missingChunks(missing):
                deleteObjects(result.packs.map(\.key))
                forceWrite.formUnion(missing)
            }
        }
        throw StoreError.catalog("chunks kept disappearing under concurrent deletes; try again")
    }

    /// Adds a draft's files, if it has any, to the pending version of `distributedID` and commits it:
    /// it gets the next number and `latest` (the reference's `finish_artifact`). The draft's run, when
    /// set, becomes the producer. The same id then starts a new pending version on its next upsert.
    /// - Throws: `StoreError.noPendingVersion` when nothing was upserted under that id and the draft is empty.
    @discardableResult
    public func finishPending(_ draft: ArtifactDraft, project: String, distributedID: String) throws
        -> ArtifactVersion
    {
        if draft.fileCount > 0 { try upsert(draft, project: project, distributedID: distributedID) }
        return try catalog.finishPending(
            project: project, name: draft.name, distributedID: distributedID, producerRunID: draft.runID)
    }

    /// Why references are refused in a pending version: parallel writers upsert files, and a reference
    /// belongs in the one put that records it (the same refusal locally and from a team server).
    public static let referencesInPendingVersion = StoreError.invalidArgument(
        "references cannot be added to a pending version (--upsert); put them in one version")

    /// Deletes an abandoned pending version and frees the bytes only it used.
    @discardableResult
    public func discardPending(project: String, name: String, distributedID: String) throws -> DeletionPlan {
        let outcome = try catalog.discardPending(project: project, name: name, distributedID: distributedID)
        compact(packs: Set(outcome.packsToCompact))
        return outcome.plan
    }
}
