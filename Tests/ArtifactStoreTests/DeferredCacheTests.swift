import Foundation
import GRDB
import Testing
@testable import ArtifactStore

/// What a `get` relies on: inserts and uses noted in memory and written at the end, a copy written
/// in the same pass that fills the cache, and files of a dead process's unfinished `get` removed.
@Suite("FileCache: deferred inserts, copies and their crash leftovers")
struct DeferredCacheTests {
    @Test func deferredInsertIsServedAtOnceAndRecordedWhenTheScopeEnds() throws {
        try withTemporaryCache { cache, root throws in
            let blob = Blob("a file fetched by a get")
            let pin = try cache.pin([blob.digest])
            defer { try? pin.release() }
            let destination = root.appendingPathComponent("linked")
            try cache.deferringUses(preloading: pin) {
                try cache.insert(blob, owner: CacheOwner(project: "p", artifact: "a"))
                #expect(try cache.report().files == 0, "the row waits for the end of the scope")
                #expect(try cache.copy(digest: blob.digest, size: blob.size, to: destination, mode: .hardlink))
            }
            #expect(try cache.report().files == 1 && cache.report().bytes == blob.size)
            #expect(try Data(contentsOf: destination) == blob.data)
            // The signature recorded is the one after the hard link, so the next use hashes nothing.
            let entry = try #require(try cache.index.database.read { try CacheIndex.entry($0, digest: blob.digest) })
            #expect(try FileSignature.of(path: cache.objectPath(blob.digest)) == entry.signature)
            #expect(try cache.index.database.read {
                try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM owner WHERE project = 'p' AND artifact = 'a'")
            } == 1)
        }
    }

    /// A get's rows go to the index in one transaction at its end: every file must be recorded, used
    /// in order and owned too.
    @Test func deferredInsertsAndUsesOfManyFilesAreAllRecorded() throws {
        try withTemporaryCache { cache, root throws in
            let blobs = (0..<2_300).map { Blob("file \($0) of a big get") }
            let owner = CacheOwner(project: "p", artifact: "many")
            let pin = try cache.pin(blobs.map(\.digest))
            defer { try? pin.release() }
            #expect(try cache.index.database.read { try CacheIndex.pins($0)[pin.token]?.count } == blobs.count)
            try cache.deferringUses(preloading: pin) {
                for blob in blobs { try cache.insert(blob, owner: owner) }
            }
            #expect(try cache.report().files == blobs.count)
            #expect(try cache.index.database.read {
                try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM owner WHERE artifact = 'many'")
            } == blobs.count)
            let firstUses = try cache.index.database.read {
                try Int64.fetchSet($0, sql: "SELECT lastUsed FROM entry")
            }
            #expect(firstUses.count == blobs.count, "each row has its own reading of the use clock")

            // Hard links of every file, with the rows preloaded for the pin: each row's signature is
            // the one after its link, and each use is later than every first use.
            let target = root.appendingPathComponent("linked")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            try cache.deferringUses(preloading: pin) {
                for (index, blob) in blobs.enumerated() {
                    let destination = target.appendingPathComponent("f\(index)")
                    let linked = try cache.copy(digest: blob.digest, size: blob.size, to: destination, mode: .hardlink)
                    #expect(linked)
                }
            }
            let last = blobs[blobs.count - 1]
            let entry = try #require(try cache.index.database.read { try CacheIndex.entry($0, digest: last.digest) })
            #expect(try FileSignature.of(path: cache.objectPath(last.digest)) == entry.signature)
            // The uses wait as one set until a cleanup folds them into the rows.
            try cache.index.database.write { try CacheIndex.foldUses($0) }
            let oldest = try #require(try cache.index.database.read { try Int64.fetchOne($0, sql: "SELECT MIN(lastUsed) FROM entry") })
            #expect(oldest > firstUses.max()!)
        }
    }

    /// A pinned file's insert is noted in its pin's preload: an eviction in the same get must take it
    /// back (no file, no row), and the file inserted again must be recorded once, as inserted last.
    @Test func aPinnedInsertEvictedInTheSameGetLeavesNoRowAndCanBeInsertedAgain() throws {
        try withTemporaryCache { cache, _ throws in
            let (kept, evicted, again) = (Blob("kept"), Blob("evicted"), Blob("evicted, then fetched again"))
            let owner = CacheOwner(project: "p", artifact: "a")
            let pin = try cache.pin([kept.digest, evicted.digest, again.digest])
            defer { try? pin.release() }
            try cache.deferringUses(preloading: pin) {
                for blob in [kept, evicted, again] { try cache.insert(blob, owner: owner) }
                try cache.evict(digest: evicted.digest)
                try cache.evict(digest: again.digest)
                #expect(!FileManager.default.fileExists(atPath: cache.objectPath(evicted.digest)))
                try cache.insert(again, owner: owner)
            }
            let rows = try cache.index.database.read { try String.fetchSet($0, sql: "SELECT digest FROM entry") }
            #expect(rows == [kept.digest, again.digest])
            #expect(try cache.report().files == 2 && cache.report().bytes == kept.size + again.size)
            let entry = try #require(try cache.index.database.read { try CacheIndex.entry($0, digest: again.digest) })
            #expect(try FileSignature.of(path: cache.objectPath(again.digest)) == entry.signature)
            #expect(try cache.index.database.read {
                try String.fetchSet($0, sql: "SELECT digest FROM owner WHERE project = 'p' AND artifact = 'a'")
            } == [kept.digest, again.digest])
        }
    }

    @Test func insertWithACopyWritesBothOrNeither() throws {
        try withTemporaryCache { cache, root throws in
            let blob = Blob("bytes for the cache and for the user")
            let copy = root.appendingPathComponent("restored.bin")
            try Data("what was there before".utf8).write(to: copy)
            try cache.insert(digest: blob.digest, size: blob.size, copyTo: copy) { try $0.write(blob.data) }
            #expect(try Data(contentsOf: copy) == blob.data)
            #expect(try permissions(copy.path) & 0o200 != 0, "the copy is the user's: writable")
            #expect(try cache.lookup(digest: blob.digest, size: blob.size) != nil)

            let wrong = Blob("claimed content")
            let other = root.appendingPathComponent("other.bin")
            #expect(throws: StoreError.self) {
                try cache.insert(digest: wrong.digest, size: wrong.size, copyTo: other) {
                    try $0.write(Data("something else entirely".utf8))
                }
            }
            #expect(!FileManager.default.fileExists(atPath: other.path))
            #expect(try cache.lookup(digest: wrong.digest, size: wrong.size) == nil)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".") }
            #expect(leftovers.isEmpty)
        }
    }

    @Test func filesADeadProcessMovedInWithoutRowsAreRemovedByCleanup() throws {
        try withTemporaryCache { cache, _ throws in
            let orphan = Blob("moved in, never recorded")
            let shared = Blob("also pinned by a live get")
            // A get that died inside its deferring scope: files in obj/, no rows, its pin's lock free.
            for blob in [orphan, shared] {
                let path = cache.objectPath(blob.digest)
                try FileManager.default.createDirectory(
                    atPath: String(path.dropLast(63)), withIntermediateDirectories: true)
                try blob.data.write(to: URL(fileURLWithPath: path))
            }
            let token = "dead-get"
            _ = FileManager.default.createFile(atPath: cache.pinsPath + "/" + token, contents: Data("1\n".utf8))
            try cache.index.database.write { db in
                for blob in [orphan, shared] {
                    try db.execute(sql: "INSERT INTO pin (token, digest) VALUES (?, ?)", arguments: [token, blob.digest])
                }
            }
            let live = try cache.pin([shared.digest])
            defer { try? live.release() }

            _ = try cache.cleanup(toAtMost: 0)
            #expect(!FileManager.default.fileExists(atPath: cache.objectPath(orphan.digest)))
            #expect(FileManager.default.fileExists(atPath: cache.objectPath(shared.digest)), "a live pin keeps it")
            #expect(try cache.index.database.read { try CacheIndex.pins($0)[token] } == nil)
        }
    }

    /// A get of many files reads their rows, and notes their owner, by walking the index in digest
    /// order instead of a lookup per file: both ways must find the same live rows, skip evicted and
    /// unknown digests, and leave the owners a lookup per file would.
    @Test func rowsAndOwnersOfManyFilesFoundByAWalkMatchOneLookupEach() throws {
        try withTemporaryCache { cache, _ throws in
            let blobs = (0..<300).map { Blob("walked file \($0)") }
            let owner = CacheOwner(project: "p", artifact: "walked")
            for blob in blobs.prefix(120) { try cache.insert(blob, owner: owner) }
            for blob in blobs.dropFirst(120) { try cache.insert(blob) }
            // The 20 oldest rows are behind the eviction cutoff, as a cleanup leaves them.
            try cache.index.database.write { db in
                let cutoff = try Int64.fetchOne(db, sql: "SELECT lastUsed FROM entry ORDER BY lastUsed LIMIT 1 OFFSET 19")!
                try db.execute(sql: "UPDATE cacheState SET evictedThrough = ?", arguments: [cutoff])
            }
            let unknown = Blob("never cached").digest
            let asked = (blobs.map(\.digest) + [unknown, blobs[200].digest]).shuffled()

            try cache.index.database.read { db in
                let walked = try CacheIndex.entries(db, digests: asked)
                let looked = try CacheIndex.entries(db, digests: Array(asked.prefix(40)))
                #expect(walked.count == 280, "every live row, none evicted, the unknown digest absent")
                for digest in asked {
                    let expected = try CacheIndex.entry(db, digest: digest)
                    #expect(walked[digest]?.signature == expected?.signature)
                    #expect(walked[digest]?.lastUsed == expected?.lastUsed)
                }
                for (digest, entry) in looked { #expect(walked[digest]?.signature == entry.signature) }
            }

            let ownedBefore = try cache.index.database.read {
                try String.fetchSet($0, sql: "SELECT digest FROM owner WHERE artifact = 'walked'")
            }
            try cache.index.database.write { try CacheIndex.addOwner($0, owner, digests: asked) }
            let live = try cache.index.database.read {
                try String.fetchSet($0, sql: "SELECT digest FROM entry WHERE \(CacheIndex.live())")
            }
            let ownedAfter = try cache.index.database.read {
                try String.fetchSet($0, sql: "SELECT digest FROM owner WHERE artifact = 'walked'")
            }
            #expect(ownedAfter == ownedBefore.union(live), "every live file owned once more, no evicted or unknown one")
            #expect(!ownedAfter.contains(unknown))
        }
    }
}

