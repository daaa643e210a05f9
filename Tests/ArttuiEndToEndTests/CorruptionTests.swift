import Foundation
import GRDB
import ProcessTestSupport
import Testing

/// Damage stored bytes the way disks and people do, and check that nothing damaged is ever written out,
/// that `verify` names what is lost, and that everything else still restores byte for byte.
@Suite(.serialized, .childProcesses)
struct CorruptionTests {
    /// A store with three versions sharing some files, and what each version must restore to.
    struct Fixture {
        let sandbox: ReliabilitySandbox
        /// Version → relative path → SHA-256.
        var expected: [String: [String: String]] = [:]

        init() async throws {
            sandbox = try ReliabilitySandbox("corruption")
            let data = try sandbox.makeTree("data", files: 4, size: 150_000, seed: 1)
            try await put(data, as: "p/data", version: "p/data:v0")
            try sandbox.makeTree("changed", files: 1, size: 90_000, seed: 2)
            try FileManager.default.copyItem(
                at: sandbox.work.appendingPathComponent("changed/file0.bin"),
                to: data.appendingPathComponent("extra.bin"))
            try await put(data, as: "p/data", version: "p/data:v1")
            try await put(try sandbox.makeTree("other", files: 2, size: 60_000, seed: 3), as: "p/other", version: "p/other:v0")
        }

        private mutating func put(_ directory: URL, as artifact: String, version: String) async throws {
            let outcome = try await sandbox.run(["put", directory.path, "-n", artifact])
            #expect(outcome.status == 0, "\(outcome)")
            expected[version] = ReliabilitySandbox.checksums(of: directory)
        }

