import Foundation

/// A run opened for logging, shaped like the reference's run object: log artifacts it produced, use
/// artifacts it consumed, update its summary, finish it.
///
/// ```swift
/// let run = try store.startRun(project: "vision", jobType: "train")
/// _ = try run.useArtifact("vision/mnist:latest")
/// var model = ArtifactDraft(name: "cnn", type: "model")
/// try model.addFile(URL(fileURLWithPath: "model.bin"))
/// try run.logArtifact(model)
/// try run.finish(summary: ["val_acc": .double(0.93)])
/// ```
public final class Run {
    /// The store it belongs to.
    public let store: Store
    /// The run as last read or changed.
    public private(set) var record: RunRecord

    init(store: Store, record: RunRecord) {
        self.store = store
        self.record = record
    }

    /// The run's id.
    public var id: String { record.id }

    /// Stores a draft as a new version with this run as its producer, in the run's project unless another is given.
    @discardableResult
    public func logArtifact(_ draft: ArtifactDraft, project: String? = nil) throws -> LogResult {
        var draft = draft
        draft.runID = record.id
        return try store.log(draft, project: project ?? record.project)
    }

    /// Adds a draft's files to the pending version shared by the writers of `distributedID` (the
    /// run's group by default), like the reference's `run.upsert_artifact`.
    /// - Throws: `StoreError.invalidArgument` when there is neither a distributed id nor a group.
    @discardableResult
    public func upsertArtifact(_ draft: ArtifactDraft, distributedID: String? = nil, project: String? = nil) throws
        -> ArtifactVersion
    {
        var draft = draft
        draft.runID = record.id
        return try store.upsert(draft, project: project ?? record.project, distributedID: sharedID(distributedID))
    }

    /// Adds a draft's files (if any) to the pending version of `distributedID` (the run's group by
    /// default) and commits it, with this run as its producer, like the reference's `run.finish_artifact`.
    @discardableResult
    public func finishArtifact(_ draft: ArtifactDraft, distributedID: String? = nil, project: String? = nil) throws
        -> ArtifactVersion
    {
        var draft = draft
        draft.runID = record.id
        return try store.finishPending(draft, project: project ?? record.project, distributedID: sharedID(distributedID))
    }

    /// Records that this run used the version `address` names, and returns it.
    @discardableResult
    public func useArtifact(_ address: String) throws -> ArtifactVersion {
        let version = try store.version(address)
        try useArtifact(version)
        return version
    }

    /// Records that this run used a version; using it again changes nothing.
    public func useArtifact(_ version: ArtifactVersion) throws {
        try store.catalog.recordUse(runID: record.id, versionID: version.id)
    }

    /// Merges metrics into the run's summary.
    public func log(_ summary: [String: JSONValue]) throws {
        try Metadata.validate(summary)
        record = try store.catalog.updateRun(id: record.id, summary: summary, state: nil)
    }

    /// Marks the run finished (or failed, or crashed), merging `summary` into its summary first.
    public func finish(state: RunState = .finished, summary: [String: JSONValue] = [:]) throws {
        try Metadata.validate(summary)
        record = try store.catalog.updateRun(id: record.id, summary: summary, state: state)
    }

    /// The versions this run logged, deleted ones included (they are tombstones).
    public func loggedArtifacts() throws -> [ArtifactVersion] { try store.loggedArtifacts(of: record) }

    /// The versions this run used, deleted ones included (they are tombstones).
    public func usedArtifacts() throws -> [ArtifactVersion] { try store.usedArtifacts(of: record) }

    private func sharedID(_ given: String?) throws -> String {
        guard let id = given ?? record.group else {
            throw StoreError.invalidArgument(
                "run \(quoted(record.id)) has no group; give a distributed id for its parallel writers")
        }
        return id
    }
}
