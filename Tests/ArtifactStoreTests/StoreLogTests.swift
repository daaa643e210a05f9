import Foundation
import Synchronization
import Testing
@testable import ArtifactStore
import StoreTestSupport

@Suite("Logging versions")
struct StoreLogTests {
    @Test func versionsAreNumberedAndLatestMoves() throws {
        let fixture = try StoreFixture()
        let first = try fixture.put(fixture.tree("a", ["x.txt": Array("one".utf8)]))
        let second = try fixture.put(fixture.tree("a", ["x.txt": Array("two".utf8)]))
        #expect(first.version.index == 0 && first.created)
        #expect(second.version.index == 1 && second.created)
        #expect(try fixture.store.version("proj/data:latest").index == 1)
        #expect(try fixture.store.version("proj/data:v0").aliases.isEmpty)
        #expect(try fixture.store.version("proj/data:v1").aliases == ["latest"])
    }

    @Test func unchangedContentMakesNoVersionButTakesAliases() throws {
        let fixture = try StoreFixture()
        let tree = try fixture.tree("a", ["x.txt": Array("same".utf8)])
        try fixture.put(tree)
        let again = try fixture.put(tree, aliases: ["best"])
        #expect(!again.created)
        #expect(again.version.index == 0)
        #expect(try fixture.store.versionCount(of: "proj", "data") == 1)
        #expect(try fixture.store.version("proj/data:best").index == 0)
    }

    @Test func digestDependsOnlyOnPathsAndContents() throws {
        let fixture = try StoreFixture()
        let tree = try fixture.tree("a", ["b/c.txt": Array("c".utf8), "a.txt": Array("a".utf8)])
        let one = try fixture.put(tree, "p1", "first")
        var draft = ArtifactDraft(name: "second", type: "model", description: "other", metadata: ["k": .int(1)])
        try draft.addDirectory(tree)
        let two = try fixture.store.log(draft, project: "p2")
        #expect(one.version.digest == two.version.digest)
        // The scheme, pinned: SHA-256 over a header line and sorted "path:digest" lines.
        let files = [ManifestEntry(path: "b", digest: "2", size: 1), ManifestEntry(path: "a", digest: "1", size: 1)]
        #expect(Store.manifestDigest(files) == "e105042fec951f05994de0a3b565c7a4093cdfb1eefce749d5796ea9c77e82e8")
        #expect(Store.manifestDigest(files) != Store.manifestDigest([files[0]]))
    }

    @Test func fileDigestIsTheSHA256OfItsBytesAroundTheOneChunkLimit() throws {
        let fixture = try StoreFixture()
        let limit = ChunkingParameters.standard.minSize
        // The last size is at least three chunks: the file's hash goes on from its first chunk's.
        let manyChunks = 2 * ChunkingParameters.standard.maxSize + 5
        var files: [String: [UInt8]] = [:]
        for (index, size) in [0, 1, limit - 1, limit, limit + 1, 4 * limit + 3, manyChunks].enumerated() {
            files["f\(index).bin"] = randomBytes(size, seed: UInt64(index))
        }
        let logged = try fixture.put(try fixture.tree("t", files))
        for entry in try fixture.store.files(of: logged.version) {
            #expect(entry.digest == sha256Hex(Data(files[entry.path]!)), "\(entry.path): \(entry.size) bytes")
        }
        let restored = fixture.root.appendingPathComponent("restored")
        try fixture.store.download(logged.version, to: restored, cache: fixture.cache)
        #expect(try fixture.contents(of: restored) == files.mapValues { Data($0) })
    }

    @Test func sharedFilesAddNoBytes() throws {
        let fixture = try StoreFixture()
        var files: [String: [UInt8]] = [:]
        for index in 0..<20 { files["f\(index).bin"] = randomBytes(10_000, seed: UInt64(index)) }
        let first = try fixture.put(fixture.tree("a", files))
        files["f3.bin"] = randomBytes(10_000, seed: 999)
        let second = try fixture.put(fixture.tree("a", files))
        // Random bytes do not compress: the one new file costs its size plus one record header.
        #expect(first.version.addedBytes == 20 * (10_000 + Int64(PackRecordHeader.size)))
        #expect(second.version.addedBytes == 10_000 + Int64(PackRecordHeader.size))
        let copy = try fixture.put(fixture.tree("a", files), "proj", "copy")
        #expect(copy.version.addedBytes == 0)
        #expect(try fixture.packBytes() == first.version.addedBytes + second.version.addedBytes)
    }

