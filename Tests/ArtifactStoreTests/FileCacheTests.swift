import Foundation
import GRDB
import Testing
@testable import ArtifactStore

#if canImport(Glibc)
import Glibc
#endif

@Suite("FileCache: insert, lookup, checkout")
struct FileCacheTests {
    @Test func insertedFileIsFoundReadOnlyWithItsContent() throws {
        try withTemporaryCache { cache, _ throws in
            let blob = Blob("weights of epoch 7")
            let inserted = try cache.insert(blob)
            let found = try #require(try cache.lookup(digest: blob.digest, size: blob.size))
            #expect(found == inserted)
            #expect(try Data(contentsOf: found) == blob.data)
            #expect(try permissions(found.path) == 0o444)
            #expect(found.path.hasSuffix("obj/sha256/\(blob.digest.prefix(2))/\(blob.digest.dropFirst(2))"))
            #expect(try cache.lookup(digest: Blob("other").digest, size: 5) == nil)
            #expect(try cache.report() == CacheReport(bytes: blob.size, files: 1, path: cache.directory.path, projects: nil))
        }
    }

    @Test func contentNotMatchingItsDigestIsRefused() throws {
        try withTemporaryCache { cache, _ throws in
            let claimed = Blob("the real content")
            #expect(throws: StoreError.self) {
                try cache.insert(digest: claimed.digest, size: claimed.size) { try $0.write(Data("the real contenT".utf8)) }
            }
            #expect(try cache.lookup(digest: claimed.digest, size: claimed.size) == nil)
            #expect(try cache.report().files == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: cache.tmpPath).isEmpty)
        }
    }

    @Test func malformedDigestIsRefused() throws {
        try withTemporaryCache { cache, _ throws in
            #expect(throws: StoreError.self) { try cache.lookup(digest: "../../etc/passwd", size: 1) }
        }
    }

    @Test(arguments: LinkMode.allCases)
    func tamperedFileIsNeverServed(mode: LinkMode) throws {
        try withTemporaryCache { cache, root throws in
            let blob = Blob("a file someone will write through a hard link")
            let path = try cache.insert(blob).path
            chmod(path, 0o644)
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.seek(toOffset: 3)
            try handle.write(contentsOf: Data("X".utf8))
            try handle.close()

            let destination = root.appendingPathComponent("checkout.bin")
            #expect(try cache.copy(digest: blob.digest, size: blob.size, to: destination, mode: mode) == false)
            #expect(!FileManager.default.fileExists(atPath: destination.path))
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(try cache.report().files == 0)
        }
    }

    @Test func tamperedFileIsEvictedByLookup() throws {
        try withTemporaryCache { cache, _ throws in
            let blob = Blob("0123456789")
            let path = try cache.insert(blob).path
            chmod(path, 0o644)
            try Data("0123456780".utf8).write(to: URL(fileURLWithPath: path))
            #expect(try cache.lookup(digest: blob.digest, size: blob.size) == nil)
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(try cache.report().bytes == 0)
        }
    }

    @Test func fileOnlyChmodedIsKeptAndMadeReadOnlyAgain() throws {
        try withTemporaryCache { cache, _ throws in
            let blob = Blob("unchanged content")
            let path = try cache.insert(blob).path
            chmod(path, 0o666)
            #expect(try cache.lookup(digest: blob.digest, size: blob.size)?.path == path)
            #expect(try permissions(path) == 0o444)
            #expect(try cache.report().files == 1)
        }
    }

    @Test(arguments: LinkMode.allCases)
    func checkoutHasTheContentAndLinksAreReadOnly(mode: LinkMode) throws {
        try withTemporaryCache { cache, root throws in
            let blob = Blob("tokenizer.json contents")
            try cache.insert(blob)
            let destination = root.appendingPathComponent("tokenizer.json")
            try Data("stale".utf8).write(to: destination)
            #expect(try cache.copy(digest: blob.digest, size: blob.size, to: destination, mode: mode))
            #expect(try Data(contentsOf: destination) == blob.data)
            let linkTarget = try? FileManager.default.destinationOfSymbolicLink(atPath: destination.path)
            #expect((linkTarget != nil) == (mode == .symlink))
            if mode == .copy {
                #expect(try permissions(destination.path) & 0o200 != 0)
            } else {
                #expect(try permissions(destination.path) & 0o222 == 0)
            }
            // Linking must not make the next use hash the file again: still a plain hit.
            #expect(try cache.lookup(digest: blob.digest, size: blob.size) != nil)
            #expect(try cache.copy(digest: blob.digest, size: blob.size, to: destination, mode: mode))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".") }
            #expect(leftovers.isEmpty)
        }
    }

    @Test func copyOfAFileNotCachedReturnsFalse() throws {
        try withTemporaryCache { cache, root throws in
            let blob = Blob("never inserted")
            let destination = root.appendingPathComponent("x")
            for mode in LinkMode.allCases {
                #expect(try cache.copy(digest: blob.digest, size: blob.size, to: destination, mode: mode) == false)
            }
        }
    }

    @Test func concurrentInsertsOfOneDigestFromTwoCachesBothSucceed() throws {
        try withTemporaryCache { cache, _ throws in
            let other = try FileCache(directory: cache.directory)
            let blob = Blob(repeating: 7, count: 3 << 20)
            let results = ResultBox()
            DispatchQueue.concurrentPerform(iterations: 8) { round in
                do {
                    let url = try (round % 2 == 0 ? cache : other).insert(blob)
                    results.append(.success(url))
                } catch {
                    results.append(.failure(error))
                }
            }
            let urls = try results.all.map { try $0.get() }
            #expect(urls.count == 8)
            #expect(Set(urls).count == 1)
            #expect(try Data(contentsOf: urls[0]) == blob.data)
            #expect(try cache.report().files == 1)
            #expect(try other.report().bytes == blob.size)
            #expect(try cache.walkObjects().files == 1)
        }
    }

    @Test func temporaryLeftoversAreRemovedOnOpenAndNeverCounted() throws {
        try withTemporaryCache { cache, _ throws in
            try cache.insert(Blob("kept"))
            let stale = cache.tmpPath + "/dead-writer.part"
            let fresh = cache.tmpPath + "/live-writer.part"
            try Data(count: 4096).write(to: URL(fileURLWithPath: stale))
            try Data(count: 4096).write(to: URL(fileURLWithPath: fresh))
            let twoHoursAgo = Date().addingTimeInterval(-7200)
            try FileManager.default.setAttributes([.modificationDate: twoHoursAgo], ofItemAtPath: stale)

            let reopened = try FileCache(directory: cache.directory)
            #expect(!FileManager.default.fileExists(atPath: stale))
            #expect(FileManager.default.fileExists(atPath: fresh))
            #expect(try reopened.report().bytes == 4)
            #expect(try reopened.cleanup(toAtMost: 4).freedBytes == 0)
        }
    }

    @Test func theIndexKeepsItsWriteAheadLogWhenClosed() throws {
        try withTemporaryCache { _, root throws in
            let directory = root.appendingPathComponent("own-cache")
            let blob = Blob("kept across opens")
            do {
                let cache = try FileCache(directory: directory)
                try cache.insert(blob)
            }
            // The last connection has closed: SQLite would delete the WAL, and the next open would
            // create (and sync) it again.
            let wal = directory.appendingPathComponent("index.sqlite-wal").path
            #expect(FileManager.default.fileExists(atPath: wal))
            let reopened = try FileCache(directory: directory)
            #expect(try reopened.lookup(digest: blob.digest, size: blob.size) != nil)
            #expect(try reopened.report().files == 1)
        }
    }

    @Test func aNewIndexIsInWALModeAndCommitsWithoutSyncing() throws {
        try withTemporaryCache { cache, _ throws in
            // WAL: a `get` recording its uses does not make a `cache size` in another process wait.
            let mode = try cache.index.database.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
            // NORMAL (1): a commit in WAL mode is not synced; FULL would sync the WAL on every `get`.
            #expect(try cache.index.database.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 1)
            // And the file says so to any other connection, not only to this one.
            let other = try DatabaseQueue(path: cache.directory.appendingPathComponent("index.sqlite").path)
            #expect(try other.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        }
    }

    @Test func runningTotalEqualsAWalkOfTheObjects() throws {
        try withTemporaryCache { cache, _ throws in
            let blobs = (1...12).map { Blob(repeating: UInt8($0), count: $0 * 1000) }
            for blob in blobs { try cache.insert(blob) }
            try cache.insert(blobs[0])
            try cache.evict(digest: blobs[3].digest)
            _ = try cache.lookup(digest: blobs[1].digest, size: blobs[1].size)
            _ = try cache.cleanup(toAtMost: 50_000)
            let report = try cache.report()
            let walk = try cache.walkObjects()
            #expect(report.bytes == walk.bytes)
            #expect(report.files == walk.files)
            #expect(report.bytes <= 50_000 && report.files > 0)
        }
    }

    @Test func reportByProjectCountsSharedFilesInEachOwner() throws {
        try withTemporaryCache { cache, root throws in
            let vision = CacheOwner(project: "vision", artifact: "resnet")
            let visionData = CacheOwner(project: "vision", artifact: "imagenet")
            let nlp = CacheOwner(project: "nlp", artifact: "bert")
            let weights = Blob(repeating: 1, count: 1000)
            let labels = Blob(repeating: 2, count: 100)
            let vocab = Blob(repeating: 3, count: 10)
            try cache.insert(weights, owner: vision)
            try cache.insert(labels, owner: vision)
            try cache.insert(labels, owner: visionData)
            try cache.insert(vocab, owner: nlp)
            // A hit from another project records it as an owner too.
            _ = try cache.copy(
                digest: weights.digest, size: weights.size, to: root.appendingPathComponent("w"), mode: .copy, owner: nlp)

            let report = try cache.report(byProject: true)
            #expect(report.bytes == 1110 && report.files == 3)
            #expect(report.projects == [
                ProjectUsage(project: "vision", bytes: 1100, files: 2, artifacts: [
                    ArtifactUsage(artifact: "resnet", bytes: 1100, files: 2),
                    ArtifactUsage(artifact: "imagenet", bytes: 100, files: 1),
                ]),
                ProjectUsage(project: "nlp", bytes: 1010, files: 2, artifacts: [
                    ArtifactUsage(artifact: "bert", bytes: 1010, files: 2),
                ]),
            ])
            #expect(try cache.report().projects == nil)

            // Evicted files leave their owners' figures.
            try cache.evict(digest: weights.digest)
            let after = try cache.report(byProject: true).projects
            #expect(after?.map(\.bytes) == [100, 10])
        }
    }
}

/// Collects results from concurrent work.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<URL, Error>] = []

    func append(_ result: Result<URL, Error>) {
        lock.lock()
        results.append(result)
        lock.unlock()
    }

    var all: [Result<URL, Error>] {
        lock.lock()
        defer { lock.unlock() }
        return results
    }
}
