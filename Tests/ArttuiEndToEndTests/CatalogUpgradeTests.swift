import Crypto
import Foundation
import GRDB
import ProcessTestSupport
import Testing

/// The upgrades of older stores to the current format: from the release whose catalog kept digests as
/// hex text (store format 1) and from format 2, whose file rows had a second index by content. On the
/// fixture the format-1 release wrote, under SIGKILL, and the refusal of stores from a newer arttui.
@Suite(.serialized, .childProcesses)
struct CatalogUpgradeTests {
    /// The format this arttui writes (`Store.formatVersion`).
    static let currentFormat = 3

    /// `Fixtures/format1-store`, written by `make-format1-store.sh` with the format-1 binary.
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/format1-store")

    /// The file the fixture's reference entry names, with the bytes it had when it was recorded.
    static func recreateReferencedFile() throws {
        let directory = URL(fileURLWithPath: "/tmp/arttui-format1-fixture")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("reference payload\n".utf8).write(to: directory.appendingPathComponent("reference.txt"))
    }

    /// What each committed version of the fixture holds, rebuilt from the script's inputs: version → path → bytes.
    static var fixtureVersions: [String: [String: Data]] {
        var mnist: [String: Data] = [
            "labels/0.txt": Data("cat\n".utf8), "labels/1.txt": Data("dog\n".utf8),
            "images/0.pgm": Data("P5 2 2 255\n".utf8) + Data([1, 2, 3, 4]), "empty.txt": Data(),
            "zeros.bin": Data(count: 9 << 20),
        ]
        var versions = ["vision/mnist:v0": mnist]
        mnist["labels/2.txt"] = Data("bird\n".utf8)
        versions["vision/mnist:v1"] = mnist
        mnist["labels/0.txt"] = nil
        versions["vision/mnist:v2"] = mnist
        versions["vision/classifier:v0"] = ["model.bin": Data("weights v1\n".utf8)]
        versions["vision/scratch:v1"] = ["scratch.txt": Data("scratch 2\n".utf8)]
        versions["audio/refs:v0"] = ["reference.txt": Data("reference payload\n".utf8)]
        return versions
    }

    /// A copy of a store directory in `sandbox.store`.
    static func install(_ store: URL, in sandbox: ReliabilitySandbox) async throws {
        _ = await (try? ChildProcess.spawn("/bin/rm", ["-rf", sandbox.store.path]))?.wait(timeout: .infinity)
        try FileManager.default.copyItem(at: store, to: sandbox.store)
    }

