import Foundation
import GRDB
import Testing
@testable import ArtifactStore

@Suite("FileCache: cleanup and pins")
struct CacheCleanupTests {
    @Test func cleanupEvictsTheLeastRecentlyUsedFirst() throws {
        try withTemporaryCache { cache, _ throws in
            let a = Blob(repeating: 0xA, count: 100), b = Blob(repeating: 0xB, count: 100), c = Blob(repeating: 0xC, count: 100)
            for blob in [a, b, c] { try cache.insert(blob) }
            #expect(try cache.lookup(digest: a.digest, size: a.size) != nil)

            let result = try cache.cleanup(toAtMost: 200)
            #expect(result == CleanupResult(freedBytes: 100, removedFiles: 1, remainingBytes: 200, remainingFiles: 2, skippedPinnedFiles: 0))
            #expect(try cache.lookup(digest: b.digest, size: b.size) == nil)
            #expect(try cache.lookup(digest: a.digest, size: a.size) != nil)
            #expect(try cache.lookup(digest: c.digest, size: c.size) != nil)
            #expect(!FileManager.default.fileExists(atPath: cache.objectPath(b.digest)))
        }
    }

    @Test func usesNotedWhileDeferringCountForLeastRecentlyUsedOrder() throws {
        try withTemporaryCache { cache, directory throws in
            let a = Blob(repeating: 0x1A, count: 100), b = Blob(repeating: 0x1B, count: 100)
            try cache.insert(a)
            try cache.insert(b)
            let destination = directory.appendingPathComponent("out-a")
            let owner = CacheOwner(project: "p", artifact: "x")
            let pin = try cache.pin([a.digest])
            let copied = try cache.deferringUses {
                try cache.copy(digest: a.digest, size: a.size, to: destination, mode: .copy, owner: owner)
            }
            #expect(copied)
            try pin.release()
            // a was used after b was inserted, so b is the least recently used and goes first.
            let result = try cache.cleanup(toAtMost: 100)
            #expect(result.removedFiles == 1)
            #expect(try cache.lookup(digest: b.digest, size: b.size) == nil)
            #expect(try cache.lookup(digest: a.digest, size: a.size) != nil)
            #expect(try cache.report(byProject: true).projects?.map(\.project) == ["p"])
        }
    }

    @Test func pinnedFileSurvivesCleanupUntilReleased() throws {
        try withTemporaryCache { cache, _ throws in
            let used = Blob(repeating: 1, count: 100), idle = Blob(repeating: 2, count: 100)
            try cache.insert(used)
            try cache.insert(idle)
            let pin = try cache.pin([used.digest])

            // Another process's view of the same cache must honour the pin too.
            let other = try FileCache(directory: cache.directory)
            let first = try other.cleanup(toAtMost: 0)
            #expect(first == CleanupResult(freedBytes: 100, removedFiles: 1, remainingBytes: 100, remainingFiles: 1, skippedPinnedFiles: 1))
            #expect(try cache.lookup(digest: used.digest, size: used.size) != nil)

            try pin.release()
            try pin.release()
            let second = try cache.cleanup(toAtMost: 0)
            #expect(second.removedFiles == 1 && second.remainingFiles == 0)
            #expect(try cache.lookup(digest: used.digest, size: used.size) == nil)
        }
    }

    @Test func pinIsReleasedWhenItGoesAway() throws {
        try withTemporaryCache { cache, _ throws in
            let blob = Blob("in use")
            try cache.insert(blob)
            do {
                let pin = try cache.pin([blob.digest])
                #expect(try cache.cleanup(toAtMost: 0).skippedPinnedFiles == 1)
                _ = pin
            }
            #expect(try cache.cleanup(toAtMost: 0).removedFiles == 1)
        }
    }

    /// What a killed process leaves: a pin naming a token whose lock file nobody holds; as a row of
    /// `pinSet`, or as rows of `pin` from a release before pin sets.
    @Test(arguments: [false, true])
    func pinsOfDeadProcessesAreIgnoredAndSwept(olderRelease: Bool) throws {
        try withTemporaryCache { cache, _ throws in
            let blob = Blob("pinned by a process that crashed")
            try cache.insert(blob)
            let token = "dead-process-token"
            _ = FileManager.default.createFile(atPath: cache.pinsPath + "/" + token, contents: Data("12345\n".utf8))
            try cache.index.database.write { db in
                if olderRelease {
                    try db.execute(sql: "INSERT INTO pin (token, digest) VALUES (?, ?)", arguments: [token, blob.digest])
                } else {
                    try CacheIndex.pin(db, token: token, digests: [blob.digest])
                }
            }
            #expect(try cache.index.database.read { try CacheIndex.pinnedDigests($0) } == [blob.digest])
            let result = try cache.cleanup(toAtMost: 0)
            #expect(result.removedFiles == 1 && result.skippedPinnedFiles == 0)
            #expect(try cache.index.database.read { try CacheIndex.pins($0) }.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: cache.pinsPath + "/" + token))
        }
    }