    @Test func smallEditInsideABigFileStoresAFewChunks() throws {
        let fixture = try StoreFixture()
        var big = randomBytes(24 << 20, seed: 7)
        let first = try fixture.put(fixture.tree("a", ["big.bin": big]))
        big.insert(contentsOf: randomBytes(100, seed: 8), at: 12 << 20)
        let inserted = try fixture.put(fixture.tree("a", ["big.bin": big]))
        for index in (6 << 20)..<((6 << 20) + 100) { big[index] ^= 0xFF }
        let overwritten = try fixture.put(fixture.tree("a", ["big.bin": big]))
        big.append(contentsOf: randomBytes(100, seed: 9))
        let appended = try fixture.put(fixture.tree("a", ["big.bin": big]))
        #expect(first.version.addedBytes > 24 << 20)
        // Each edit rewrites at most two chunks of at most 4 MiB; on average about 1-2 MiB.
        for result in [inserted, overwritten, appended] {
            #expect(result.version.addedBytes < 8 << 20, "\(result.version.versionName) added \(result.version.addedBytes)")
        }
        let restored = fixture.root.appendingPathComponent("out")
        try fixture.store.download(appended.version, to: restored, cache: nil)
        #expect(try Data(contentsOf: restored.appendingPathComponent("big.bin")) == Data(big))
    }

    @Test func concurrentLogsGetConsecutiveNumbers() throws {
        let fixture = try StoreFixture()
        let trees = try (0..<6).map { try fixture.tree("t\($0)", ["x": Array("content \($0)".utf8)]) }
        let indices = LockedList()
        let directory = fixture.store.directory
        DispatchQueue.concurrentPerform(iterations: trees.count) { index in
            let store = try! Store(directory: directory)
            var draft = ArtifactDraft(name: "data")
            try! draft.addDirectory(trees[index])
            indices.append(try! store.log(draft, project: "proj").version.index!)
        }
        #expect(indices.sorted == Array(0..<6))
    }

    @Test func invalidInputStoresNothing() throws {
        let fixture = try StoreFixture()
        let tree = try fixture.tree("a", ["x": [1]])
        #expect(throws: StoreError.self) { try fixture.put(tree, "proj", "bad name") }
        #expect(throws: StoreError.self) { try fixture.put(tree, aliases: ["latest"]) }
        #expect(throws: StoreError.self) { try fixture.put(tree, aliases: ["Best", "best"]) }
        var draft = ArtifactDraft(name: "data", metadata: ["x": .double(.infinity)])
        try draft.addDirectory(tree)
        #expect(throws: StoreError.self) { try fixture.store.log(draft, project: "proj") }
        #expect(try fixture.store.projects().isEmpty)
        #expect(try fixture.packBytes() == 0)
    }

    @Test func onePathFromTwoFilesIsFineOnlyWithEqualContent() throws {
        let fixture = try StoreFixture()
        let big = randomBytes(3 << 20, seed: 11)
        let first = try fixture.tree("one", ["x.bin": big]).appendingPathComponent("x.bin")
        let same = try fixture.tree("two", ["x.bin": big]).appendingPathComponent("x.bin")
        var changed = big
        changed[(2 << 20) + 5] ^= 1
        let other = try fixture.tree("three", ["x.bin": changed]).appendingPathComponent("x.bin")
        var draft = ArtifactDraft(name: "data")
        try draft.addFile(first)
        try draft.addFile(same)
        #expect(draft.sources.count == 1)
        #expect(throws: StoreError.conflictingPath(path: "x.bin")) { try draft.addFile(other) }
        #expect(draft.sources["x.bin"]?.filePath == first.path, "a refused file leaves the path's first source")
    }

