import Foundation
import GRDB
import Testing
@testable import ArtifactStore
import StoreTestSupport

@Suite("Reference entries in the store")
struct StoreReferenceTests {
    @Test func checksumTextRoundTrips() {
        for checksum: ReferenceChecksum in [.sha256("ab12"), .md5("1B2M2Y8AsgTpgAmY7PhCfg=="), .etag("x-1"),
                                            .unchecked(uri: "s3://b/k")] {
            #expect(ReferenceChecksum(digest: checksum.description) == checksum)
        }
        #expect(ReferenceChecksum.etag(header: "\"abc\"") == .etag("abc"))
    }

    @Test func aReferenceDiffersFromAStoredFileOfTheSameContentAndFromOtherURIs() {
        let stored = ManifestEntry(path: "a", digest: "ab", size: 1)
        let here = ManifestEntry(path: "a", digest: "sha256:ab", size: 1, reference: FileReference(uri: "file:///x/a"))
        let there = ManifestEntry(path: "a", digest: "sha256:ab", size: 1, reference: FileReference(uri: "file:///y/a"))
        let digests = Set([stored, here, there].map { Store.manifestDigest([$0]) })
        #expect(digests.count == 3)
        var versioned = here
        versioned.reference?.objectVersion = "v2"
        #expect(Store.manifestDigest([versioned]) != Store.manifestDigest([here]))
    }