    static func markerFormat(_ store: URL) throws -> Int {
        let data = try Data(contentsOf: store.appendingPathComponent("arttui-store.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(object["format"] as? Int)
    }

    /// Whether the catalog still has format 2's index of file rows by content (format 3 dropped it).
    static func hasContentIndex(_ store: URL) throws -> Bool {
        let database = try DatabaseQueue(path: store.appendingPathComponent("catalog.sqlite").path)
        defer { try? database.close() }
        return try database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'file_by_content'")! > 0
        }
    }

    /// The SQLite types of every digest a catalog keeps, with how many rows have each.
    static func digestTypes(_ store: URL) throws -> [String: Int] {
        let database = try DatabaseQueue(path: store.appendingPathComponent("catalog.sqlite").path)
        defer { try? database.close() }
        return try database.read { db in
            var types: [String: Int] = [:]
            for table in ["chunk", "content", "version"] {
                for row in try Row.fetchAll(db, sql: "SELECT typeof(digest), count(*) FROM \(table) GROUP BY 1") {
                    types["\(table).\(row[0] as String)", default: 0] += row[1] as Int
                }
            }
            return types
        }
    }

    @Test("a store written by the format-1 release is upgraded in place once and keeps every version")
    func upgradeOfTheFixture() async throws {
        let sandbox = try ReliabilitySandbox("upgrade")
        defer { sandbox.remove() }
        try await Self.install(Self.fixture, in: sandbox)
        try Self.recreateReferencedFile()
        #expect(try Self.markerFormat(sandbox.store) == 1)
        #expect(try Self.digestTypes(sandbox.store)["chunk.text"] == 9)
        // The digests the old release recorded for its versions, read before anything is upgraded.
        let recorded = try await DatabaseQueue(path: sandbox.store.appendingPathComponent("catalog.sqlite").path).read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.name || '/' || a.name || ':v' || v.idx, v.digest FROM version v
                JOIN artifact a ON a.id = v.artifactId JOIN project p ON p.id = a.projectId WHERE v.state = 'committed'
                """).reduce(into: [String: String]()) { $0[$1[0]] = $1[1] }
        }
        #expect(recorded.count == 6)

        let verify = try await sandbox.run(["verify", "--read-data"])
        #expect(verify.status == 0, "\(verify)")
        #expect(try Self.markerFormat(sandbox.store) == Self.currentFormat)
        #expect(try !Self.hasContentIndex(sandbox.store))
        let types = try Self.digestTypes(sandbox.store)
        #expect(types == ["chunk.blob": 9, "content.blob": 9, "version.blob": 7, "version.null": 1], "\(types)")

        // Once: opening the upgraded store again changes nothing in it.
        let upgraded = Self.storeChecksums(sandbox.store)
        #expect(try await sandbox.run(["ls", "vision/mnist"]).status == 0)
        #expect(Self.storeChecksums(sandbox.store) == upgraded, "a second open must not upgrade again")

        // Every version restores byte for byte and keeps its digest, aliases, metadata and lineage.
        for (version, files) in Self.fixtureVersions {
            let (outcome, restored) = try await sandbox.restore(version)
            #expect(outcome.status == 0, "\(outcome)")
            #expect(restored == ReliabilitySandbox.checksums(of: files), "\(version) must restore byte for byte")
            let artifact = String(version.split(separator: ":")[0])
            #expect(try await sandbox.versions(artifact)[String(version.split(separator: ":")[1])] == recorded[version],
                    "\(version) keeps the digest the old release recorded")
        }
        let show = try await sandbox.run(["show", "vision/mnist:best", "--json"])
        let shown = try show.jsonObject()
        #expect(shown["version"] as? String == "v1" && shown["loggedBy"] as? String == "train01", "\(show)")
        let first = try await sandbox.run(["show", "vision/mnist:v0", "--json"]).jsonObject()
        #expect(first["description"] as? String == "first cut")
        #expect((first["metadata"] as? [String: Any])?["tags"] as? [String] == ["a", "b"])
        let found = try await sandbox.run(["find", "--where", "acc > 0.93", "--json"]).jsonArray()
        #expect(found.map { "\($0["name"] ?? "")/\($0["version"] ?? "")" } == ["mnist/v1"], "\(found)")
        let run = try await sandbox.run(["run", "show", "train01", "--json"]).jsonObject()
        #expect(run["logged"] as? [String] == ["vision/mnist:v1", "vision/classifier:v0"], "\(run)")
        #expect(run["used"] as? [String] == ["vision/mnist:v0"], "\(run)")
        #expect(try await sandbox.run(["show", "vision/scratch:v0"]).status != 0, "the deleted version stays deleted")

        // The pending version (no digest yet) finishes with the right one.
        let finish = try await sandbox.run(["finish", "-n", "audio/shards", "--distributed-id", "job7"])
        #expect(finish.status == 0, "\(finish)")
        let (finished, shard) = try await sandbox.restore("audio/shards:v0")
        #expect(finished.status == 0 && shard == ReliabilitySandbox.checksums(of: ["shard0.txt": Data("shard 0\n".utf8)]))

        // Writing goes on: the same tree again is unchanged, a changed one is a new version.
        let tree = sandbox.work.appendingPathComponent("mnist")
        for (path, data) in Self.fixtureVersions["vision/mnist:v2"]! {
            let url = tree.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        #expect(try await sandbox.run(["put", tree.path, "-n", "vision/mnist"]).status == 0)
        #expect(try await sandbox.versions("vision/mnist").count == 3, "an unchanged tree makes no version")
        try Data("fish\n".utf8).write(to: tree.appendingPathComponent("labels/3.txt"))
        #expect(try await sandbox.run(["put", tree.path, "-n", "vision/mnist"]).status == 0)
        #expect(try await sandbox.versions("vision/mnist").count == 4)
        let after = try await sandbox.run(["verify", "--read-data"])
        #expect(after.status == 0, "\(after)")
    }

    @Test("SIGKILL at any moment of the upgrade leaves a store that opens and restores every version",
          arguments: [1, 2])
    func killDuringUpgrade(from format: Int) async throws {
        let sandbox = try ReliabilitySandbox("upgrade-kill-\(format)")
        defer { sandbox.remove() }
        let (oldStore, expected) = format == 1
            ? try await Self.largerFormat1Store(in: sandbox) : try await Self.largerFormat2Store(in: sandbox)
        let digests = try await sandbox.versions("p/many")
        var generator = SeededBytes(seed: UInt64(Date().timeIntervalSince1970))
        // One run to the end, to learn how long an upgrade takes.
        try await Self.install(oldStore, in: sandbox)
        let started = Date()
        #expect(try await sandbox.run(["ls", "p/many"]).status == 0)
        let duration = Date().timeIntervalSince(started)
        #expect(try Self.digestTypes(sandbox.store)["content.blob"] ?? 0 > 1_000)

        // The upgrade's steps: the marker, each table rebuild before it commits (two from format 1, one
        // from format 2), the compaction.
        let steps = format == 1 ? 4 : 3
        let named = (1...steps).map { "upgrade:\($0):crash" } + ["upgrade:2:EIO", "rename:1:crash"]
        let kills = ReliabilitySandbox.longMode ? 40 : 5
        var killed = 0
        for attempt in 0..<(named.count + kills) {
            try await Self.install(oldStore, in: sandbox)
            let fault = attempt < named.count ? named[attempt] : nil
            let command = try sandbox.start(["ls", "p/many"], fault: fault)
            if fault == nil {
                try await Task.sleep(for: .seconds(Double.random(in: 0...duration, using: &generator)))
                command.kill()
            }
            let outcome = await command.wait()
            if outcome.signalled { killed += 1 }
            let label = "\(fault ?? "random kill"): \(outcome.signalled ? "killed" : "finished")"
            if fault?.hasSuffix("EIO") == true {
                #expect(outcome.status != 0 && outcome.stderrLines.count == 1, "\(label): \(outcome)")
            }
            // Never a catalog in a newer format behind a marker an older arttui would trust.
            let marker = try Self.markerFormat(sandbox.store)
            let types = try Self.digestTypes(sandbox.store)
            let kinds = Set(types.keys.map { $0.split(separator: ".")[1] })
            #expect(kinds == ["text"] || kinds.isSubset(of: ["blob", "null"]), "\(label): tables half converted: \(types)")
            let indexed = try Self.hasContentIndex(sandbox.store)
            let untouched = indexed && (format == 2 ? kinds.isSubset(of: ["blob", "null"]) : kinds == ["text"])
            #expect(marker == Self.currentFormat || (marker == format && untouched),
                    "\(label): format \(marker) marker over \(types), file rows \(indexed ? "" : "not ")indexed by content")
            let verify = try await sandbox.run(["verify"])
            #expect(verify.status == 0, "\(label): verify after reopening: \(verify)")
            // Restoring a thousand files takes seconds: after every kill the small artifact is restored and
            // the big one's manifest digests (over every path and content digest) compared; after the
            // last kill every version is restored.
            #expect(try await sandbox.versions("p/many") == digests, "\(label): the manifests must keep their digests")
            let last = attempt == named.count + kills - 1
            for (version, sums) in expected where last || version.hasPrefix("p/small") {
                let (restore, restored) = try await sandbox.restore(version)
                #expect(restore.status == 0 && restored == sums, "\(label): \(version) must restore byte for byte")
            }
        }
        #expect(killed >= 3, "only \(killed) runs were killed during the upgrade")
        #expect(try Self.markerFormat(sandbox.store) == Self.currentFormat)
        #expect(try !Self.hasContentIndex(sandbox.store))
        print("upgrade kills from format \(format): \(killed) of \(named.count + kills) runs killed, upgrade of \(expected.count) versions takes \(duration) s")
    }

    /// Writes a store of a thousand files in `sandbox.store` with this arttui: two versions of `p/many`
    /// and one of `p/small`; returns each version's checksums.
    static func writeLargerStore(in sandbox: ReliabilitySandbox) async throws -> [String: [String: String]] {
        let tree = sandbox.work.appendingPathComponent("many")
        var files: [String: Data] = [:]
        for index in 0..<1_000 { files["d\(index % 30)/f\(index).txt"] = Data("file \(index) of many\n".utf8) }
        var expected: [String: [String: String]] = [:]
        for version in 0..<2 {
            if version == 1 { for index in stride(from: 0, to: 1_000, by: 7) { files["d\(index % 30)/f\(index).txt"] = Data("changed \(index)\n".utf8) } }
            try? FileManager.default.removeItem(at: tree)
            for (path, data) in files {
                let url = tree.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            let put = try await sandbox.run(["put", tree.path, "-n", "p/many", "--metadata", "{\"round\": \(version)}"])
            #expect(put.status == 0, "\(put)")
            expected["p/many:v\(version)"] = ReliabilitySandbox.checksums(of: tree)
        }
        let small = try sandbox.makeTree("small", files: 3, size: 2_000, seed: 9)
        #expect(try await sandbox.run(["put", small.path, "-n", "p/small"]).status == 0)
        expected["p/small:v0"] = ReliabilitySandbox.checksums(of: small)
        return expected
    }

    /// A format-1 store of a thousand files: written by this arttui, then turned back into format 1 by
    /// copying its rows, digests as hex text, into the format-1 fixture's own catalog (so the schema is
    /// exactly the old release's) and marking it format 1.
    static func largerFormat1Store(in sandbox: ReliabilitySandbox) async throws -> (URL, [String: [String: String]]) {
        let expected = try await writeLargerStore(in: sandbox)
        let old = sandbox.root.appendingPathComponent("format1-many")
        try FileManager.default.copyItem(at: sandbox.store, to: old)
        let catalog = old.appendingPathComponent("catalog.sqlite")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: catalog.path + suffix) }
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("catalog.sqlite"), to: catalog)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let database = try DatabaseQueue(path: catalog.path, configuration: configuration)
        try await database.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS new", arguments: [sandbox.store.appendingPathComponent("catalog.sqlite").path])
            try db.inTransaction {
                let tables = [
                    "project", "artifact", "version", "alias", "pack", "chunk", "content", "content_chunk", "file",
                    "run", "artifact_use", "file_reference", "version_key",
                ]
                for table in tables { try db.execute(sql: "DELETE FROM main.\(table)") }
                let hex = "lower(hex(digest))"
                try db.execute(sql: """
                    INSERT INTO main.project SELECT * FROM new.project;
                    INSERT INTO main.artifact SELECT * FROM new.artifact;
                    INSERT INTO main.version SELECT id, artifactId, idx, coalesce(\(hex), ''), state, createdAt, size,
                        fileCount, addedBytes, description, metadata, producerRunId, distributedId, deletedAt, damaged
                        FROM new.version;
                    INSERT INTO main.alias SELECT * FROM new.alias;
                    INSERT INTO main.pack SELECT id, key, size FROM new.pack;
                    INSERT INTO main.chunk SELECT id, \(hex), packId, offset, storedLength, rawLength, compression
                        FROM new.chunk;
                    INSERT INTO main.content SELECT id, \(hex), size FROM new.content;
                    INSERT INTO main.content_chunk SELECT * FROM new.content_chunk;
                    INSERT INTO main.file SELECT * FROM new.file;
                    """)
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE new")
            _ = try String.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
        try database.close()
        try setMarkerFormat(1, of: old)
        #expect(try digestTypes(old).keys.allSatisfy { $0.hasSuffix(".text") })
        return (old, expected)
    }

    /// A format-2 store of a thousand files: written by this arttui, then turned back into format 2 by
    /// rebuilding its file rows as format 2 kept them (with their foreign key to `content` and their
    /// index by content, as the `v1` migration made them), forgetting the migration and marking it format 2.
    static func largerFormat2Store(in sandbox: ReliabilitySandbox) async throws -> (URL, [String: [String: String]]) {
        let expected = try await writeLargerStore(in: sandbox)
        let old = sandbox.root.appendingPathComponent("format2-many")
        try FileManager.default.copyItem(at: sandbox.store, to: old)
        let catalog = old.appendingPathComponent("catalog.sqlite")
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let database = try DatabaseQueue(path: catalog.path, configuration: configuration)
        try await database.write { db in
            try db.execute(sql: """
                CREATE TABLE file_v1 (
                    versionId INTEGER NOT NULL REFERENCES version(id),
                    path TEXT NOT NULL,
                    contentId INTEGER NOT NULL REFERENCES content(id),
                    PRIMARY KEY (versionId, path)
                ) WITHOUT ROWID;
                INSERT INTO file_v1 SELECT versionId, path, contentId FROM file;
                DROP TABLE file;
                ALTER TABLE file_v1 RENAME TO file;
                CREATE INDEX file_by_content ON file(contentId);
                DELETE FROM grdb_migrations WHERE identifier = 'file-rows-v2';
                """)
        }
        try await database.writeWithoutTransaction { _ = try String.fetchOne($0, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try database.close()
        try setMarkerFormat(2, of: old)
        #expect(try hasContentIndex(old))
        return (old, expected)
    }

    /// Rewrites the marker of a store written by this arttui to say `format`.
    static func setMarkerFormat(_ format: Int, of store: URL) throws {
        let url = store.appendingPathComponent("arttui-store.json")
        let marker = try String(contentsOf: url, encoding: .utf8)
        try marker.replacingOccurrences(of: "\"format\":\(currentFormat)", with: "\"format\":\(format)")
            .write(to: url, atomically: true, encoding: .utf8)
        #expect(try markerFormat(store) == format)
    }

    @Test("a store or catalog from a newer arttui is refused with one line and left as it was")
    func newerFormatsAreRefused() async throws {
        let sandbox = try ReliabilitySandbox("upgrade-newer")
        defer { sandbox.remove() }
        let tree = try sandbox.makeTree("tree", files: 2, size: 100, seed: 1)
        #expect(try await sandbox.run(["put", tree.path, "-n", "p/a"]).status == 0)

        // A marker from a newer store format.
        let markerURL = sandbox.store.appendingPathComponent("arttui-store.json")
        let marker = try String(contentsOf: markerURL, encoding: .utf8)
        try marker.replacingOccurrences(of: "\"format\":\(Self.currentFormat)", with: "\"format\":\(Self.currentFormat + 1)")
            .write(to: markerURL, atomically: true, encoding: .utf8)
        var before = Self.storeChecksums(sandbox.store)
        let refused = try await sandbox.run(["ls", "p/a"])
        #expect(refused.status != 0 && refused.stderrLines == [
            "arttui: error: store \(sandbox.store.path) has format \(Self.currentFormat + 1); this arttui reads format \(Self.currentFormat)",
        ], "\(refused)")
        #expect(Self.storeChecksums(sandbox.store) == before)
        try marker.write(to: markerURL, atomically: true, encoding: .utf8)

        // A catalog a newer arttui migrated further, behind a marker that does not say so.
        let database = try sandbox.catalog()
        try await database.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('from-the-future')") }
        try database.close()
        before = Self.storeChecksums(sandbox.store)
        let newer = try await sandbox.run(["ls", "p/a"])
        #expect(newer.status != 0 && newer.stderrLines.count == 1
                && newer.stderr.contains("a newer arttui changed its format (migration from-the-future)"), "\(newer)")
        #expect(Self.storeChecksums(sandbox.store) == before)
    }
}

extension CatalogUpgradeTests {
    /// Checksums of a store's files but SQLite's WAL and shared-memory index, which any open may rewrite.
    static func storeChecksums(_ store: URL) -> [String: String] {
        ReliabilitySandbox.checksums(of: store).filter { !$0.key.hasSuffix("-wal") && !$0.key.hasSuffix("-shm") }
    }
}

extension ReliabilitySandbox {
    /// SHA-256 of files given by relative path, as `checksums(of:)` reports a directory holding them.
    static func checksums(of files: [String: Data]) -> [String: String] {
        files.mapValues { SHA256.hash(data: $0).map { String(format: "%02x", $0) }.joined() }
    }
}