    /// A live pin written by a release before pin sets (rows of `pin`) still protects its files.
    @Test func pinsOfAnOlderReleaseAreHonoured() throws {
        try withTemporaryCache { cache, _ throws in
            let kept = Blob("pinned by an older arttui")
            let other = Blob("not pinned")
            try cache.insert(kept)
            try cache.insert(other)
            let live = try cache.pin([])
            defer { try? live.release() }
            try cache.index.database.write { db in
                try db.execute(sql: "INSERT INTO pin (token, digest) VALUES (?, ?)", arguments: [live.token, kept.digest])
            }
            let result = try cache.cleanup(toAtMost: 0)
            #expect(result.removedFiles == 1 && result.skippedPinnedFiles == 1)
            #expect(try cache.holds(digest: kept.digest, size: kept.size))
            try live.release()
            #expect(try cache.index.database.read { try CacheIndex.pins($0) }.isEmpty, "release removes both forms")
        }
    }

    @Test func dryRunChangesNothingAndReportsWhatTheRealRunDoes() throws {
        try withTemporaryCache { cache, _ throws in
            let blobs = (1...6).map { Blob(repeating: UInt8($0), count: 100 * $0) }
            for blob in blobs { try cache.insert(blob) }
            _ = try cache.lookup(digest: blobs[0].digest, size: blobs[0].size)
            let pin = try cache.pin([blobs[1].digest])
            defer { try? pin.release() }
            let before = try cache.report()
            let walkBefore = try cache.walkObjects()

            let planned = try cache.cleanup(toAtMost: 1000, dryRun: true)
            #expect(try cache.report() == before)
            #expect(try cache.walkObjects() == walkBefore)
            #expect(planned.removedFiles > 0 && planned.skippedPinnedFiles == 1)

            let done = try cache.cleanup(toAtMost: 1000)
            #expect(done == planned)
            #expect(try cache.report().bytes == planned.remainingBytes)
        }
    }

    /// `cache cleanup --remove-temp`: temporary files a killed download left (not written to for the
    /// given age) go, a file being written now stays, and cached files are not touched.
    @Test func temporaryFilesOfDeadWritersAreRemovedAndALiveOneIsKept() throws {
        try withTemporaryCache { cache, _ throws in
            let kept = Blob(repeating: 0xA, count: 100)
            try cache.insert(kept)
            let dead = cache.tmpPath + "/dead.part", live = cache.tmpPath + "/live.part"
            try Data(repeating: 1, count: 300).write(to: URL(fileURLWithPath: dead))
            try Data(repeating: 2, count: 50).write(to: URL(fileURLWithPath: live))
            let twoMinutesAgo = Date(timeIntervalSinceNow: -120)
            try FileManager.default.setAttributes([.modificationDate: twoMinutesAgo], ofItemAtPath: dead)

            let dry = try cache.removeTemporaries(olderThan: 60, dryRun: true)
            #expect(dry.files == 1 && dry.bytes == 300)
            #expect(FileManager.default.fileExists(atPath: dead))
            let removed = try cache.removeTemporaries(olderThan: 60)
            #expect(removed.files == 1 && removed.bytes == 300)
            #expect(!FileManager.default.fileExists(atPath: dead))
            #expect(FileManager.default.fileExists(atPath: live))
            #expect(try cache.lookup(digest: kept.digest, size: kept.size) != nil)
        }
    }

    @Test func cleanupToZeroEmptiesTheCache() throws {
        try withTemporaryCache { cache, _ throws in
            for number in 0..<20 { try cache.insert(Blob("file \(number)")) }
            let total = try cache.report()
            let result = try cache.cleanup(toAtMost: 0)
            #expect(result == CleanupResult(freedBytes: total.bytes, removedFiles: 20, remainingBytes: 0, remainingFiles: 0, skippedPinnedFiles: 0))
            #expect(try cache.walkObjects() == (0, 0))
            #expect(try cache.report().bytes == 0)
            #expect(throws: StoreError.self) { try cache.cleanup(toAtMost: -1) }
        }
    }