    @Test func deletingAVersionRemovesItsReferenceRowsAndVerifyStaysClean() throws {
        let fixture = try StoreFixture()
        let shared = try fixture.tree("shared", ["x.bin": randomBytes(1000, seed: 7)])
        var draft = ArtifactDraft(name: "refs")
        try draft.addReferences(LocalFileSource().list("file://\(shared.path)", checksum: true, maxObjects: 10))
        let logged = try fixture.store.log(draft, project: "proj").version
        #expect(logged.fileCount == 1 && logged.size == 1000 && logged.addedBytes == 0)
        var verifier = StoreVerifier(store: fixture.store)
        verifier.references = .local
        let report = try verifier.verify(.store)
        #expect(report.isClean && report.referencesChecked == 1, "\(report.problems)")

        try fixture.store.delete([logged])
        let catalog = try #require(fixture.store.catalog as? SQLiteCatalog)
        let rows = try DatabaseQueue(path: catalog.path).read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM file_reference")
        }
        #expect(rows == 0)
        #expect(try StoreVerifier(store: fixture.store).verify(.store).isClean)
    }

    /// `verify --root` after a get: a `file://` reference records `sha256:HEX`, which must be compared
    /// as the hash it names (it was compared as text, so every reference read as changed).
    @Test func aDownloadedFileReferenceChecksCleanAndItsContentIsHashed() throws {
        let fixture = try StoreFixture()
        let shared = try fixture.tree("shared", ["x.bin": [1, 2, 3]])
        var draft = ArtifactDraft(name: "refs")
        try draft.addReferences(LocalFileSource().list("file://\(shared.path)", checksum: true, maxObjects: 10))
        let version = try fixture.store.log(draft, project: "proj").version
        let out = fixture.root.appendingPathComponent("out")
        try fixture.store.download(version, to: out, cache: fixture.cache)
        #expect(try fixture.store.check(version, against: out).matches)
        try Data([1, 2, 4]).write(to: out.appendingPathComponent("x.bin"))
        #expect(try fixture.store.check(version, against: out).changed == ["x.bin"])
    }

    /// `--reference NAME=URI` (`add_reference(uri, name=)`): a single object becomes the entry NAME, a
    /// tree's objects go under the folder NAME; a name that leaves the artifact is refused.
    @Test func aNamedReferenceIsPlacedAtItsName() throws {
        let fixture = try StoreFixture()
        let tree = try fixture.tree("t", ["x.bin": [1, 2, 3], "sub/y.bin": [4]])
        let resolver = ReferenceResolver.local
        let single = try resolver.list("file://\(tree.path)/x.bin", at: "weights/model.bin", checksum: true, maxObjects: 10)
        #expect(single.map(\.path) == ["weights/model.bin"])
        #expect(single.first?.reference?.uri == "file://\(tree.path)/x.bin")
        let folder = try resolver.list("file://\(tree.path)", at: "data/", checksum: true, maxObjects: 10)
        #expect(folder.map(\.path).sorted() == ["data/sub/y.bin", "data/x.bin"])
        #expect(try resolver.list("file://\(tree.path)", checksum: true, maxObjects: 10).map(\.path).sorted()
                == ["sub/y.bin", "x.bin"])
        #expect(throws: StoreError.self) { try resolver.list("file://\(tree.path)", at: "../out", checksum: true, maxObjects: 10) }
        // A file whose URI is spelled with percent-escapes (as Python's Path.as_uri() writes it) is still one object.
        let odd = try fixture.tree("odd", ["a=b c+d.bin": [7]])
        let escaped = URL(fileURLWithPath: odd.path + "/a=b c+d.bin").absoluteString
        #expect(escaped.contains("%20"))
        #expect(try resolver.list(escaped, at: "w.bin", checksum: true, maxObjects: 10).map(\.path) == ["w.bin"])
        #expect(try resolver.list("file://localhost\(tree.path)/x.bin", at: "w.bin", checksum: true, maxObjects: 10)
                .map(\.path) == ["w.bin"])

        #expect(ReferenceResolver.namedURI("model.bin=s3://b/k") == ("model.bin", "s3://b/k"))
        #expect(ReferenceResolver.namedURI("https://h/p?a=b") == (nil, "https://h/p?a=b"))
        #expect(ReferenceResolver.namedURI("s3://b/a=b") == (nil, "s3://b/a=b"))
    }

    @Test func aPathTakenByAStoredFileCannotAlsoBeAReference() throws {
        let fixture = try StoreFixture()
        let tree = try fixture.tree("t", ["x.bin": [1, 2, 3]])
        var draft = ArtifactDraft(name: "mixed")
        try draft.addDirectory(tree)
        let reference = try LocalFileSource().list("file://\(tree.path)", checksum: true, maxObjects: 10)
        #expect(throws: StoreError.conflictingPath(path: "x.bin")) { try draft.addReferences(reference) }
    }

    /// Many references are asked about at once (an S3 HEAD is a round trip of waiting), and the answers
    /// still come back in the entries' order, failures included.
    @Test func manyReferencesAreCheckedAtOnceWithOutcomesInOrder() throws {
        let source = SlowSource()
        let checker = ReferenceChecker(resolver: ReferenceResolver([source]))
        let entries = (0..<40).map { index in
            ManifestEntry(
                path: "f\(index)", digest: "etag:\(index % 3 == 0 ? "old" : "e\(index)")", size: 1,
                reference: FileReference(uri: index == 7 ? "slow://gone/\(index)" : "slow://b/\(index)"))
        }
        let outcomes = checker.check(entries, workers: 8)
        #expect(outcomes.count == 40)
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .success(let found):
                #expect(index != 7)
                #expect(found == (index % 3 == 0 ? .changed(current: "etag:e\(index)") : .unchanged))
            case .failure:
                #expect(index == 7)
            }
        }
        #expect(source.mostAtOnce > 1 && source.mostAtOnce <= 8)

        // Fetching: the first failure in order is thrown once the others are written, warnings in order.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("refs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        var warnings: [String] = []
        #expect(throws: StoreError.self) {
            try checker.fetch(entries, under: root.path, allowChanged: true, workers: 8) { warnings.append($0) }
        }
        #expect(warnings.count == 14 && warnings.first?.hasPrefix("warning: f0:") == true)
        #expect(warnings == warnings.sorted { Int($0.dropFirst(10).prefix { $0.isNumber })! < Int($1.dropFirst(10).prefix { $0.isNumber })! })
        let written = try FileManager.default.contentsOfDirectory(atPath: root.path)
        #expect(written.count == 39 && !written.contains("f7"))
    }
}

/// A source whose every answer takes a while, counting how many requests it serves at once.
private final class SlowSource: ReferenceSource, @unchecked Sendable {
    let schemes = ["slow"]
    private let lock = NSLock()
    private var running = 0
    private(set) var mostAtOnce = 0

    func list(_ uri: String, checksum: Bool, maxObjects: Int) throws -> [ManifestEntry] { [] }

    func read(_ reference: FileReference, into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> String? {
        let tag = try currentETag(of: reference)
        try [UInt8(1)].withUnsafeBytes { try sink($0) }
        return tag
    }

    func currentETag(of reference: FileReference) throws -> String? {
        lock.withLock {
            running += 1
            mostAtOnce = max(mostAtOnce, running)
        }
        defer { lock.withLock { running -= 1 } }
        usleep(20_000)
        guard !reference.uri.contains("gone") else {
            throw StoreError.referenceUnavailable(path: "", uri: reference.uri, reason: "no such object")
        }
        return "\"e\(reference.uri.split(separator: "/").last!)\""
    }
}