/// The uses a `get` notes while deferring wait as one `useSet` row until a cleanup folds them into the
/// rows: the order a cleanup evicts in must be the one uses recorded row by row give.
@Suite("FileCache: uses kept as sets until a cleanup")
struct UseSetTests {
    /// Ten files inserted one after the other, five of them used again by a get (hard links, deferred)
    /// and one inserted after that: a cleanup evicts the five idle files first, then the five used
    /// ones in digest order (the order a get's uses take), the last insert last. The same sequence
    /// with each use recorded at once must leave the same files.
    @Test func cleanupAfterAGetEvictsInTheOrderOfUse() throws {
        let blobs = (0..<10).map { Blob(repeating: UInt8(0x30 + $0), count: 100) }
        let late = Blob(repeating: 0x7F, count: 100)
        let used = Array(blobs.prefix(5))
        let usedInOrder = used.sorted { $0.digest < $1.digest }
        var survivors: [[String]] = []
        for deferring in [true, false] {
            try withTemporaryCache { cache, root throws in
                for blob in blobs { try cache.insert(blob) }
                let target = root.appendingPathComponent("linked")
                try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
                let link = { () throws -> Void in
                    for (index, blob) in usedInOrder.enumerated() {
                        let destination = target.appendingPathComponent("f\(index)")
                        #expect(try cache.copy(digest: blob.digest, size: blob.size, to: destination, mode: .hardlink))
                    }
                }
                if deferring {
                    let pin = try cache.pin(used.map(\.digest))
                    try cache.deferringUses(preloading: pin, link)
                    try pin.release()
                    #expect(try cache.index.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM useSet") } == 1)
                } else {
                    try link()
                }
                try cache.insert(late)
                // Keep five files: the idle five and the first used one (by digest) go.
                let result = try cache.cleanup(toAtMost: 500)
                #expect(result.removedFiles == 6)
                #expect(try cache.index.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM useSet") } == 0)
                let kept = try (blobs + [late]).filter { try cache.holds(digest: $0.digest, size: $0.size) }.map(\.digest)
                #expect(Set(kept) == Set(usedInOrder.dropFirst().map(\.digest) + [late.digest]))
                survivors.append(kept.sorted())
            }
        }
        #expect(survivors.count == 2 && survivors[0] == survivors[1])
    }

