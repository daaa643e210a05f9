import Crypto
import Foundation
import Synchronization
import Testing
@testable import ArtifactStore
import StoreTestSupport

/// What a team server's client needs from the core: cutting without storing, stored records copied
/// out and staged into another store, a version committed there without cutting again, and the
/// restore reading from a source other than the store.
@Suite struct TransferCoreTests {
    private static func files() -> [String: [UInt8]] {
        [
            "big.bin": randomBytes(3_000_000, seed: 7), "text.txt": textLikeBytes(count: 900_000, seed: 8),
            "small.txt": Array("hello\n".utf8), "empty": [],
        ]
    }

    @Test func cuttingWithoutStoringGivesTheDigestsAndChunksTheStoreRecords() throws {
        let fixture = try StoreFixture()
        let directory = try fixture.tree("data", Self.files())
        let version = try fixture.put(directory).version
        let stored = try fixture.store.catalog.chunkLocations(versionID: version.id)
        for file in try fixture.store.files(of: version) {
            let cut = try CutContent.cut(fileAt: directory.appendingPathComponent(file.path).path)
            #expect(cut.record.digest == file.digest, "\(file.path)")
            #expect(cut.record.size == file.size)
            #expect(cut.chunkLengths.reduce(0, +) == Int(file.size))
            #expect(cut.record.chunks == (stored[file.digest] ?? []).map(\.digest), "\(file.path)")
        }
        #expect(try fixture.store.files(of: version).count == 4)
    }

    @Test func aRecognisedFileIsNotReadAgainAndKeepsItsChunkList() async throws {
        let fixture = try StoreFixture()
        let directory = try fixture.tree("data", Self.files())
        try await Task.sleep(for: .milliseconds(250))  // past the stat cache's racy window
        var draft = ArtifactDraft(name: "data", type: "dataset")
        try draft.addDirectory(directory)
        let sources = draft.sources.values.sorted { $0.path < $1.path }
        let paths = (stat: fixture.root.appendingPathComponent("stat.sqlite").path,
                     lists: fixture.root.appendingPathComponent("lists.sqlite").path)
        let first = try DraftCutter(statCachePath: paths.stat, chunkListPath: paths.lists)
        let cut = try first.cut(sources)
        #expect(cut.allSatisfy { $0.content != nil })
        first.remember(cut)
        let second = try DraftCutter(statCachePath: paths.stat, chunkListPath: paths.lists)
        var again = try second.cut(sources)
        #expect(again.allSatisfy { $0.remembered == nil }, "nothing read again")
        #expect(again.allSatisfy { $0.content == nil }, "chunk lists are looked up only when asked for")
        #expect(again.map(\.entry) == cut.map(\.entry))
        second.recallChunkLists(of: &again)
        #expect(again.map(\.content) == cut.map(\.content))
        // Without the chunk lists, a recognised file keeps its digest only.
        let bareCutter = try DraftCutter(statCachePath: paths.stat)
        var bare = try bareCutter.cut(sources)
        bareCutter.recallChunkLists(of: &bare)
        #expect(bare.map(\.entry) == cut.map(\.entry))
        #expect(bare.allSatisfy { $0.content == nil })
    }

    /// What the cutting threads' sinks were shown, and how many sinks were made and finished.
    final class SinkRecord: Sendable {
        let files = Mutex<[(path: String, chunks: [(bytes: [UInt8], hex: String)])]>([])
        let made = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
    }

    /// One cutting thread's sink, writing to a shared record.
    final class RecordingSink: CutChunkSink {
        let record: SinkRecord
        private var chunks: [(bytes: [UInt8], hex: String)] = []

        init(_ record: SinkRecord) {
            self.record = record
            record.made.add(1, ordering: .relaxed)
        }

        func chunk(_ bytes: UnsafeRawBufferPointer, digest: [UInt8], hex: String) throws {
            #expect(Hex.encode(digest) == hex)
            #expect(Hex.encode(SHA256.hash(data: bytes)) == hex, "the digest is the chunk's own")
            chunks.append((Array(bytes), hex))
        }

