@testable import ArtifactStore
import Foundation
import StoreTestSupport
import Testing

/// A version committed a batch at a time, as a team server commits one sent in parts.
extension CatalogConformanceTests {
    /// Files (path → bytes) in byte order, their contents, and a staged pack holding every content's
    /// one chunk: what an upload of them leaves behind.
    struct Upload {
        var files: [ManifestEntry] = []
        var contents: [String: ContentRecord] = [:]
        var staged: StagedPack

        init(_ bodies: [(String, [UInt8])], into store: Store) throws {
            var pack: [UInt8] = []
            let codec = ZstdCodec()
            for (path, bytes) in bodies {
                // Small enough to be one chunk (or none), whose digest is the content's.
                let record = CutContent.cut(data: Data(bytes)).record
                files.append(ManifestEntry(path: path, digest: record.digest, size: Int64(bytes.count)))
                guard contents[record.digest] == nil else { continue }
                contents[record.digest] = record
                if !bytes.isEmpty { bytes.withUnsafeBytes { _ = PackRecords.append(chunk: $0, to: &pack, codec: codec) } }
            }
            staged = try store.stage(pack: Data(pack), maxRawLength: 1 << 20)
        }

        /// Files `range` as a batch, with their contents and the staged chunks those use.
        func batch(_ range: Range<Int>) -> CommitBatch {
            let files = Array(self.files[range])
            var named = Set<String>()
            let contents = files.compactMap { named.insert($0.digest).inserted ? self.contents[$0.digest] : nil }
            let chunks = Set(contents.flatMap(\.chunks))
            return CommitBatch(files: files, contents: contents, newChunks: staged.chunks.filter { chunks.contains($0.digest) })
        }

        /// The version of files `range`, described as a client's commit does.
        func version(_ range: Range<Int>, name: String = "data") -> UploadedVersion {
            let batch = batch(range)
            return UploadedVersion(
                name: name, type: "dataset", description: "", metadata: [:], aliases: [], runID: nil,
                files: batch.files, contents: batch.contents)
        }

        /// Commits the files in batches of `size` (the last one as `upload`'s own files).
        func commit(to store: Store, inBatchesOf size: Int, name: String = "data") throws -> UploadedCommitOutcome {
            let cuts = Array(stride(from: 0, to: files.count, by: size))
            let earlier = cuts.dropLast().map { batch($0..<$0 + size) }
            let last = version(cuts.last!..<files.count, name: name)
            return try store.commit(
                last, after: CommitBatches { body in for batch in earlier { try body(batch) } }, project: "proj",
                stagedChunks: staged.chunks, packs: [staged.pack])
        }
    }

    /// Nine files of seven contents, in byte order: "a" and "g" share one across batches, "e" is empty.
    static let batchedFiles: [(String, [UInt8])] = [
        ("a", randomBytes(3_000, seed: 61)), ("b", randomBytes(2_000, seed: 62)), ("c/1", randomBytes(5_000, seed: 63)),
        ("c/2", randomBytes(4_000, seed: 64)), ("e", []), ("f", randomBytes(1_000, seed: 65)),
        ("g", randomBytes(3_000, seed: 61)), ("h", randomBytes(6_000, seed: 66)), ("i", Array("i\n".utf8)),
    ]

