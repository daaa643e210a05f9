import ArtifactStore
import ArtifactWire
@testable import ArttuiCLI
import Foundation
import Testing

/// A pull into the local store whose first commit is refused for missing chunks sends the rest and
/// commits again; its report counts every chunk it sent, as its bytes do (it counted the first batch only).
/// A pull interrupted while it receives commits, when run again, the packs it had staged.
@Suite struct LocalTransferEndTests {
    /// A store holding `p/ds:v0` of `files` (`f0.bin`, `f1.bin`, …) and an empty one, in a fresh directory.
    struct Stores {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-import-\(UUID().uuidString.prefix(8))")
        let source: Store
        let target: Store

        init(_ files: [Data]) throws {
            source = try Store(directory: directory.appendingPathComponent("source"))
            target = try Store(directory: directory.appendingPathComponent("target"))
            var draft = ArtifactDraft(name: "ds", type: "dataset")
            for (index, data) in files.enumerated() { try draft.addData(data, as: "f\(index).bin") }
            try source.log(draft, project: "p")
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    /// A pull of `p/ds:v0` from `stores.source` into `stores.target`, each chunk a pack of its own (16 MiB
    /// a chunk, as far as packing knows), with its cache directory, request, chunks and their records.
    struct Pull {
        let stores: Stores
        let cache: URL
        let version: WireVersion
        let request: CommitRequest
        let chunks: [String]
        let records: @Sendable () -> any ChunkRecordSource

        init(_ stores: Stores) throws {
            self.stores = stores
            cache = stores.directory.appendingPathComponent("cache")
            let from = LocalTransferEnd(store: stores.source, project: "p", cacheDirectory: cache)
            version = try #require(try from.versions(of: "ds", reference: nil).first)
            let manifest = try from.manifest(of: version)
            chunks = Array(Set(manifest.contents.flatMap(\.chunks))).sorted()
            request = CommitRequest(artifact: "ds", type: "dataset", files: manifest.files, contents: manifest.contents)
            records = try from.recordSource(for: version, manifest: manifest)
        }

        /// Runs the pull with `records` as its source.
        @discardableResult
        func run(from records: FlakyRecords) throws -> (commit: CommitResponse, chunks: Int, bytes: Int64) {
            try LocalTransferEnd(store: stores.target, project: "p", cacheDirectory: cache)
                .importVersion(request, sending: chunks, size: { _ in 16 << 20 }, from: { records })
        }
    }

    /// Records from `source`, failing once `succeeding` calls (across every copy) have succeeded;
    /// counts the chunks asked for.
    final class FlakyRecords: ChunkRecordSource, @unchecked Sendable {
        struct Cut: Error {}
        let source: any ChunkRecordSource
        let lock = NSLock()
        var succeeding: Int
        var asked = 0

        init(_ source: any ChunkRecordSource, succeeding: Int) {
            self.source = source
            self.succeeding = succeeding
        }

        /// One call at a time: both of a pull's workers are handed this one source, and the store's
        /// record reader under it, which each worker normally gets for itself, is not shared safely.
        func appendRecords(of digests: [String], to pack: inout [UInt8]) throws {
            try lock.withLock {
                asked += digests.count
                if succeeding == 0 { throw Cut() }
                succeeding -= 1
                try source.appendRecords(of: digests, to: &pack)
            }
        }
    }

    @Test func aPullInterruptedWhileReceivingCommitsWhatItStagedWhenRunAgain() throws {
        // Random bytes: each record as big as its chunk, so the packs read back below hold them all.
        let stores = try Stores((0..<8).map { _ in Data((0..<5_000).map { _ in UInt8.random(in: 0...255) }) })
        defer { stores.remove() }
        let pull = try Pull(stores)
        let (target, cache, version, chunks) = (stores.target, pull.cache, pull.version, pull.chunks)

        // The fourth pack fails.
        #expect(throws: FlakyRecords.Cut.self) { try pull.run(from: FlakyRecords(pull.records(), succeeding: 3)) }
        #expect(throws: (any Error).self, "nothing is visible before the commit") { try target.version("p/ds:v0") }
        let rerun = FlakyRecords(pull.records(), succeeding: .max)
        let imported = try pull.run(from: rerun)
        #expect(imported.commit.version.digest == version.digest)
        #expect(rerun.asked == chunks.count - 3, "the re-run receives only the chunks not staged before")
        #expect(imported.chunks == chunks.count - 3)
        // Every chunk is readable from the target's packs, the restaged ones included.
        let copy = LocalTransferEnd(store: target, project: "p", cacheDirectory: cache)
        let copied = try #require(try copy.versions(of: "ds", reference: nil).first)
        var pack: [UInt8] = []
        try copy.recordSource(for: copied, manifest: try copy.manifest(of: copied))().appendRecords(of: chunks, to: &pack)
        #expect(pack.count > 8 * 5_000)
    }

    @Test func leftoverPacksAreNotedAsTheyArriveAndRestagedUnderNewKeysAndOnesACommitUsedAreLeftAlone() throws {
        let stores = try Stores((0..<6).map { _ in Data((0..<5_000).map { _ in UInt8.random(in: 0...255) }) })
        defer { stores.remove() }
        let pull = try Pull(stores)
        let target = stores.target
        let pulls = InterruptedPulls(cacheDirectory: pull.cache)
        let key = InterruptedPulls.Key(store: target.directory.path, digest: Store.manifestDigest(pull.request.files))

        // The run fails, and nothing notes its packs on the way out: what the note names was noted as each
        // pack was staged, as a run killed at that moment (Ctrl-C, kill -9) would have left it.
        #expect(throws: FlakyRecords.Cut.self) { try pull.run(from: FlakyRecords(pull.records(), succeeding: 3)) }
        let leftovers = pulls.packs(for: key)
        #expect(leftovers.count >= 3, "each pack is noted when staged")

        try pull.run(from: FlakyRecords(pull.records(), succeeding: .max))
        let objects = Set(try target.objects.list().map(\.key))
        let recorded = Set(try target.catalog.packs().map(\.key))
        #expect(objects.isDisjoint(with: leftovers), "the leftovers were copied to new keys and removed")
        #expect(recorded.isDisjoint(with: leftovers))
        #expect(pulls.packs(for: key).isEmpty, "the note goes with the commit")

        // A note that outlived its commit (killed between the two) names packs the version uses: left alone.
        let used = try #require(recorded.first)
        #expect(try target.restage(packKey: used, maxRawLength: 1 << 30) == nil)
        #expect(try target.objects.list().contains { $0.key == used })
        var verifier = StoreVerifier(store: target)
        verifier.readData = true
        #expect(try verifier.verify(.store).isClean)
    }

    @Test func aCommitRetriedForMissingChunksCountsEveryChunkSent() throws {
        let stores = try Stores((0..<6).map { Data("file \($0) ".utf8 + Data(repeating: UInt8($0), count: 5_000)) })
        defer { stores.remove() }
        let (directory, source, target) = (stores.directory, stores.source, stores.target)

        let from = LocalTransferEnd(store: source, project: "p", cacheDirectory: directory.appendingPathComponent("cache"))
        let into = LocalTransferEnd(store: target, project: "p", cacheDirectory: directory.appendingPathComponent("cache"))
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
        let sentAtOnce = try LocalTransferEnd(
            store: Store(directory: directory.appendingPathComponent("again")), project: "p",
            cacheDirectory: directory.appendingPathComponent("cache"))
            .importVersion(request, sending: chunks, size: { _ in 5_000 }, from: try from.recordSource(for: version, manifest: manifest))
        #expect(sentAtOnce.chunks == chunks.count)
        #expect(imported.bytes == sentAtOnce.bytes)
    }
}
