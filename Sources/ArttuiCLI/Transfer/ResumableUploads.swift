import ArtifactStore
import Foundation

/// Remembers the upload a put to a server staged its packs in, by server, project, artifact and the
/// paths put, so the same put run again after an interruption (Ctrl-C, kill -9, a dropped
/// connection) resumes it: the server counts chunks staged in the upload as present. Known before any
/// file is read (packs go out while files are still being read), the key holds no contents: a re-run
/// after a file changed resumes too, and sends only that file's new chunks. Kept in the client's cache
/// directory, one small file per unfinished put, removed once the put commits.
struct ResumableUploads {
    /// One put's destination and the paths it puts (or one copied version's destination and digest).
    struct Key: Codable, Equatable {
        var server: String
        var project: String
        var artifact: String
        /// `digest(ofPaths:)` of the draft's paths; for a push or pull, the digest of the version copied.
        var sources: String

        /// A digest of `paths` (in manifest order), the name of the put's file.
        static func digest(ofPaths paths: [String]) -> String {
            Store.manifestDigest(paths.map { ManifestEntry(path: $0, digest: "", size: 0) })
        }
    }

    private let notes: UnfinishedTransfers<Key, String>

    init(cacheDirectory: URL) {
        notes = UnfinishedTransfers(cacheDirectory: cacheDirectory, folder: "transfer/uploads", fileName: { $0.sources })
    }

    /// The upload an earlier run of this put left, if any.
    func upload(for key: Key) -> String? { notes.value(for: key) }

    /// Remembers `upload` for `key` (best effort: without it a re-run sends everything again).
    func remember(_ upload: String, for key: Key) { notes.remember(upload, for: key) }

    /// Forgets the upload of a put that committed.
    func forget(_ key: Key) { notes.forget(key) }
}
