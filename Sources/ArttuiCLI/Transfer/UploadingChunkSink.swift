import ArtifactStore
import Foundation

/// One reading thread's part of a put's upload (`StreamedUpload`): keeps the chunks the thread cuts
/// until a file ends, asks the server which of them it lacks and packs those (compressed when that
/// pays, as the store does) for the connections to send, while the thread goes on reading. A file's
/// bytes are read once: hashed, cut and, where the server lacks them, compressed from the same buffer.
///
/// The chunks of a file are asked about only once it was read whole and found unchanged, unless it
/// is large: then they go in steps of `StreamedUpload.batchLimit` bytes as it is read. When the file
/// turns out to have changed the put fails; chunks sent of it stay staged, unused, in the upload.
final class UploadingChunkSink: CutChunkSink {
    private let upload: StreamedUpload
    private let codec = ZstdCodec()
    /// The bytes of the chunks read and not yet asked about, end to end.
    private var batch: [UInt8] = []
    /// Each chunk in `batch`: its digest (raw and in hex) and where it ends in `batch`.
    private var entries: [(digest: [UInt8], hex: String, end: Int)] = []
    /// How many of `entries` belong to files read whole.
    private var settled = 0
    private var pack = PackQueue.Pack(bytes: [], chunks: 0, rawBytes: 0)

    init(upload: StreamedUpload) { self.upload = upload }

    func chunk(_ bytes: UnsafeRawBufferPointer, digest: [UInt8], hex: String) throws {
        guard upload.take(digest) else { return }
        batch.append(contentsOf: bytes)
        entries.append((digest, hex, batch.count))
        if batch.count >= upload.batchLimit { try send(entries.count) }
    }

    func fileRead(_: DraftCutter.CutFile) throws {
        settled = entries.count
        if batch.count >= upload.batchBytes || entries.count >= upload.batchChunks { try send(settled) }
    }

    func finish() throws {
        // Chunks after the last file read whole are of a file that failed: the put fails, they are dropped.
        try send(settled)
        if pack.chunks > 0 { try upload.packs.submit(pack) }
    }

    /// Asks about the first `count` chunks of the batch, packs those the server lacks, and empties the batch.
    private func send(_ count: Int) throws {
        defer {
            batch.removeAll(keepingCapacity: true)
            entries.removeAll(keepingCapacity: true)
            settled = 0
        }
        guard count > 0 else { return }
        let missing = Set(try upload.session.missing(entries[..<count].map(\.hex)))
        guard !missing.isEmpty else { return }
        try batch.withUnsafeBytes { bytes in
            var start = 0
            for entry in entries[..<count] {
                defer { start = entry.end }
                guard missing.contains(entry.hex) else { continue }
                if pack.chunks == 0 { pack.bytes = upload.packs.emptyBuffer() }
                PackRecords.append(
                    chunk: UnsafeRawBufferPointer(rebasing: bytes[start..<entry.end]), digest: entry.digest,
                    to: &pack.bytes, codec: codec)
                pack.chunks += 1
                pack.rawBytes += Int64(entry.end - start)
                if pack.rawBytes >= upload.packTarget {
                    try upload.packs.submit(pack)
                    pack = PackQueue.Pack(bytes: [], chunks: 0, rawBytes: 0)
                }
            }
        }
    }
}