    @Test(arguments: CatalogKind.available)
    func aVersionCommittedInBatchesIsTheVersionCommittedWhole(_ kind: CatalogKind) throws {
        let whole = try ConformanceFixture(kind)
        let wholeUpload = try Upload(Self.batchedFiles, into: whole.store)
        guard case let .committed(one) = try whole.store.commit(
            wholeUpload.version(0..<9), project: "proj", stagedChunks: wholeUpload.staged.chunks, packs: [wholeUpload.staged.pack])
        else { Issue.record("the whole commit wanted chunks"); return }

        let batched = try ConformanceFixture(kind)
        let upload = try Upload(Self.batchedFiles, into: batched.store)
        guard case let .committed(many) = try upload.commit(to: batched.store, inBatchesOf: 4) else {
            Issue.record("the batched commit wanted chunks")
            return
        }
        #expect(many.created && many.version.digest == one.version.digest)
        #expect(many.version.digest == Store.manifestDigest(upload.files))
        #expect(many.version.fileCount == 9 && many.version.size == one.version.size)
        // "g" reuses the chunk "a" recorded in an earlier batch: counted once, and no pack is left to compact.
        #expect(many.version.addedBytes == one.version.addedBytes)
        #expect(try batched.catalog.packs().map(\.key) == [upload.staged.pack.key], "the staged pack is kept as is, not rewritten")
        #expect(try batched.catalog.packsToCompact().isEmpty)
        #expect(try batched.store.files(of: many.version) == upload.files)
        let out = batched.root.appendingPathComponent("out")
        try batched.store.download(many.version, to: out, cache: nil)
        #expect(try batched.contents(of: out) == Dictionary(uniqueKeysWithValues: Self.batchedFiles.map { ($0.0, Data($0.1)) }))
        var verifier = StoreVerifier(store: batched.store)
        verifier.readData = true
        #expect(try verifier.verify(.store).isClean)

        // The same files again, in other batches: no new version.
        let again = try Upload(Self.batchedFiles, into: batched.store)
        guard case let .committed(unchanged) = try again.commit(to: batched.store, inBatchesOf: 2) else {
            Issue.record("the repeated commit wanted chunks")
            return
        }
        #expect(!unchanged.created && unchanged.version.id == many.version.id)
        #expect(try batched.store.versionCount(of: "proj", "data") == 1)
    }

    @Test(arguments: CatalogKind.available)
    func batchesThatRepeatAPathOrGoBackAreRefusedWithNothingVisible(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let upload = try Upload(Self.batchedFiles, into: fixture.store)
        let last = upload.version(4..<9)
        // "c/2" ends the first batch and starts the second.
        let repeated = CommitBatches { body in
            try body(upload.batch(0..<4))
            try body(upload.batch(3..<4))
        }
        #expect(throws: StoreError.conflictingPath(path: "c/2")) {
            try fixture.store.commit(
                last, after: repeated, project: "proj", stagedChunks: upload.staged.chunks, packs: [upload.staged.pack])
        }
        let backwards = CommitBatches { body in
            try body(upload.batch(2..<4))
            try body(upload.batch(0..<2))
        }
        #expect(throws: StoreError.invalidArgument(
            "part 1 starts with \"a\", which comes before \"c/2\", where part 0 ended: a version's parts must follow manifest (byte) order"))
        {
            try fixture.store.commit(
                last, after: backwards, project: "proj", stagedChunks: upload.staged.chunks, packs: [upload.staged.pack])
        }
        #expect(try fixture.store.projects().isEmpty)
        #expect(try fixture.catalog.packs().isEmpty)
    }

    @Test(arguments: CatalogKind.available)
    func aChunkMissingFromTheLastBatchIsNamedWithNothingVisible(_ kind: CatalogKind) throws {
        let fixture = try ConformanceFixture(kind)
        let upload = try Upload(Self.batchedFiles, into: fixture.store)
        // The last batch's "h" was not staged, nor is it in the store: the earlier batches are taken back.
        let lost = try #require(upload.files.first { $0.path == "h" }).digest
        let outcome = try fixture.store.commit(
            upload.version(4..<9), after: CommitBatches { body in try body(upload.batch(0..<4)) }, project: "proj",
            stagedChunks: upload.staged.chunks.filter { $0.digest != lost }, packs: [upload.staged.pack])
        guard case let .missingChunks(missing) = outcome else {
            Issue.record("committed without chunk \(lost)")
            return
        }
        #expect(missing == [lost])
        #expect(try fixture.store.projects().isEmpty)
        #expect(try fixture.catalog.packs().isEmpty)
        #expect(try fixture.catalog.chunkDigestPrefixes().isEmpty)
    }
}
