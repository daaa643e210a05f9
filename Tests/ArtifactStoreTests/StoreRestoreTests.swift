import Foundation
import Testing
@testable import ArtifactStore
import StoreTestSupport

@Suite("Restoring")
struct StoreRestoreTests {
    @Test func restoresThroughTheCacheAndReusesIt() throws {
        let fixture = try StoreFixture()
        let files: [String: [UInt8]] = [
            "a/b/c.bin": randomBytes(3 << 20, seed: 1),
            "text.txt": textLikeBytes(count: 200_000, seed: 2),
            "empty": [],
        ]
        let version = try fixture.put(fixture.tree("t", files)).version
        let first = try fixture.store.download(version, to: fixture.root.appendingPathComponent("o1"), cache: fixture.cache)
        #expect(first.fromStore == 3)
        let second = try fixture.store.download(version, to: fixture.root.appendingPathComponent("o2"), cache: fixture.cache)
        #expect(second.fromCache == 3)
        let third = try fixture.store.download(version, to: fixture.root.appendingPathComponent("o2"), cache: fixture.cache)
        #expect(third.unchanged == 3)
        let expected = files.mapValues { Data($0) }
        #expect(try fixture.contents(of: fixture.root.appendingPathComponent("o1")) == expected)
        #expect(try fixture.contents(of: fixture.root.appendingPathComponent("o2")) == expected)
    }

    /// `get --path` (and the Python package's `get_path(...).download()`): only the files asked for are
    /// written, and a path the version lacks is refused before anything is.
    @Test func onlyTheFilesAskedForAreWritten() throws {
        let fixture = try StoreFixture()
        let version = try fixture.put(fixture.tree("t", ["a.txt": [1], "sub/b.txt": [2, 3], "c.txt": [4]])).version
        let out = fixture.root.appendingPathComponent("out")
        let report = try fixture.store.download(version, to: out, cache: fixture.cache, paths: ["sub/b.txt"])
        #expect(report.files == 1 && report.bytes == 2)
        #expect(try fixture.contents(of: out) == ["sub/b.txt": Data([2, 3])])
        let elsewhere = fixture.root.appendingPathComponent("none")
        #expect(throws: StoreError.invalidArgument("proj/data:v0 has no file \"b.txt\"")) {
            try fixture.store.download(version, to: elsewhere, cache: fixture.cache, paths: ["a.txt", "b.txt"])
        }
        #expect(!FileManager.default.fileExists(atPath: elsewhere.path))
    }

    @Test func damagedChunkIsNeverWritten() throws {
        let fixture = try StoreFixture()
        let version = try fixture.put(fixture.tree("t", ["x.bin": randomBytes(10_000, seed: 5)])).version
        let pack = try #require(try fixture.store.objects.list().first { $0.key.hasPrefix("packs/") })
        let path = fixture.store.directory.appendingPathComponent(pack.key).path
        chmod(path, 0o644)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
        let out = fixture.root.appendingPathComponent("out")
        // One chunk, so its digest is the file's: the error names the damaged chunk.
        let digest = try #require(try fixture.store.files(of: version).first).digest
        #expect { try fixture.store.download(version, to: out, cache: fixture.cache) } throws: { error in
            guard case let .damagedFile(name, file, detail)? = error as? StoreError else { return false }
            return name == "proj/data:v0" && file == "x.bin" && detail.contains("chunk \(digest.prefix(12))")
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("x.bin").path))
        #expect(try fixture.cache.report().files == 0)
    }

    /// Damage late in a large uncompressed chunk (checked through the file's digest, not chunk by
    /// chunk) still leaves no file and nothing in the cache, and names the chunk.
    @Test func damageLateInALargeUncompressedChunkIsNeverWritten() throws {
        let fixture = try StoreFixture()
        let version = try fixture.put(fixture.tree("t", ["x.bin": randomBytes(3 << 20, seed: 6)])).version
        let pack = try #require(try fixture.store.objects.list().first { $0.key.hasPrefix("packs/") })
        let path = fixture.store.directory.appendingPathComponent(pack.key).path
        chmod(path, 0o644)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count - 1_000] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
        let out = fixture.root.appendingPathComponent("out")
        #expect { try fixture.store.download(version, to: out, cache: fixture.cache) } throws: { error in
            guard case let .damagedFile(name, file, detail)? = error as? StoreError else { return false }
            return name == "proj/data:v0" && file == "x.bin" && detail.contains("chunk ")
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("x.bin").path))
        #expect(try fixture.cache.report().files == 0)
        // Undamaged, the same version restores byte for byte.
        bytes[bytes.count - 1_000] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
        try fixture.store.download(version, to: out, cache: fixture.cache)
        #expect(try fixture.contents(of: out) == ["x.bin": Data(randomBytes(3 << 20, seed: 6))])
    }

    @Test func craftedManifestCannotEscapeTheRoot() throws {
        let fixture = try StoreFixture()
        let good = try fixture.put(fixture.tree("t", ["x": [1, 2, 3]])).version
        let entry = try #require(try fixture.store.files(of: good).first)
        for bad in ["../escape", "/etc/passwd", "a/../../escape", "a//b", "./x"] {
            let commit = VersionCommit(
                project: "proj", name: "evil-\(abs(bad.hashValue))", type: "dataset", description: "", metadata: [:],
                aliases: [], producerRunID: nil, digest: Store.manifestDigest([]),
                files: [ManifestEntry(path: bad, digest: entry.digest, size: entry.size)],
                contents: [ContentRecord(digest: entry.digest, size: entry.size, chunks: [entry.digest])],
                newChunks: [], packs: [])
            guard case .created(let version, _) = try fixture.store.catalog.commit(commit) else {
                Issue.record("crafted commit was not created")
                continue
            }
            let out = fixture.root.appendingPathComponent("out/inner")
            #expect(throws: StoreError.self) { try fixture.store.download(version, to: out, cache: nil) }
            #expect(!FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("out/escape").path))
            #expect(!FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("escape").path))
        }
    }

    @Test func symbolicLinkInTheRootIsNotFollowed() throws {
        let fixture = try StoreFixture()
        let version = try fixture.put(fixture.tree("t", ["dir/x": [1]])).version
        let out = fixture.root.appendingPathComponent("out")
        let elsewhere = fixture.root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("dir"), withDestinationURL: elsewhere)
        #expect(throws: StoreError.self) { try fixture.store.download(version, to: out, cache: nil) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }
}
