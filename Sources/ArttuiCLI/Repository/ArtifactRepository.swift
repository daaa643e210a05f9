import ArtifactStore
import ArtifactWire
import Foundation

/// Where a command's artifacts live: the embedded store on this machine, or a team server. Every
/// command takes one, so it has one code path for both and prints the same text and JSON.
///
/// Names follow the repository: locally a project is `PROJECT`; on a server it is `ENTITY/PROJECT`
/// (the `project` of every value a server repository returns, and of every `project:` it takes).
/// Parse user input with `address(_:)`, `artifactPath(_:)`, `scope(_:)` and `project(_:)`, which
/// fill in what the repository needs (a server's default entity).
protocol ArtifactRepository: AnyObject {
    /// Where it is, for messages: the store's directory or the server's address.
    var location: String { get }

    // MARK: Names

    /// `PROJECT/NAME[:REF]` locally, `[ENTITY/]PROJECT/NAME[:REF]` on a server.
    func address(_ text: String) throws -> ArtifactAddress
    /// `PROJECT/NAME` locally, `[ENTITY/]PROJECT/NAME` on a server.
    func artifactPath(_ text: String) throws -> ArtifactPath
    /// `PROJECT[/NAME]` locally; on a server also `ENTITY/PROJECT[/NAME]`.
    func scope(_ text: String) throws -> ProjectScope
    /// `PROJECT` locally, `[ENTITY/]PROJECT` on a server; the project as this repository's methods take it.
    func project(_ text: String) throws -> String
    /// The project of an artifact path made by `artifactPath(_:)`, as this repository's methods take it.
    func project(of path: ArtifactPath) -> String

    // MARK: Reading

    /// Every project, with counts and sizes.
    func projects() throws -> [ProjectSummary]
    /// The artifacts of a project.
    func artifacts(in project: String) throws -> [ArtifactSummary]
    /// An artifact's versions, newest first, from `offset` on, at most `limit`.
    func versions(of project: String, _ name: String, offset: Int, limit: Int, includePending: Bool) throws
        -> [ArtifactVersion]
    /// How many committed versions an artifact has.
    func versionCount(of project: String, _ name: String) throws -> Int
    /// The version an address names.
    func version(_ address: ArtifactAddress) throws -> ArtifactVersion
    /// A version's files, by path, from `offset` on, at most `limit`.
    func files(of version: ArtifactVersion, offset: Int, limit: Int) throws -> [ManifestEntry]
    /// The first `limit` rows of a table entry of a version.
    func table(named name: String, in version: ArtifactVersion, limit: Int) throws -> Table
    /// The runs and versions around a version.
    func lineage(of version: ArtifactVersion, upstream: Int, downstream: Int) throws -> LineageGraph

    // MARK: Searching

    /// Committed versions matching `search`, in its order, at most its limit. The query travels as text
    /// (what a server takes); both sides read it with the same parser, so the caller checks it first
    /// with `search.versionQuery()` to report a bad expression where it is.
    func find(_ search: WireSearchQuery) throws -> [ArtifactVersion]

    // MARK: Comparing

    /// What changed from `base` to `target`: files by digest, metadata, description, aliases.
    func diff(from base: ArtifactVersion, to target: ArtifactVersion) throws -> VersionDiff
    /// The committed version of the same artifact numbered just below `version`, or nil for the first.
    func previousVersion(of version: ArtifactVersion) throws -> ArtifactVersion?
    /// A change of `diff` as a unified diff; files over `sizeLimit` bytes and binary files say so, unread.
    func patch(for change: FileChange, in diff: VersionDiff, sizeLimit: Int64) throws -> FilePatch?

    // MARK: Aliases and descriptions

    /// Points a hand-set alias at `version`; returns the version it was moved from, if any.
    func addAlias(_ alias: String, to version: ArtifactVersion) throws -> ArtifactVersion?
    /// Removes a hand-set alias from whichever version of the artifact holds it; returns that version.
    func removeAlias(_ alias: String, from artifact: ArtifactPath) throws -> ArtifactVersion
    /// Changes a version's description, metadata and hand-set aliases at once, all checked first.
    func edit(_ version: ArtifactVersion, _ edit: VersionEdit) throws -> ArtifactVersion

    // MARK: Deleting

    /// What deleting `version` would free.
    func deletionPlan(_ version: ArtifactVersion) throws -> DeletionPlan
    /// Deletes `version`; its hand-set aliases must be given up with `deleteAliases`.
    func delete(_ version: ArtifactVersion, deleteAliases: Bool) throws -> DeletionPlan
    /// Deletes (or with `dryRun` plans deleting) the versions of `scope` that have no alias, but the `keepLast` newest.
    func prune(_ scope: ProjectScope, keepLast: Int, dryRun: Bool) throws -> DeletionPlan

    // MARK: Runs

    /// The runs of a project, optionally of one sweep or group.
    func runs(in project: String, sweep: String?, group: String?) throws -> [RunRecord]
    /// A run with the versions it used and logged.
    func runDetail(id: String) throws -> RunArtifacts
    /// Starts (or reopens) a run in `project`.
    func startRun(in project: String, _ start: RunStartOptions) throws -> RunRecord
    /// Merges metrics into a run's summary.
    func log(run id: String, summary: [String: JSONValue]) throws
    /// Ends a run.
    func finish(run id: String, state: RunState, summary: [String: JSONValue]) throws
    /// Records that a run used `version`.
    func use(_ version: ArtifactVersion, run id: String) throws
    /// The best run of a sweep by a summary metric, and the committed versions it logged.
    func sweepBest(project: String, sweep: String, metric: String, minimize: Bool) throws -> RunArtifacts

    // MARK: Pending versions

    /// Commits the pending version parallel writers filled, with `draft`'s files added.
    func finishPending(_ draft: ArtifactDraft, project: String, distributedID: String) throws -> ArtifactVersion
    /// Deletes the pending version, freeing the bytes only it used.
    func discardPending(project: String, name: String, distributedID: String) throws -> DeletionPlan

    // MARK: Checking

    /// Checks the catalog against the stored bytes for one project, artifact or version (nil: everything).
    func verify(_ scope: RepositoryVerifyScope?, readData: Bool) throws -> VerificationReport
}

/// What `edit` changes; nil and empty leave a part as it is.
struct VersionEdit {
    var description: String?
    /// The whole new metadata.
    var metadata: [String: JSONValue]?
    var addedAliases: [String] = []
    var removedAliases: [String] = []
}

/// `run start`'s options.
struct RunStartOptions {
    var id: String?
    var resume: RunResume = .never
    var name: String?
    var group: String?
    var jobType: String?
    var sweep: String?
    var config: [String: JSONValue] = [:]
}

/// A run with the versions it used and logged.
struct RunArtifacts {
    var record: RunRecord
    var used: [ArtifactVersion]
    var logged: [ArtifactVersion]
}

/// What `verify` checks in a repository.
enum RepositoryVerifyScope {
    case project(String)
    case artifact(project: String, name: String)
    case version(ArtifactVersion)
}
