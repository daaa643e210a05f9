import ArtifactStore
import Foundation

extension ArttuiAPI {
    /// Removes the staged packs of uploads unused for `age` and returns how many it deleted.
    ///
    /// Never races a commit: uploads a commit holds are skipped, and a pack the catalog knows (a commit
    /// whose account record failed after the version became visible) is never deleted. A commit of an
    /// expired upload is answered 409 naming every chunk to send again.
    public func expireAbandonedUploads(unusedFor age: Duration) async throws -> Int {
        try await deleteStagedPacks(try await accounts.expireUploads(unusedFor: age))
    }

    /// Drops the packs of an upload whose commit the store refused (a type clash, a bad name): the
    /// refusal leaves nothing behind, as a refused local put does, instead of packs listed as
    /// reclaimable until the upload would expire. A retry of the same upload is told to send again.
    func discardRefusedUpload(_ id: String) async {
        _ = try? await deleteStagedPacks(try await accounts.expireUpload(id: id))
    }

    /// Deletes staged packs the catalog does not know; returns how many.
    private func deleteStagedPacks(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await core(nil) { [store] in
            let known = Set(try store.catalog.packs().map(\.key))
            var deleted = 0
            for key in keys where !known.contains(key) {
                // A pack already gone is as good as deleted; the next sweep does not see it again.
                if (try? store.objects.delete(key: key)) != nil { deleted += 1 }
            }
            return deleted
        }
    }
}