        func fileRead(_ file: DraftCutter.CutFile) throws {
            let (path, read) = (file.entry.path, chunks)
            record.files.withLock { $0.append((path, read)) }
            chunks = []
        }

        func finish() throws { record.finished.add(1, ordering: .relaxed) }
    }

    @Test func eachThreadsSinkSeesEveryChunkOfEachFileReadInOrderThenTheFile() throws {
        let fixture = try StoreFixture()
        let files = Self.files()
        let directory = try fixture.tree("data", files)
        var draft = ArtifactDraft(name: "data", type: "dataset")
        try draft.addDirectory(directory)
        let sources = draft.sources.values.sorted { $0.path < $1.path }
        let record = SinkRecord()
        let cut = try DraftCutter(statCachePath: nil).cut(sources, sinks: { RecordingSink(record) })
        let made = record.made.load(ordering: .relaxed)
        #expect(made >= 1)
        #expect(record.finished.load(ordering: .relaxed) == made, "every thread's sink is finished")
        let shown = record.files.withLock { $0 }
        #expect(shown.map(\.path).sorted() == files.keys.sorted(), "each file is reported once, when read whole")
        let byFile = Dictionary(shown.map { ($0.path, $0.chunks) }, uniquingKeysWith: { first, _ in first })
        for file in cut {
            let chunks = try #require(byFile[file.entry.path])
            #expect(chunks.flatMap(\.bytes) == files[file.entry.path], "\(file.entry.path): its bytes, in order")
            #expect(chunks.map(\.hex) == file.content?.record.chunks, "\(file.entry.path): the chunks the cut records")
        }
    }

    @Test func aVersionCopiedAsStoredRecordsIsCommittedElsewhereWithTheSameDigest() throws {
        let source = try StoreFixture()
        let target = try StoreFixture()
        let version = try source.put(source.tree("data", Self.files()), aliases: ["best"]).version
        let chunks = try source.store.catalog.chunkLocations(versionID: version.id)
        var records: [UInt8] = []
        let reader = StoredRecordReader(objects: source.store.objects)
        for chunk in chunks.values.joined() { try reader.append(chunk, to: &records) }

        let staged = try target.store.stage(pack: Data(records), maxRawLength: 16 << 20)
        #expect(Set(staged.chunks.map(\.digest)) == Set(chunks.values.joined().map(\.digest)))
        let upload = UploadedVersion(
            name: "data", type: "dataset", description: "copied", metadata: ["k": .int(1)], aliases: ["best"],
            runID: nil, files: try source.store.files(of: version),
            contents: chunks.map { ContentRecord(digest: $0.key, size: $0.value.reduce(0) { $0 + Int64($1.location.rawLength) }, chunks: $0.value.map(\.digest)) }
                + [ContentRecord(digest: CutContent.cut(data: Data()).record.digest, size: 0, chunks: [])])
        guard case let .committed(result) = try target.store.commit(
            upload, project: "copy", stagedChunks: staged.chunks, packs: [staged.pack])
        else { Issue.record("the commit wanted chunks"); return }
        #expect(result.version.digest == version.digest)
        #expect(result.version.aliases.sorted() == ["best", "latest"])
        let out = target.root.appendingPathComponent("out")
        try target.store.download(result.version, to: out, cache: target.cache)
        for (path, bytes) in Self.files() {
            #expect(try Data(contentsOf: out.appendingPathComponent(path)) == Data(bytes), "\(path)")
        }
        var verifier = StoreVerifier(store: target.store)
        verifier.readData = true
        #expect(try verifier.verify(.store).isClean)
    }

