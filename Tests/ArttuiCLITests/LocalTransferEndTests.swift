import ArtifactStore
import ArtifactWire
@testable import ArttuiCLI
import Foundation
import Testing

/// A pull into the local store whose first commit is refused for missing chunks sends the rest and
/// commits again; its report counts every chunk it sent, as its bytes do (it counted the first batch only).
@Suite struct LocalTransferEndTests {
    @Test func aCommitRetriedForMissingChunksCountsEveryChunkSent() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-import-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try Store(directory: directory.appendingPathComponent("source"))
        let target = try Store(directory: directory.appendingPathComponent("target"))
        var draft = ArtifactDraft(name: "ds", type: "dataset")
        for index in 0..<6 { try draft.addData(Data("file \(index) ".utf8 + Data(repeating: UInt8(index), count: 5_000)), as: "f\(index).bin") }
        try source.log(draft, project: "p")

        let from = LocalTransferEnd(store: source, project: "p")
        let into = LocalTransferEnd(store: target, project: "p")
        let version = try #require(try from.versions(of: "ds", reference: nil).first)
        let manifest = try from.manifest(of: version)
        let chunks = Array(Set(manifest.contents.flatMap(\.chunks))).sorted()
        try #require(chunks.count >= 6)
        let request = CommitRequest(artifact: "ds", type: "dataset", files: manifest.files, contents: manifest.contents)
        // As when a missing-chunk check matched a chunk the target does not hold: only half is sent first.
        let firstBatch = Array(chunks.prefix(chunks.count / 2))
        let imported = try into.importVersion(
            request, sending: firstBatch, size: { _ in 5_000 }, from: try from.recordSource(for: version, manifest: manifest))
        #expect(imported.commit.version.digest == version.digest)
        #expect(imported.chunks == chunks.count)
        let sentAtOnce = try LocalTransferEnd(store: Store(directory: directory.appendingPathComponent("again")), project: "p")
            .importVersion(request, sending: chunks, size: { _ in 5_000 }, from: try from.recordSource(for: version, manifest: manifest))
        #expect(sentAtOnce.chunks == chunks.count)
        #expect(imported.bytes == sentAtOnce.bytes)
    }
}