    @Test func unlinksLeftPendingByACrashAreFinishedOnOpen() throws {
        try withTemporaryCache { cache, _ throws in
            let blob = Blob("evicted, then the process died before unlinking")
            let path = try cache.insert(blob).path
            // What the eviction transaction commits: the row gone, the unlink recorded.
            try cache.index.database.write { db in
                _ = try CacheIndex.remove(db, digest: blob.digest, batch: "crashed")
            }
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try cache.report().files == 0)

            _ = try FileCache(directory: cache.directory)
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(try cache.index.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM pendingUnlink") } == 0)
        }
    }

    @Test func evictionBehindTheCutoffIsImmediateAndTheUnlinkerFinishesIt() throws {
        try withTemporaryCache { cache, directory throws in
            let old = (0..<5).map { Blob("old \($0)") }, kept = Blob("kept, used last")
            let owner = CacheOwner(project: "p", artifact: "a")
            for blob in old { try cache.insert(blob, owner: owner) }
            try cache.insert(kept, owner: owner)
            let rows = { try cache.index.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM entry") } }

            // What a cleanup that unlinks in the background, or one killed after its commit, leaves.
            let result = try cache.cleanup(toAtMost: kept.size, unlinkLater: true)
            #expect(result.removedFiles == 5 && result.remainingFiles == 1)
            #expect(try rows() == 6, "the commit records a cutoff; the rows go later")
            for blob in old {
                #expect(FileManager.default.fileExists(atPath: cache.objectPath(blob.digest)))
                #expect(try cache.lookup(digest: blob.digest, size: blob.size) == nil, "evicted is absent")
                #expect(try !cache.holds(digest: blob.digest, size: blob.size))
                #expect(try !cache.copy(digest: blob.digest, size: blob.size, to: directory.appendingPathComponent("x"), mode: .hardlink))
            }
            #expect(try cache.report() == CacheReport(bytes: kept.size, files: 1, path: cache.directory.path, projects: nil))
            #expect(try cache.report(byProject: true).projects?.first?.files == 1)
            #expect(try cache.cleanup(toAtMost: kept.size, dryRun: true).removedFiles == 0)

            // One of them cached again before the unlinker runs: a new file, counted again, kept.
            try cache.insert(old[0])
            #expect(try cache.report().files == 2)
            #expect(try cache.report(byProject: true).projects?.first?.files == 1, "its old owners went with it")

            // The next open (or `cache unlink-pending`) deletes the rest: rows, owners and files.
            _ = try FileCache(directory: cache.directory)
            #expect(try rows() == 2)
            #expect(try cache.index.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM owner") } == 1)
            #expect(try cache.walkObjects() == (kept.size + old[0].size, 2))
            #expect(try cache.lookup(digest: old[0].digest, size: old[0].size) != nil)
            #expect(try cache.report() == CacheReport(bytes: kept.size + old[0].size, files: 2, path: cache.directory.path, projects: nil))
        }
    }

    @Test func cleanupHandlesTwentyThousandFiles() throws {
        try withTemporaryCache { cache, _ throws in
            // ARTTUI_CACHE_SCALE=100000 ARTTUI_CACHE_SCALE_FILES=1 measures with real files.
            let environment = ProcessInfo.processInfo.environment
            let count = Int(environment["ARTTUI_CACHE_SCALE"] ?? "") ?? 20_000
            let withFiles = environment["ARTTUI_CACHE_SCALE_FILES"] == "1"
            try cache.seedRows(count: count, size: 1000, files: withFiles)
            let clock = ContinuousClock()
            var report = try cache.report()
            let reportTime = try clock.measure { report = try cache.report() }
            #expect(report.files == count)

            var result: CleanupResult?
            let cleanupTime = try clock.measure { result = try cache.cleanup(toAtMost: Int64(count / 2) * 1000) }
            #expect(result?.removedFiles == count / 2)
            #expect(try cache.report().files == count - count / 2)
            if withFiles { #expect(try cache.walkObjects().files == count - count / 2) }
            print("cache scale: \(count) rows, files on disk: \(withFiles), report \(reportTime), cleanup of \(count / 2) \(cleanupTime)")
        }
    }
}