    @Test func twoNamesThatDifferOnlyInUnicodeNormalizationAreRefusedNotMerged() throws {
        let fixture = try StoreFixture()
        // "é.txt" as one code point (NFC) and as "e" plus a combining accent (NFD): two files on disk.
        // With equal content one of them used to vanish from the version without a word.
        for contents in [("same", "same"), ("one", "two")] {
            // Two writes: as keys of one dictionary literal the two names would be one key.
            let tree = try fixture.tree("n-\(contents.1)", ["\u{E9}.txt": Array(contents.0.utf8)])
            #expect(FileManager.default.createFile(atPath: tree.path + "/e\u{301}.txt", contents: Data(contents.1.utf8)))
            #expect(try FileManager.default.contentsOfDirectory(atPath: tree.path).count == 2)
            var draft = ArtifactDraft(name: "data")
            do {
                try draft.addDirectory(tree)
                Issue.record("two spellings of one name were taken as one path: \(draft.sources.keys)")
            } catch let StoreError.unsafePath(_, reason) {
                #expect(reason.contains("\\u{E9}.txt") && reason.contains("e\\u{301}.txt"), "\(reason)")
                #expect(reason.contains("Unicode normalization"), "\(reason)")
            }
        }
        // Either spelling on its own is kept as written, byte for byte.
        let alone = try fixture.tree("alone", ["e\u{301}.txt": [1]])
        var draft = ArtifactDraft(name: "data")
        try draft.addDirectory(alone)
        #expect(draft.sourcesInManifestOrder.map { Array($0.path.utf8) } == [Array("e\u{301}.txt".utf8)])
    }

    @Test func aFileNameThatIsNotUTF8IsRefusedWithItsPath() throws {
        let fixture = try StoreFixture()
        let tree = try fixture.tree("a", ["sub/ok.txt": [1]])
        // "f", an invalid byte, "g": a name the file system takes and a manifest cannot hold.
        let name: [CChar] = [0x66, CChar(bitPattern: 0xFF), 0x67, 0]
        let fd = tree.appendingPathComponent("sub").path.withCString { directory in
            open(directory, O_RDONLY | O_DIRECTORY)
        }
        #expect(fd >= 0)
        defer { close(fd) }
        let file = openat(fd, name, O_WRONLY | O_CREAT, 0o644)
        #expect(file >= 0)
        close(file)
        var draft = ArtifactDraft(name: "data")
        #expect(throws: StoreError.unsafePath(path: "sub/f\u{FFFD}g", reason: "the file name is not valid UTF-8")) {
            try draft.addDirectory(tree)
        }
    }

    @Test func typeOfAnArtifactIsFixed() throws {
        let fixture = try StoreFixture()
        try fixture.put(fixture.tree("a", ["x": [1]]))
        #expect(throws: StoreError.typeMismatch(artifact: "proj/data", existing: "dataset", requested: "model")) {
            try fixture.put(fixture.tree("a", ["x": [2]]), type: "model")
        }
    }

    @Test func specialFilesAndEscapingLinksAreRefused() throws {
        let fixture = try StoreFixture()
        let tree = try fixture.tree("a", ["x": [1]])
        try FileManager.default.createSymbolicLink(
            atPath: tree.appendingPathComponent("out").path, withDestinationPath: "/etc/hostname")
        var draft = ArtifactDraft(name: "data")
        #expect(throws: StoreError.self) { try draft.addDirectory(tree) }
        try FileManager.default.removeItem(at: tree.appendingPathComponent("out"))
        #expect(mkfifo(tree.appendingPathComponent("pipe").path, 0o644) == 0)
        #expect { try draft.addDirectory(tree) } throws: { error in
            guard case .unsupportedFile(_, let kind)? = error as? StoreError else { return false }
            return kind == "fifo"
        }
    }

    /// A link to a file that is not there was refused as one that "leaves" the tree, and the advice
    /// to pass --symlinks follow could not help: say what is wrong with it, under every policy.
    @Test(arguments: [SymlinkPolicy.refuse, .follow, .reference])
    func aDanglingLinkIsNamedAsPointingAtNothing(policy: SymlinkPolicy) throws {
        let fixture = try StoreFixture()
        let tree = try fixture.tree("a", ["x": [1]])
        try FileManager.default.createSymbolicLink(
            atPath: tree.appendingPathComponent("gone").path, withDestinationPath: "deleted-since")
        var draft = ArtifactDraft(name: "data")
        draft.symlinks = policy
        #expect { try draft.addDirectory(tree) } throws: { error in
            guard case let .unsafePath(path, reason)? = error as? StoreError else { return false }
            return path.hasSuffix("/a/gone") && reason == "the symbolic link points at nothing"
        }
    }
}

/// A list appended to from several threads.
final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Int] = []

    func append(_ item: Int) { lock.withLock { items.append(item) } }
    var sorted: [Int] { lock.withLock { items.sorted() } }
}

