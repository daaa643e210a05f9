import Crypto
import Foundation
import Testing
@testable import ArtifactStore
#if canImport(Glibc)
import Glibc
import StoreTestSupport
#endif

/// `get --cache always|auto|never`: which files a download adds to the cache, and that a cache entry
/// never changes when a downloaded copy is edited.
@Suite("Cache policy of a download")
struct CachePolicyTests {
    /// One file above ``CachePolicy/autoCopyLimit`` and two below it.
    private let files: [String: [UInt8]] = [
        "big.bin": randomBytes(Int(CachePolicy.autoCopyLimit) + 4096, seed: 31),
        "small/a.txt": textLikeBytes(count: 20_000, seed: 32),
        "small/b.bin": randomBytes(3_000, seed: 33),
    ]

    /// Whether the file system under `directory` makes reflink clones (the policies then cache
    /// every file without a second write).
    private func reflinksWork(in directory: URL) throws -> Bool {
        let source = directory.appendingPathComponent("reflink-probe-a").path
        let target = directory.appendingPathComponent("reflink-probe-b").path
        try Data("probe".utf8).write(to: URL(fileURLWithPath: source))
        let input = open(source, O_RDONLY)
        let output = open(target, O_RDWR | O_CREAT, 0o600)
        defer {
            close(input)
            close(output)
            unlink(source)
            unlink(target)
        }
        return try Reflink.clone(from: input, to: output, path: target)
    }

    private func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    @Test func alwaysAddsEveryFileAndTheNextDownloadUsesThem() throws {
        let fixture = try StoreFixture()
        let version = try fixture.put(fixture.tree("t", files)).version
        let first = try fixture.store.download(
            version, to: fixture.root.appendingPathComponent("o1"), cache: fixture.cache, cachePolicy: .always)
        #expect(first.fromStore == 3 && first.addedToCache == 3)
        #expect(try fixture.cache.report().files == 3)
        let second = try fixture.store.download(
            version, to: fixture.root.appendingPathComponent("o2"), cache: fixture.cache, cachePolicy: .auto)
        #expect(second.fromCache == 3 && second.fromStore == 0)
        let expected = files.mapValues { Data($0) }
        #expect(try fixture.contents(of: fixture.root.appendingPathComponent("o1")) == expected)
        #expect(try fixture.contents(of: fixture.root.appendingPathComponent("o2")) == expected)
    }

    @Test func autoCopiesOnlySmallFilesUnlessTheFileSystemClones() throws {
        let fixture = try StoreFixture()
        let version = try fixture.put(fixture.tree("t", files)).version
        let out = fixture.root.appendingPathComponent("o")
        let report = try fixture.store.download(version, to: out, cache: fixture.cache, cachePolicy: .auto)
        let clones = try reflinksWork(in: fixture.root)
        #expect(report.fromStore == 3)
        #expect(report.addedToCache == (clones ? 3 : 2), "reflinks: \(clones)")
        #expect(try fixture.cache.report().files == report.addedToCache)
        let big = try #require(try fixture.store.files(of: version).first { $0.path == "big.bin" })
        #expect((try fixture.cache.lookup(digest: big.digest, size: big.size) != nil) == clones)
        #expect(try fixture.contents(of: out) == files.mapValues { Data($0) })
    }

    @Test func neverNeitherReadsNorFillsTheCache() throws {
        let fixture = try StoreFixture()
        let version = try fixture.put(fixture.tree("t", files)).version
        try fixture.store.download(
            version, to: fixture.root.appendingPathComponent("o1"), cache: fixture.cache, cachePolicy: .always)
        let before = try fixture.cache.report()
        let out = fixture.root.appendingPathComponent("o2")
        let report = try fixture.store.download(version, to: out, cache: fixture.cache, cachePolicy: .never)
        #expect(report.fromStore == 3 && report.fromCache == 0 && report.addedToCache == 0)
        #expect(try fixture.cache.report().files == before.files)
        #expect(try fixture.contents(of: out) == files.mapValues { Data($0) })
    }

    @Test func linkModesRefuseNever() throws {
        let fixture = try StoreFixture()
        let version = try fixture.put(fixture.tree("t", files)).version
        let out = fixture.root.appendingPathComponent("o")
        #expect(throws: StoreError.self) {
            try fixture.store.download(version, to: out, cache: fixture.cache, mode: .hardlink, cachePolicy: .never)
        }
        #expect(try fixture.cache.report().files == 0)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("big.bin").path))
    }

    /// Edits every downloaded file in place (no new inode, as an editor writing through the same
    /// file does), then checks the cache still holds the original bytes and serves them.
    @Test(arguments: [CachePolicy.always, .auto])
    func editingADownloadedFileLeavesItsCacheEntryIntact(policy: CachePolicy) throws {
        let fixture = try StoreFixture()
        let version = try fixture.put(fixture.tree("t", files)).version
        let out = fixture.root.appendingPathComponent("o")
        try fixture.store.download(version, to: out, cache: fixture.cache, cachePolicy: policy)
        let entries = try fixture.store.files(of: version)
        for entry in entries {
            let path = out.appendingPathComponent(entry.path).path
            let fd = open(path, O_WRONLY)
            try #require(fd >= 0, "downloaded \(entry.path) is not writable")
            let garbage = [UInt8](repeating: 0x5A, count: 64)
            #expect(pwrite(fd, garbage, garbage.count, 0) == garbage.count)
            close(fd)
            if let cached = try fixture.cache.lookup(digest: entry.digest, size: entry.size) {
                var destination = stat()
                var source = stat()
                #expect(stat(path, &destination) == 0 && stat(cached.path, &source) == 0)
                #expect(destination.st_ino != source.st_ino, "\(entry.path) shares its inode with the cache")
                #expect(sha256(try Data(contentsOf: cached)) == entry.digest, "cache entry of \(entry.path) changed")
            }
        }
        let again = fixture.root.appendingPathComponent("o2")
        let report = try fixture.store.download(version, to: again, cache: fixture.cache, cachePolicy: policy)
        #expect(report.fromCache == (try fixture.cache.report().files))
        #expect(try fixture.contents(of: again) == files.mapValues { Data($0) })
    }
}
