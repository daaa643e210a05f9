import Crypto
import Foundation
import Testing
@testable import ArtifactStore
import StoreTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A restore allocates a large file's blocks before writing it, and learns whether the cache can
/// clone from a probe made before the first file: neither may change what is placed, nor leave
/// anything behind.
@Suite("Restoring large files")
struct LargeFileRestoreTests {
    /// Above ``PendingFile/allocationMinimum``, and not a whole number of blocks.
    private let large = randomBytes(Int(PendingFile.allocationMinimum) * 3 + 17, seed: 61)

    private func entry(_ path: String, _ bytes: [UInt8]) -> ManifestEntry {
        ManifestEntry(path: path, digest: SHA256.hash(data: bytes).hexString, size: Int64(bytes.count))
    }

    private func restorer(_ fixture: StoreFixture, into folder: String, policy: CachePolicy) throws -> FileRestorer {
        try FileRestorer(
            root: fixture.root.appendingPathComponent(folder), versionName: "p/a:v0",
            owner: CacheOwner(project: "p", artifact: "a"), cache: fixture.cache, mode: .copy, cachePolicy: policy,
            workers: 2)
    }

    private func names(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    @Test(arguments: CachePolicy.allCases)
    func largeFilesAreWrittenToTheirExactSize(policy: CachePolicy) throws {
        let fixture = try StoreFixture()
        let file = entry("big.bin", large)
        var restorer = try restorer(fixture, into: "out", policy: policy)
        try restorer.prepareDirectories(for: [file.path])
        let counts = try restorer.restore([file], makeSource: { MemorySource([file.digest: large], pieceSize: 1 << 20) })
        #expect(counts.fromSource == 1)
        let placed = fixture.root.appendingPathComponent("out/big.bin").path
        #expect(try Data(contentsOf: URL(fileURLWithPath: placed)) == Data(large))
        var info = stat()
        #expect(stat(placed, &info) == 0 && Int64(info.st_size) == file.size && info.st_mode & 0o222 != 0)
        if let cached = try fixture.cache.lookup(digest: file.digest, size: file.size) {
            #expect(policy != .never)
            #expect(try Data(contentsOf: cached) == Data(large))
        } else {
            // `auto` leaves a large file out of the cache unless the file system clones.
            let clones = try fixture.cache.clones(from: fixture.root.path)
            #expect(policy == .never || (policy == .auto && !clones))
        }
    }

    /// A source that stops a chunk short: the file was allocated to its full size, so only the
    /// count of bytes written can tell; nothing is placed, cached or left behind.
    @Test(arguments: CachePolicy.allCases)
    func aSourceThatEndsShortPlacesNothing(policy: CachePolicy) throws {
        let fixture = try StoreFixture()
        let small = Array("small\n".utf8)
        let files = [entry("big.bin", large), entry("small.txt", small)]
        var restorer = try restorer(fixture, into: "out", policy: policy)
        try restorer.prepareDirectories(for: files.map(\.path))
        let contents = [files[0].digest: large, files[1].digest: small]
        #expect {
            try restorer.restore(files, makeSource: {
                MemorySource(contents, pieceSize: 1 << 20, dropLastPieceOf: files[0].digest)
            })
        } throws: { error in
            guard case let .damagedFile(version, path, _)? = error as? StoreError else { return false }
            return version == "p/a:v0" && path == "big.bin"
        }
        #expect(try names(in: fixture.root.appendingPathComponent("out").path) == ["small.txt"])
        #expect(try fixture.cache.lookup(digest: files[0].digest, size: files[0].size) == nil)
        #expect(try names(in: fixture.cache.tmpPath).isEmpty)
    }

    /// On a file system too small for it (a 2 MiB tmpfs, which root can mount), a large file fails
    /// when its blocks are allocated, before a byte is written, naming the cause and the file.
    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func aLargeFileThatDoesNotFitFailsBeforeItIsWritten() throws {
        let fixture = try StoreFixture()
        let disk = fixture.root.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        try #require(mount("tmpfs", disk.path, "tmpfs", 0, "size=2m") == 0)
        defer { umount(disk.path) }
        let file = entry("big.bin", large)
        var restorer = try FileRestorer(
            root: disk.appendingPathComponent("out"), versionName: "p/a:v0", owner: CacheOwner(project: "p", artifact: "a"),
            cache: nil, mode: .copy, cachePolicy: .never, workers: 1)
        try restorer.prepareDirectories(for: [file.path])
        let asked = OrderRecorder()
        #expect {
            try restorer.restore([file], makeSource: { MemorySource([file.digest: large], asked: asked, pieceSize: 1 << 20) })
        } throws: { error in
            guard case let .io(_, path, reason)? = error as? StoreError else { return false }
            return path.hasSuffix("/out/big.bin") && reason.contains("No space left on device")
        }
        #expect(asked.digests.withLock { $0 }.isEmpty, "no byte was read to be written")
        #expect(try names(in: disk.appendingPathComponent("out").path).isEmpty)
    }

    @Test func theCloneProbeLeavesNothingBehind() throws {
        let fixture = try StoreFixture()
        let folder = fixture.root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // An independent probe: a named file cloned into another beside the cache.
        let source = folder.appendingPathComponent("a").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: source))
        let input = open(source, O_RDONLY)
        let target = fixture.cache.directory.appendingPathComponent("b").path
        let output = open(target, O_RDWR | O_CREAT, 0o600)
        let expected = try Reflink.clone(from: input, to: output, path: target)
        close(input)
        close(output)
        unlink(source)
        unlink(target)

        #expect(try fixture.cache.clones(from: folder.path) == expected)
        #expect(try names(in: folder.path).isEmpty)
        #expect(try names(in: fixture.cache.tmpPath).isEmpty)
        // A download through the probe leaves only the version's files.
        let version = try fixture.put(fixture.tree("t", ["big.bin": large, "a/small.txt": Array("s\n".utf8)])).version
        let out = fixture.root.appendingPathComponent("out")
        try fixture.store.download(version, to: out, cache: fixture.cache, cachePolicy: .always)
        #expect(try fixture.contents(of: out) == ["big.bin": Data(large), "a/small.txt": Data("s\n".utf8)])
        #expect(try names(in: fixture.cache.tmpPath).isEmpty)
    }
}