@Suite("Stat cache")
struct StatCacheTests {
    @Test func racyWindowFollowsTheTimestampGranularity() throws {
        let fixture = try StoreFixture()
        let cache = try StatCache(path: fixture.root.appendingPathComponent("racy.sqlite").path)
        let entry = { (modified: Int64, checkedAfter: Int64) in
            StatCache.Entry(
                signature: FileSignature(size: 1, modifiedNs: modified, inode: 1, changedNs: modified),
                digest: "d", checkedNs: modified + checkedAfter)
        }
        let fine: Int64 = 1_700_000_000_123_456_789, whole: Int64 = 1_700_000_000_000_000_000
        #expect(!cache.isTrustworthy(entry(fine, 50_000_000)), "checked 50 ms after a nanosecond mtime")
        #expect(cache.isTrustworthy(entry(fine, 150_000_000)))
        #expect(!cache.isTrustworthy(entry(whole, 1_500_000_000)), "whole-second mtimes may be 2 s coarse")
        #expect(cache.isTrustworthy(entry(whole, 2_500_000_000)))
    }

    @Test func unchangedFilesAreNotReadAgainButInPlaceEditsAreCaught() throws {
        let fixture = try StoreFixture()
        let store = try Self.storeTrustingItsStatCache(fixture)
        let tree = try fixture.tree("t", ["a": Array("alpha".utf8), "b": Array("bravo".utf8)])
        var draft = ArtifactDraft(name: "data")
        try draft.addDirectory(tree)
        #expect(try store.log(draft, project: "proj").filesRead == 2)
        let again = try store.log(draft, project: "proj")
        #expect(!again.created && again.filesRead == 0)
        // Same size, same mtime restored: the ctime still tells.
        let file = tree.appendingPathComponent("a").path
        let before = try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as! Date
        try Data("ALPHA".utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.setAttributes([.modificationDate: before], ofItemAtPath: file)
        let edited = try store.log(draft, project: "proj")
        #expect(edited.created && edited.filesRead == 1)
        let out = fixture.root.appendingPathComponent("out")
        try store.download(edited.version, to: out, cache: nil)
        #expect(try Data(contentsOf: out.appendingPathComponent("a")) == Data("ALPHA".utf8))
    }

    /// Entries come back one per path asked for, in the order asked: paths out of byte order, given
    /// twice, not remembered, nil, and rows in the scanned range that nobody asked for.
    @Test func entriesAnswerEachPathInItsPlace() throws {
        let fixture = try StoreFixture()
        let cache = try StatCache(path: fixture.root.appendingPathComponent("entries.sqlite").path, racyWindowNs: 0)
        let entry = { (digest: String, size: Int64) in
            StatCache.Entry(
                signature: FileSignature(size: size, modifiedNs: 10, inode: size, changedNs: 10),
                digest: digest, checkedNs: 1_000)
        }
        cache.record([
            ("/t/a", entry("da", 1)), ("/t/a.txt", entry("dat", 2)), ("/t/a/b", entry("dab", 3)),
            ("/t/b", entry("db", 4)), ("/t/\u{e9}", entry("de", 5)), ("/u/x", entry("dx", 6)),
        ])
        let asked: [String?] = ["/t/b", "/t/a/b", nil, "/t/missing", "/t/a", "/t/b", "/t/\u{e9}", "/t/a.tx"]
        let found = cache.entries(for: asked)
        #expect(found.map { $0?.digest } == ["db", "dab", nil, nil, "da", "db", "de", nil])
        #expect(found[1]?.signature == FileSignature(size: 3, modifiedNs: 10, inode: 3, changedNs: 10))
        // In byte order already (a put of one directory), and nothing remembered at all.
        #expect(cache.entries(for: ["/t/a", "/t/a.txt", "/t/a/b", "/u/x"]).map { $0?.digest } == ["da", "dat", "dab", "dx"])
        #expect(cache.entries(for: [nil, nil]).allSatisfy { $0 == nil })
        #expect(cache.entries(for: ["/v/1", "/v/0"]).allSatisfy { $0 == nil })
    }

    /// The stat cache's write-ahead log and shared-memory index outlive the connection, the log emptied:
    /// each put would otherwise create both files and unlink them again, and read back no frames.
    @Test func theStatCacheKeepsItsWriteAheadLogFilesEmptied() throws {
        let fixture = try StoreFixture()
        let path = fixture.root.appendingPathComponent("kept.sqlite").path
        do {
            let cache = try StatCache(path: path, racyWindowNs: 0)
            let signature = FileSignature(size: 1, modifiedNs: 10, inode: 1, changedNs: 10)
            cache.record([("/t/a", StatCache.Entry(signature: signature, digest: "da", checkedNs: 1_000))])
        }
        let sizes = ["-wal", "-shm"].map { try? FileManager.default.attributesOfItem(atPath: path + $0)[.size] as? Int }
        #expect(sizes[0] == 0 && sizes[1] != nil, "WAL and shared-memory sizes after close: \(sizes)")
        let reopened = try StatCache(path: path, racyWindowNs: 0)
        #expect(reopened.entries(for: ["/t/a"]).map { $0?.digest } == ["da"])
    }

    /// Entries staged while a version commits are there once kept, and gone when discarded or when
    /// their handle is dropped undecided; neither leaves the cache locked for the next writer.
    @Test func stagedEntriesAreKeptOnlyWhenTheCommitSaysSo() throws {
        let fixture = try StoreFixture()
        let cache = try StatCache(path: fixture.root.appendingPathComponent("staged.sqlite").path, racyWindowNs: 0)
        let entry = { (digest: String) in
            StatCache.Entry(
                signature: FileSignature(size: 1, modifiedNs: 10, inode: 1, changedNs: 10), digest: digest, checkedNs: 1_000)
        }
        let kept = try #require(cache.stage([("/t/kept", entry("dk"))]))
        kept.finish(keeping: true)
        kept.finish(keeping: false)  // Only the first decision counts.
        try #require(cache.stage([("/t/discarded", entry("dd")), ("/t/kept", entry("changed"))])).finish(keeping: false)
        do { _ = cache.stage([("/t/dropped", entry("dx"))]) }
        cache.record([("/t/recorded", entry("dr"))])
        #expect(cache.entries(for: ["/t/kept", "/t/discarded", "/t/dropped", "/t/recorded"]).map { $0?.digest }
            == ["dk", nil, nil, "dr"])
        // Nothing trustworthy to write: no transaction at all.
        let racy = try StatCache(path: fixture.root.appendingPathComponent("racy-stage.sqlite").path)
        #expect(racy.stage([("/t/new", StatCache.Entry(
            signature: FileSignature(size: 1, modifiedNs: 10, inode: 1, changedNs: 10), digest: "dn", checkedNs: 11))]) == nil)
    }

    /// Files the stat cache vouches for are settled before any file is read: the progress still
    /// counts every file and byte, whether some files are read or none.
    @Test func progressCountsFilesTheStatCacheVouchesFor() throws {
        let fixture = try StoreFixture()
        let store = try Self.storeTrustingItsStatCache(fixture)
        let files = ["a": Array("alpha".utf8), "b": Array("bravo".utf8), "c": Array("charlie!".utf8)]
        let tree = try fixture.tree("t", files)
        var draft = ArtifactDraft(name: "data")
        try draft.addDirectory(tree)
        #expect(try store.log(draft, project: "proj").filesRead == 3)
        let totalBytes = Int64(files.values.reduce(0) { $0 + $1.count })

        let last = { (result: (@escaping @Sendable (TransferProgress) -> Void) throws -> LogResult)
            -> (LogResult, TransferProgress?) in
            let seen = Mutex<TransferProgress?>(nil)
            let outcome = try result { progress in
                seen.withLock { if $0 == nil || $0!.filesDone < progress.filesDone { $0 = progress } }
            }
            return (outcome, seen.withLock { $0 })
        }
        let (unchanged, unchangedProgress) = try last { try store.log(draft, project: "proj", progress: $0) }
        #expect(!unchanged.created && unchanged.filesRead == 0)
        #expect(unchangedProgress?.filesDone == 3 && unchangedProgress?.bytesDone == totalBytes)

        try Data("BRAVO, longer".utf8).write(to: tree.appendingPathComponent("b"))
        let (edited, editedProgress) = try last { try store.log(draft, project: "proj", progress: $0) }
        #expect(edited.created && edited.filesRead == 1)
        #expect(editedProgress?.filesDone == 3 && editedProgress?.filesTotal == 3)
        #expect(editedProgress?.bytesDone == totalBytes - 5 + 13 && editedProgress?.bytesTotal == totalBytes - 5 + 13)
    }
}

extension StatCacheTests {
    /// The fixture's store with a stat cache of its own that trusts an entry at once (no racy window),
    /// so a put right after a put reads nothing again.
    static func storeTrustingItsStatCache(_ fixture: StoreFixture) throws -> Store {
        let directory = fixture.store.directory
        let statCache = try StatCache(path: directory.appendingPathComponent("stat-test.sqlite").path, racyWindowNs: 0)
        return Store(directory: directory, catalog: fixture.store.catalog, objects: fixture.store.objects) { statCache }
    }
}
