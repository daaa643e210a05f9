import ArtifactStore
import ArtifactWire
import Foundation

/// One side of a push or pull: the local store or a project on a team server. Versions, manifests
/// and runs travel in the API's shapes (`WireVersion`, `WireManifest`, `WireRun`), chunks as stored
/// records, so any end can copy to any other.
protocol TransferEnd: AnyObject {
    /// Where this end is, as messages say it: `in the local store`, `on SERVER`.
    var place: String { get }
    /// The project as commands name it: `PROJECT` locally, `ENTITY/PROJECT` on a server.
    var projectName: String { get }

    // MARK: Reading

    /// The committed versions of `artifact`, oldest first; only `reference` when given.
    func versions(of artifact: String, reference: String?) throws -> [WireVersion]
    /// How many pending versions (`put --upsert`, not yet finished) `artifact` has here; 0 when this end
    /// does not show them to the caller (a server shows them only to those who may write).
    func pendingVersionCount(of artifact: String) throws -> Int
    /// A version's files and every content's chunk list.
    func manifest(of version: WireVersion) throws -> WireManifest
    /// The run `id`, nil when this end has none by that id.
    func run(id: String) throws -> WireRun?
    /// The ids of the runs that used a version.
    func runsUsing(_ version: WireVersion) throws -> [String]
    /// A source of the stored records of `version`'s chunks, for one upload worker.
    func recordSource(for version: WireVersion, manifest: WireManifest) throws -> @Sendable () -> any ChunkRecordSource

    // MARK: Writing

    /// Makes the project ready to receive versions; returns its name when it had to be created.
    func prepareProject() throws -> String?
    /// Which of `digests` this end lacks.
    func missingChunks(_ digests: [String]) throws -> [String]
    /// Receives the records of `digests` from `source` and commits `request` (its chunks all present
    /// then); returns the version, and the chunks and bytes of records received: with those a refused
    /// commit named as missing, sent before it was tried again.
    func importVersion(
        _ request: CommitRequest, sending digests: [String], size: @escaping (String) -> Int,
        from source: @escaping @Sendable () -> any ChunkRecordSource
    ) throws -> (commit: CommitResponse, chunks: Int, bytes: Int64)
    /// Creates `run` here, ended as it ended there, unless a run with its id exists.
    func ensureRun(_ run: WireRun) throws -> RunPlacement
    /// Records that run `runID` used `version` (idempotent).
    func recordUse(runID: String, of version: WireVersion) throws
    /// Gives `alias` to `version` (moving it from any other version of the artifact).
    func setAlias(_ alias: String, on version: WireVersion) throws
}

/// What became of a run a copy needs on its target.
enum RunPlacement: Equatable {
    /// Created by this copy.
    case created
    /// Already there.
    case present
    /// Its id belongs to a run of another project there: versions are copied without it.
    case elsewhere
}