    /// A get of the same files again replaces their waiting set; sets that do not cover one another
    /// both wait, until more than the limit wait and all are folded.
    @Test func aLaterSetReplacesTheSetsItCoversAndTooManyWaitingUsesAreFolded() throws {
        try withTemporaryCache { cache, _ throws in
            let blobs = (0..<6).map { Blob("file \($0) used in sets") }
            for blob in blobs { try cache.insert(blob) }
            let sorted = blobs.map(\.digest).sorted()
            let uses = { (digests: ArraySlice<String>) in digests.map { (digest: $0, signature: FileSignature?.none) } }
            let sets = { try cache.index.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM useSet") } }
            let lastUsed = { (digest: String) in
                try cache.index.database.read { try Int64.fetchOne($0, sql: "SELECT lastUsed FROM entry WHERE digest = ?", arguments: [digest]) }
            }
            let inserted = try #require(try lastUsed(sorted[0]))

            try cache.index.database.write { try CacheIndex.noteUses($0, uses(sorted[0..<3])) }
            try cache.index.database.write { try CacheIndex.noteUses($0, uses(sorted[3..<6])) }
            #expect(try sets() == 2, "neither covers the other")
            try cache.index.database.write { try CacheIndex.noteUses($0, uses(sorted[0..<6])) }
            #expect(try sets() == 1, "the whole version again replaces both")
            #expect(try lastUsed(sorted[0]) == inserted, "not folded yet")

            try cache.index.database.write { try CacheIndex.noteUses($0, uses(sorted[1..<2]), foldAbove: 6) }
            #expect(try sets() == 0, "seven uses waited, more than six")
            let folded = try sorted.map { try lastUsed($0) ?? -1 }
            #expect(folded[0] > inserted)
            #expect(folded[1] > folded[5], "its last use is the latest set's")
            #expect(Array(folded[2...5]) == folded[2...5].sorted(), "the rest in the order of the set")
        }
    }
}

/// A get finds each pinned file's preloaded row by a binary search over the first eight bytes of the
/// digests: digests that share those bytes must still each be found, and nothing else.
@Suite("FileCache: preloaded rows found by position")
struct PreloadLookupTests {
    @Test func everyPinnedDigestIsFoundAtItsPositionAndNoOtherIs() {
        // 300 digests with one shared 8-byte prefix, 300 ordinary ones, in byte order as a pin holds them.
        let sharing = (0..<300).map { String(format: "%064x", $0 * 7919) }
        let ordinary = (0..<300).map { sha256Hex(Data("pinned \($0)".utf8)) }
        let digests = ByteOrder.sorted(sharing + ordinary)
        let preload = DeferredUses.Preload(digests: digests, signatures: Array(repeating: nil, count: digests.count))
        for (position, digest) in digests.enumerated() {
            #expect(preload.position(of: digest) == position)
        }
        let absent = [String(format: "%064x", 1), sha256Hex(Data("never pinned".utf8)), String(repeating: "f", count: 64)]
        for digest in absent { #expect(preload.position(of: digest) == nil) }
        #expect(DeferredUses.Preload(digests: [], signatures: []).position(of: absent[0]) == nil)
    }
}
