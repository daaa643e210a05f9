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

    private struct Entry: Codable {
        var key: Key
        var packs: [String]
    }

    let directory: URL

    init(cacheDirectory: URL) {
        directory = cacheDirectory.appendingPathComponent("transfer/pulls")
    }

    /// The keys of the packs an earlier run of this pull staged, if any.
    func packs(for key: Key) -> [String] {
        guard let data = FileManager.default.contents(atPath: file(key).path),
              let entry = try? JSONDecoder().decode(Entry.self, from: data), entry.key == key
        else { return [] }
        return entry.packs
    }

    /// Remembers `packs` for `key` (best effort: without it a re-run receives them again).
    func remember(_ packs: [String], for key: Key) {
        guard let data = try? JSONEncoder().encode(Entry(key: key, packs: packs)) else { return }
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? data.write(to: file(key), options: .atomic)
    }

    /// Forgets the packs of a version that committed.
    func forget(_ key: Key) {
        try? FileManager.default.removeItem(at: file(key))
    }

    private func file(_ key: Key) -> URL {
        directory.appendingPathComponent(Store.manifestDigest([ManifestEntry(path: key.store, digest: key.digest, size: 0)]))
    }
}
