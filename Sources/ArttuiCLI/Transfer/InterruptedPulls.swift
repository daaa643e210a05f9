import ArtifactStore
import Foundation

/// Remembers the packs a pull into the local store had staged when it was interrupted (a server
/// restarted, a dropped link, Ctrl-C), by store and by the digest of the version pulled, so the same
/// pull run again commits them instead of receiving their chunks again. Kept in the client's cache
/// directory, one small file per unfinished version, removed once the version commits.
struct InterruptedPulls {
    /// One version pulled into one store.
    struct Key: Equatable, Codable {
        /// The store's directory.
        var store: String
        /// The version's digest.
        var digest: String
    }

    private let notes: UnfinishedTransfers<Key, [String]>

    init(cacheDirectory: URL) {
        // The note's name: a digest of the store's directory and the version's digest.
        notes = UnfinishedTransfers(cacheDirectory: cacheDirectory, folder: "transfer/pulls") { key in
            ResumableUploads.Key.digest(ofPaths: [key.store, key.digest])
        }
    }

    /// The keys of the packs an earlier run of this pull staged, if any.
    func packs(for key: Key) -> [String] { notes.value(for: key) ?? [] }

    /// Remembers `packs` for `key` (best effort: without it a re-run receives them again).
    func remember(_ packs: [String], for key: Key) { notes.remember(packs, for: key) }

    /// Forgets the packs of a version that committed.
    func forget(_ key: Key) { notes.forget(key) }
}
