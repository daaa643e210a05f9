import ArtifactStore
import Foundation

/// What a deletion, prune or discard did or would do, as the server answers it.
public struct WireDeletion: Codable, Sendable, Equatable {
    /// The versions that went (or would go).
    public var versions: [WireVersion]
    /// Bytes the store shrank (or would shrink) by.
    public var freedBytes: Int64
    /// Chunks that went (or would go).
    public var freedChunks: Int
    /// False for a plan or dry run.
    public var deleted: Bool
    /// Packs holding the freed bytes that the object store did not finish rewriting or deleting
    /// (`DeletionPlan.packsLeft`); absent when it finished.
    public var packsLeft: Int?
    /// Why the object store did not finish, with `packsLeft`.
    public var objectStoreError: String?

    /// Creates the shape.
    public init(
        versions: [WireVersion], freedBytes: Int64, freedChunks: Int, deleted: Bool, packsLeft: Int? = nil,
        objectStoreError: String? = nil
    ) {
        self.versions = versions
        self.freedBytes = freedBytes
        self.freedChunks = freedChunks
        self.deleted = deleted
        self.packsLeft = packsLeft
        self.objectStoreError = objectStoreError
    }

    /// The core's plan; version projects stay as the server names them (`ENTITY/PROJECT`).
    public var plan: DeletionPlan {
        var plan = DeletionPlan(versions: versions.map(\.model), freedBytes: freedBytes, freedChunks: freedChunks)
        plan.packsLeft = packsLeft ?? 0
        plan.objectStoreError = objectStoreError
        return plan
    }
}

/// The body of `POST …/prune`.
public struct WirePruneRequest: Codable, Sendable, Equatable {
    /// One artifact, or nil for every artifact of the project.
    public var artifact: String?
    /// Also keep the N newest versions of each artifact.
    public var keepLast: Int?
    /// Only say what would go.
    public var dryRun: Bool?

    /// Creates the body.
    public init(artifact: String? = nil, keepLast: Int? = nil, dryRun: Bool? = nil) {
        self.artifact = artifact
        self.keepLast = keepLast
        self.dryRun = dryRun
    }
}
