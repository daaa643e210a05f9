import ArtifactStore
import Foundation
import Synchronization

/// The upload one put to a team server stages its packs in, shared by the threads that read and send.
/// An upload an interrupted run of the same put left (`ResumableUploads`) is used from the first
/// question on, so the chunks it staged count as present and are not sent again; a new upload is made
/// only when the first pack goes out or the manifest is committed, so a put that sends nothing makes none.
final class UploadSession: Sendable {
    let uploader: ChunkUploader
    private let uploads: ResumableUploads
    private let key: ResumableUploads.Key
    /// The upload, and whether an earlier run made it (then chunks staged in it before are asked about).
    private let current: Mutex<(id: String?, resumed: Bool)>

    /// A session for the put `key` names, resuming the upload an earlier run of it left, if any.
    init(uploader: ChunkUploader, uploads: ResumableUploads, key: ResumableUploads.Key) {
        self.uploader = uploader
        self.uploads = uploads
        self.key = key
        let earlier = uploads.upload(for: key)
        current = Mutex((earlier, earlier != nil))
    }

    /// Whether the session resumes an upload an earlier, interrupted run made (until the server says it is gone).
    var isResumed: Bool { current.withLock { $0.resumed } }

    /// Which of `digests` the server lacks. Chunks staged in the upload count as present when an earlier
    /// run made it, or when `stagedByThisRun` (this run asks about each chunk once, before it sends it:
    /// naming the upload would make the server list every chunk staged so far for every question).
    func missing(_ digests: [String], stagedByThisRun: Bool = false) throws -> [String] {
        let (id, resumed) = current.withLock { $0 }
        let upload = resumed || stagedByThisRun ? id : nil
        do {
            return try uploader.missing(digests, upload: upload)
        } catch ServerError.notFound where upload != nil {
            // The earlier run's upload expired or was committed elsewhere: start afresh.
            current.withLock { if $0.id == upload { $0 = (nil, false) } }
            uploads.forget(key)
            return try uploader.missing(digests, upload: nil)
        }
    }

    /// The upload to send packs into and to commit, made (and remembered for a re-run) at the first call
    /// when there is none; the other threads wait for that one request.
    func upload() throws -> String {
        try current.withLock { current in
            if let id = current.id { return id }
            let created = try uploader.createUpload()
            uploads.remember(created, for: key)
            current.id = created
            return created
        }
    }

    /// Forgets the upload of a put that committed.
    func committed() {
        uploads.forget(key)
    }
}
