import Foundation

/// The catalog's record of runs and of the edges between runs and versions.
///
/// A run logged a version when the version's producer is the run; it used a version when the run
/// asked for it (once per pair, the first time kept). Deleted versions keep their edges as tombstones.
public protocol RunCatalog: Sendable {
    /// Creates a run, or reopens the one with `run.id` as `resume` says; returns the run as stored.
    func startRun(_ run: RunRecord, resume: RunResume) throws -> RunRecord
    /// A run by id, or `StoreError.runNotFound`.
    func run(id: String) throws -> RunRecord
    /// The runs of a project, oldest first, optionally only those of a sweep and/or group.
    func runs(project: String, sweep: String?, group: String?) throws -> [RunRecord]
    /// Merges `summary` into a run's summary and, when given, sets its state (and end time if not running).
    func updateRun(id: String, summary: [String: JSONValue], state: RunState?) throws -> RunRecord
    /// Records that a run used a committed version; a second use of the same pair changes nothing.
    func recordUse(runID: String, versionID: Int64) throws
    /// The versions a run logged, committed and deleted, oldest first.
    func versions(loggedBy runID: String) throws -> [ArtifactVersion]
    /// The versions a run used, committed and deleted, in the order it first used them.
    func versions(usedBy runID: String) throws -> [ArtifactVersion]
    /// The runs that used a version, in the order they first used it.
    func runs(using versionID: Int64) throws -> [RunRecord]
}