        /// Every stored chunk record, with the files (`version path`) that need it.
        func records() throws -> [Record] {
            try sandbox.catalog().read { db in
                var records: [String: Record] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT lower(hex(ch.digest)) AS digest, p.key, ch.offset, ch.storedLength,
                        pr.name || '/' || a.name || ':v' || v.idx AS version, f.path
                    FROM chunk ch JOIN pack p ON p.id = ch.packId
                    JOIN content_chunk cc ON cc.chunkId = ch.id JOIN file f ON f.contentId = cc.contentId
                    JOIN version v ON v.id = f.versionId JOIN artifact a ON a.id = v.artifactId
                    JOIN project pr ON pr.id = a.projectId WHERE v.state = 'committed'
                    ORDER BY ch.digest
                    """)
                {
                    let digest: String = row["digest"]
                    records[digest, default: Record(
                        digest: digest, pack: row["key"], offset: row["offset"], length: row["storedLength"])]
                        .users.insert(FileUse(version: row["version"], path: row["path"]))
                }
                return records.values.sorted { $0.digest < $1.digest }
            }
        }

        func packPath(_ key: String) -> String { sandbox.store.appendingPathComponent(key).path }

        /// Checks what the damage to `lost` files must and must not do.
        func expectDamage(to lost: Set<FileUse>, verifyArguments: [String] = ["verify", "--read-data"]) async throws {
            let verify = try await sandbox.run(verifyArguments)
            #expect(verify.status == 1, "verify must report the damage: \(verify.stdout)")
            for version in Set(lost.map(\.version)) {
                #expect(verify.stdout.contains(version), "verify must name \(version): \(verify.stdout)")
            }
            for (version, files) in expected {
                let (outcome, restored) = try await sandbox.restore(version)
                let damaged = Set(lost.filter { $0.version == version }.map(\.path))
                if damaged.isEmpty {
                    #expect(outcome.status == 0, "\(version) is untouched and must restore: \(outcome)")
                    #expect(restored == files, "\(version) must restore byte for byte")
                    continue
                }
                #expect(outcome.status != 0, "\(version) is damaged; get must fail")
                #expect(outcome.stderrLines.count == 1, "one line: \(outcome.stderr)")
                #expect(outcome.stderr.contains(version), "the error names the version: \(outcome.stderr)")
                #expect(damaged.contains { outcome.stderr.contains($0) }, "the error names a damaged file: \(outcome.stderr)")
                for path in damaged { #expect(restored[path] == nil, "the damaged \(path) must not be written") }
                for (path, sum) in files where !damaged.contains(path) {
                    #expect(restored[path] == sum, "\(version): the undamaged \(path) must still restore")
                }
            }
        }
    }

    struct FileUse: Hashable {
        var version: String
        var path: String
    }

    struct Record {
        var digest: String
        var pack: String
        var offset: Int64
        var length: Int64
        var users: Set<FileUse> = []
    }

    @Test("one flipped byte in a stored chunk is found, refused and confined to the files that use it")
    func flippedByte() async throws {
        let rounds = ReliabilitySandbox.longMode ? 200 : 2
        var generator = SeededBytes(seed: UInt64(ProcessInfo.processInfo.processIdentifier))
        var detected = 0
        for _ in 0..<rounds {
            let fixture = try await Fixture()
            defer { fixture.sandbox.remove() }
            let records = try fixture.records()
            let record = records.randomElement(using: &generator)!
            // Anywhere in the record but its two reserved header bytes, which nothing reads.
            var position = Int64.random(in: 0..<(record.length - 2), using: &generator)
            if position >= 6 { position += 2 }
            try flipByte(at: record.offset + position, in: fixture.packPath(record.pack))
            try await fixture.expectDamage(to: record.users)
            detected += 1
        }
        print("corruption: \(detected) of \(rounds) flipped bytes detected")
    }

    @Test("a truncated pack loses exactly the chunks past its new end")
    func truncatedPack() async throws {
        let fixture = try await Fixture()
        defer { fixture.sandbox.remove() }
        let records = try fixture.records()
        let pack = records.max { $0.offset + $0.length < $1.offset + $1.length }!.pack
        let inPack = records.filter { $0.pack == pack }
        let end = inPack.map { $0.offset + $0.length }.max()!
        let newSize = end - 1
        #expect(truncate(fixture.packPath(pack), off_t(newSize)) == 0)
        let lost = inPack.filter { $0.offset + $0.length > newSize }.flatMap(\.users)
        try await fixture.expectDamage(to: Set(lost), verifyArguments: ["verify"])
    }

    @Test("a deleted pack loses its chunks and nothing else")
    func deletedPack() async throws {
        let fixture = try await Fixture()
        defer { fixture.sandbox.remove() }
        let records = try fixture.records()
        let pack = records[records.count / 2].pack
        try FileManager.default.removeItem(atPath: fixture.packPath(pack))
        try await fixture.expectDamage(to: Set(records.filter { $0.pack == pack }.flatMap(\.users)), verifyArguments: ["verify"])
        let repair = try await fixture.sandbox.run(["verify", "--repair"])
        #expect(repair.status == 1)
        let show = try await fixture.sandbox.run(["show", records.first { $0.pack == pack }!.users.first!.version, "--json"])
        #expect(show.stdout.contains("\"damaged\""), "repair marks the version damaged: \(show.stdout)")
        #expect(try await fixture.sandbox.versions("p/data").count == 2, "repair never deletes a version")
    }

    @Test("a catalog row pointing at the wrong bytes is caught by the record header")
    func misplacedChunkRow() async throws {
        let fixture = try await Fixture()
        defer { fixture.sandbox.remove() }
        let records = try fixture.records()
        let record = records[0]
        try await fixture.sandbox.catalog().write { db in
            try db.execute(sql: "UPDATE chunk SET offset = offset + 1 WHERE lower(hex(digest)) = ?", arguments: [record.digest])
        }
        try await fixture.expectDamage(to: record.users, verifyArguments: ["verify"])
    }

    @Test("a catalog file with a damaged header stops every command with one line")
    func damagedCatalogFile() async throws {
        let fixture = try await Fixture()
        defer { fixture.sandbox.remove() }
        let path = fixture.sandbox.store.appendingPathComponent("catalog.sqlite").path
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 100))
        try handle.close()
        let verify = try await fixture.sandbox.run(["verify"])
        #expect(verify.status == 2, "\(verify)")
        #expect(verify.stderrLines.count == 1 && verify.stderr.contains("catalog"), "\(verify)")
        for arguments in [["get", "p/data:v0", "--root", "out"], ["ls"], ["put", "out", "-n", "p/x"]] {
            let outcome = try await fixture.sandbox.run(arguments)
            #expect(outcome.status != 0 && outcome.stderrLines.count == 1, "\(arguments): \(outcome)")
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.sandbox.work.appendingPathComponent("out/file0.bin").path))
    }

    private func flipByte(at offset: Int64, in path: String) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: [byte ^ 0x01])
    }
}
