import ArtifactStore
import ArtifactWire
import Foundation

/// The parts a commit names (`CommitRequest.parts`), read from its locked upload one at a time as the
/// store goes through them, so that the server holds one part of a version, not the whole version.
///
/// Each part comes with the staged chunks its contents use. A chunk that is neither staged nor held by
/// a project the caller may read is missing, as for a commit in one request: once every part has been
/// read, `UploadedPartsShortfall.missingChunks` names all of them, which ends the commit before
/// anything is recorded.
struct UploadedParts: Sendable {
    /// The upload the commit holds locked.
    let upload: LockedUpload
    /// How many parts came before the commit.
    let count: Int
    /// The projects the caller may read chunks from.
    let readableProjects: [Int64]
    /// Chunks the commit's own files use that are missing.
    let missingFromLast: Set<String>

    /// The parts in order, for `Store.commit(_:after:project:stagedChunks:packs:)`. Each walk runs on one
    /// of `BlockingCalls.threads`, as the store's calls do.
    var batches: CommitBatches {
        CommitBatches { [self] body in
            var missing = missingFromLast
            for number in 0..<count {
                let (batch, lacking) = try awaitingOnBlockingThread { try await read(number) }
                missing.formUnion(lacking)
                try body(batch)
            }
            if !missing.isEmpty { throw UploadedPartsShortfall.missingChunks(missing) }
        }
    }

    /// Part `number` as a batch, and the chunks it uses that are missing.
    /// - Throws: `UploadedPartsShortfall.partNotSent` when the upload lacks it.
    private func read(_ number: Int) async throws -> (CommitBatch, Set<String>) {
        guard let body = try await upload.part(number) else {
            throw UploadedPartsShortfall.partNotSent(number, of: count, upload: upload.id)
        }
        let part = try JSONDecoder().decode(CommitPart.self, from: body)
        let referenced = ArttuiAPI.referencedChunks(part.contents)
        let staged = try await upload.stagedChunks(among: Array(referenced))
        let others = referenced.subtracting(staged.map(\.digest))
        let readable = try await upload.heldChunks(Array(others), inProjects: readableProjects)
        let batch = CommitBatch(files: part.files, contents: part.contents.map(\.record), newChunks: staged)
        return (batch, others.subtracting(readable))
    }
}

/// What a commit in parts lacks: nothing is recorded, and the upload is kept for the client to complete.
enum UploadedPartsShortfall: Error {
    /// Chunks the parts use that are neither staged nor readable: upload them, then commit again.
    case missingChunks(Set<String>)
    /// A part the commit names was not sent (or expired with the upload).
    case partNotSent(Int, of: Int, upload: String)

    /// 409: for missing chunks, naming them, as a commit in one request names its own.
    var problem: APIError {
        switch self {
        case let .missingChunks(digests):
            return ArttuiAPI.missingChunks(digests.sorted())
        case let .partNotSent(number, count, upload):
            return APIError(
                .conflict, "part \(number) of \(count) was not sent to upload \(upload) (or expired with it); send the parts again, then commit")
        }
    }
}