    @Test("an uploaded reference with a control character in its URI, checksum or version is refused, nothing stored",
          arguments: [
              FileReference(uri: "s3://bucket/a\u{0}b"), FileReference(uri: "s3://bucket/a\nb"),
              FileReference(uri: "s3://bucket/a", objectVersion: "v\u{0}"),
          ])
    func referencesWithControlCharactersAreRefused(reference: FileReference) throws {
        let target = try StoreFixture()
        let upload = UploadedVersion(
            name: "refs", type: "dataset", description: "", metadata: [:], aliases: [], runID: nil,
            files: [ManifestEntry(path: "r", digest: "etag-1", size: 3, reference: reference)], contents: [])
        #expect(throws: StoreError.self) {
            try target.store.commit(upload, project: "p", stagedChunks: [], packs: [])
        }
        #expect(try target.store.catalog.projects().isEmpty)
    }

    @Test func recordsReadWindowByWindowAreTheRecordsReadWhole() throws {
        let fixture = try StoreFixture()
        let version = try fixture.put(fixture.tree("data", Self.files())).version
        let stored = Array(try fixture.store.catalog.chunkLocations(versionID: version.id).values.joined())
        #expect(stored.count >= 4)
        // Backwards, one chunk twice, and the big file's records (hundreds of KiB) cut across windows.
        let chunks = stored.reversed() + [stored[0]]
        let reader = StoredRecordReader(objects: fixture.store.objects)
        let length = StoredRecordReader.recordBytes(of: chunks)
        var whole = [UInt8](repeating: 0, count: length)
        try whole.withUnsafeMutableBytes { try reader.read(chunks.map { RecordSpan($0.location) }, into: $0) }
        let largest = Int(chunks.map(\.location.storedLength).max()!)
        #expect(largest > 64 << 10)
        for (windowBytes, alignment) in [(1000, 1), (64 << 10, 4096), (largest, 1), (2 * length, 1)] as [(Int, Int64)] {
            let windows = StoredRecordReader.windows(of: chunks, windowBytes: windowBytes, alignment: alignment)
            #expect(windows.allSatisfy { !$0.isEmpty && StoredRecordReader.byteCount(of: $0) <= windowBytes }, "\(windowBytes)")
            // A record is cut only when longer than a window, at aligned offsets in the pack.
            let cuts = windows.dropLast().map { $0.last!.range.upperBound }.filter { end in
                !chunks.contains { $0.location.offset + $0.location.storedLength == end }
            }
            #expect(cuts.allSatisfy { $0 % alignment == 0 } && (windowBytes < largest || cuts.isEmpty), "\(windowBytes)")
            if windowBytes >= length { #expect(windows.count == 1) }
            var joined: [UInt8] = []
            for window in windows {
                var bytes = [UInt8](repeating: 0, count: StoredRecordReader.byteCount(of: window))
                try bytes.withUnsafeMutableBytes { try reader.read(window, into: $0) }
                joined += bytes
            }
            #expect(joined == whole, "\(windowBytes)")
        }
        // The records decode to the chunks asked for, in order.
        var decoded: [String] = []
        try whole.withUnsafeBytes { records in
            try PackRecords.forEachChunk(in: records, maxRawLength: 16 << 20, codec: ZstdCodec()) { digest, _ in
                decoded.append(digest)
            }
        }
        #expect(decoded == chunks.map(\.digest))
    }

    @Test func damagedRecordsAreRefusedAndNothingIsStored() throws {
        let fixture = try StoreFixture()
        var pack: [UInt8] = []
        Array("some chunk bytes".utf8).withUnsafeBytes { _ = PackRecords.append(chunk: $0, to: &pack, codec: ZstdCodec()) }
        pack[pack.count - 1] ^= 0xFF
        let before = try fixture.store.objects.list().count
        #expect(throws: StoreError.self) { try fixture.store.stage(pack: Data(pack), maxRawLength: 1 << 20) }
        #expect(try fixture.store.objects.list().count == before)
    }

    /// An object store whose writes fail as a remote one's do when it is down.
    private struct UnavailableObjects: ObjectStore {
        struct Outage: Error, Equatable {}
        let inner: LocalObjectStore
        func store(key: String, movingFile file: URL) throws { throw Outage() }
        func store(key: String, bytes: Data) throws { throw Outage() }
        func reader(key: String) throws -> any ObjectReader { try inner.reader(key: key) }
        func read(key: String, ranges: [Range<Int64>]) throws -> ObjectRanges { try inner.read(key: key, ranges: ranges) }
        func read(
            key: String, ranges: [Range<Int64>], forEachPiece body: (Int, Int, UnsafeRawBufferPointer) throws -> Void
        ) throws -> Int64 { try inner.read(key: key, ranges: ranges, forEachPiece: body) }
        func delete(key: String) throws { try inner.delete(key: key) }
        func list() throws -> [ObjectInfo] { try inner.list() }
        var stagingDirectory: URL { inner.stagingDirectory }
    }

    @Test("a pack the object store cannot take fails with the object store's own error, not a disk fault")
    func stagingPassesOnTheObjectStoresError() throws {
        let fixture = try StoreFixture()
        let objects = UnavailableObjects(inner: try LocalObjectStore(
            root: fixture.root.appendingPathComponent("objects"), stagingDirectory: fixture.root.appendingPathComponent("staging")))
        let store = Store(directory: fixture.root.appendingPathComponent("store"), catalog: fixture.store.catalog, objects: objects)
        var pack: [UInt8] = []
        Array("some chunk bytes".utf8).withUnsafeBytes { _ = PackRecords.append(chunk: $0, to: &pack, codec: ZstdCodec()) }
        // The server tells an unavailable S3 store (503) from a fault of its own (500) by this error's type.
        #expect(throws: UnavailableObjects.Outage()) { try store.stage(pack: Data(pack), maxRawLength: 1 << 20) }
    }

    /// An object store that has stopped answering: every read fails with an outage.
    private struct HungObjects: ObjectStore {
        struct Hung: ObjectStoreFailure, Equatable { var isOutage: Bool { true } }
        let inner: any ObjectStore
        func store(key: String, movingFile file: URL) throws { throw Hung() }
        func store(key: String, bytes: Data) throws { throw Hung() }
        func reader(key: String) throws -> any ObjectReader { throw Hung() }
        func read(key: String, ranges: [Range<Int64>]) throws -> ObjectRanges { throw Hung() }
        func read(
            key: String, ranges: [Range<Int64>], forEachPiece body: (Int, Int, UnsafeRawBufferPointer) throws -> Void
        ) throws -> Int64 { throw Hung() }
        func delete(key: String) throws { throw Hung() }
        func list() throws -> [ObjectInfo] { try inner.list() }
        var stagingDirectory: URL { inner.stagingDirectory }
    }

    @Test("verify on a store whose objects do not answer fails with the outage instead of reporting lost chunks")
    func verifyStopsAtAnObjectStoreOutage() throws {
        let fixture = try StoreFixture()
        try fixture.put(try fixture.tree("data", ["a.bin": randomBytes(300_000, seed: 5), "b.txt": Array("b\n".utf8)]))
        let hung = Store(
            directory: fixture.root.appendingPathComponent("store"), catalog: fixture.store.catalog,
            objects: HungObjects(inner: fixture.store.objects))
        var verifier = StoreVerifier(store: hung)
        verifier.readData = true
        #expect(throws: HungObjects.Hung()) { _ = try verifier.verify(.store) }
        // The same store answering: no damage, so nothing was marked either.
        #expect(try StoreVerifier(store: fixture.store).verify(.store).isClean)
    }

    @Test func theRestoreReadsFromAnyChunkSourceThroughTheCache() throws {
        let fixture = try StoreFixture()
        let files: [String: [UInt8]] = ["a/one.txt": Array("one\n".utf8), "b/two.bin": randomBytes(700_000, seed: 3)]
        let entries = files.map { path, bytes in
            ManifestEntry(path: path, digest: CutContent.cut(data: Data(bytes)).record.digest, size: Int64(bytes.count))
        }
        let byDigest = Dictionary(uniqueKeysWithValues: entries.map { ($0.digest, files[$0.path]!) })
        var restorer = try FileRestorer(
            root: fixture.root.appendingPathComponent("out"), versionName: "p/a:v0",
            owner: CacheOwner(project: "p", artifact: "a"), cache: fixture.cache, mode: .copy, workers: 4)
        try restorer.prepareDirectories(for: entries.map(\.path))
        let checkedReads = ReadCounter()
        let first = try restorer.restore(entries, makeSource: { MemorySource(byDigest, checkedReads: checkedReads) })
        #expect(first.fromSource == 2)
        // The whole file's digest is the proof: intact files hash no chunk on their own.
        #expect(checkedReads.count.withLock { $0 } == 0)
        for (path, bytes) in files {
            #expect(try Data(contentsOf: fixture.root.appendingPathComponent("out/\(path)")) == Data(bytes))
        }
        var elsewhere = try FileRestorer(
            root: fixture.root.appendingPathComponent("out2"), versionName: "p/a:v0",
            owner: CacheOwner(project: "p", artifact: "a"), cache: fixture.cache, mode: .copy, workers: 1)
        try elsewhere.prepareDirectories(for: entries.map(\.path))
        #expect(try elsewhere.restore(entries, makeSource: { MemorySource([:]) }).fromCache == 2)
        // Bytes that do not match their digest are a damaged file, named.
        var damaged = byDigest
        damaged[entries[0].digest] = Array("not it".utf8)
        let wrong = damaged
        var third = try FileRestorer(
            root: fixture.root.appendingPathComponent("out3"), versionName: "p/a:v0",
            owner: CacheOwner(project: "p", artifact: "a"), cache: nil, mode: .copy, workers: 1)
        try third.prepareDirectories(for: entries.map(\.path))
        // Chunks are checked one by one only after the file does not match, to name the damaged one.
        #expect { try third.restore([entries[0]], makeSource: { MemorySource(wrong, checkedReads: checkedReads) }) } throws: { error in
            guard case let .damagedFile(version, path, detail)? = error as? StoreError else { return false }
            return version == "p/a:v0" && path == entries[0].path && detail.contains("chunk \(entries[0].digest.prefix(12))")
        }
        #expect(checkedReads.count.withLock { $0 } == 1)
    }

    @Test func withoutNeighbourRunsTheWorkersTakeTheFilesInTheManifestsOrder() throws {
        let fixture = try StoreFixture()
        let count = 512
        let entries = (0..<count).map { index in
            let bytes = Array("file \(index)\n".utf8)
            return (ManifestEntry(
                path: String(format: "d/f%03d.txt", index), digest: CutContent.cut(data: Data(bytes)).record.digest,
                size: Int64(bytes.count)), bytes)
        }
        let byDigest = Dictionary(entries.map { ($0.0.digest, $0.1) }, uniquingKeysWith: { first, _ in first })
        let position = Dictionary(entries.enumerated().map { ($0.element.0.digest, $0.offset) }, uniquingKeysWith: { first, _ in first })
        /// How far from the manifest's order the files were asked for: each file's distance between its
        /// place in the asking order and in the manifest.
        func displacements(neighbourRuns: Bool, into folder: String) throws -> [Int] {
            let asked = OrderRecorder()
            var restorer = try FileRestorer(
                root: fixture.root.appendingPathComponent(folder), versionName: "p/a:v0",
                owner: CacheOwner(project: "p", artifact: "a"), cache: nil, mode: .copy, workers: 4)
            restorer.neighbourRuns = neighbourRuns
            try restorer.prepareDirectories(for: entries.map(\.0.path))
            // A source that takes a while per file, as a server's does, so the workers overlap.
            _ = try restorer.restore(entries.map(\.0), makeSource: { MemorySource(byDigest, asked: asked, delay: 0.002) })
            let order = asked.digests.withLock { $0 }.map { position[$0]! }
            #expect(order.sorted() == Array(0..<count))
            return order.enumerated().map { abs($0.offset - $0.element) }
        }
        // One at a time in order: only the workers' races reorder neighbours. A worker the scheduler
        // stops between taking a file and asking for it (a loaded machine) moves that one file far, and
        // the rest by one place: so most files, not every file, stay near their place.
        let inOrder = try displacements(neighbourRuns: false, into: "in-order")
        #expect(inOrder.filter { $0 > 12 }.count <= count / 10, "\(inOrder)")
        // Runs of neighbours: the second worker starts 32 files in (512 / (4 workers * 4)).
        #expect(try displacements(neighbourRuns: true, into: "runs").max()! >= 20)
    }
}
