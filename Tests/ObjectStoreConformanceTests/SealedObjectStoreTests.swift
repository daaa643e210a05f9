import ArtifactStore
import ArtifactStoreS3
import Foundation
import S3Client
import Synchronization
import Testing
import StoreTestSupport

/// Encryption at rest: what is stored is unreadable without the key, and any change to it is caught.
@Suite struct SealedObjectStoreTests {
    /// A sealed store over a fresh directory, with the directory for tampering.
    private func sealedDirectory(keyring: MasterKeyring? = nil) throws -> (SealedObjectStore, URL) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-sealed-\(UUID().uuidString)")
        let inner = try LocalObjectStore(
            root: scratch.appendingPathComponent("objects"), stagingDirectory: scratch.appendingPathComponent("tmp"))
        return (SealedObjectStore(wrapping: inner, keyring: try keyring ?? TestKeys.keyring()), inner.root)
    }

    /// Plaintext that is easy to look for: a marker sentence repeated, then random bytes.
    private static let marker = Array("arttui plaintext marker: model weights of run 42. ".utf8)
    private static let plaintext = Array((0..<3000).flatMap { _ in marker }) + randomBytes(100_000, seed: 9)

    private func containsPlaintext(_ stored: [UInt8]) -> Bool {
        let needle = Self.marker[0..<16]
        if stored.count < needle.count { return false }
        for start in 0...(stored.count - needle.count) where stored[start] == needle.first! {
            if stored[start..<start + needle.count].elementsEqual(needle) { return true }
        }
        // Random plaintext too: any 16-byte window of its tail.
        let tail = Array(Self.plaintext.suffix(16))
        return stored.count >= 16 && (0...(stored.count - 16)).contains { stored[$0..<$0 + 16].elementsEqual(tail) }
    }

    @Test func theDirectoryHoldsNoPlaintext() throws {
        let (store, root) = try sealedDirectory()
        try store.store(key: "packs/aa/x.pack", movingFile: try TestKeys.stagedFile(Self.plaintext, in: store))
        let stored = Array(try Data(contentsOf: root.appendingPathComponent("packs/aa/x.pack")))
        #expect(Int64(stored.count) == SealedObjectFormat.sealedSize(ofPlaintextSize: Int64(Self.plaintext.count)))
        #expect(!containsPlaintext(stored))
        #expect(try store.reader(key: "packs/aa/x.pack").bytes(at: 0, Self.plaintext.count) == Self.plaintext)
    }

    @Test func theBucketHoldsNoPlaintextWhenReadWithAPlainClient() throws {
        guard let client = ObjectStoreBackend.seaweedfs.client() else { return }
        try client.createBucket(ObjectStoreBackend.bucket)
        let prefix = "sealed/\(UUID().uuidString)/"
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-sealed-\(UUID().uuidString)")
        let inner = try S3ObjectStore(
            client: client, bucket: ObjectStoreBackend.bucket, keyPrefix: prefix, stagingDirectory: scratch)
        let store = SealedObjectStore(wrapping: inner, keyring: try TestKeys.keyring())
        try store.store(key: "packs/bb/y.pack", movingFile: try TestKeys.stagedFile(Self.plaintext, in: store))
        let raw = try client.getObject(bucket: ObjectStoreBackend.bucket, key: prefix + "packs/bb/y.pack")
        #expect(raw.count > Self.plaintext.count)
        #expect(!containsPlaintext(Array(raw)))
        #expect(try store.reader(key: "packs/bb/y.pack").bytes(at: 0, Self.plaintext.count) == Self.plaintext)
    }

    /// Objects sealed in memory (a team server's packs, into reused buffers) and objects sealed from a
    /// file are one format: each opens by the other path, in a store that has not seen it written.
    @Test func objectsSealedInMemoryOrFromAFileOpenAlike() throws {
        let (store, root) = try sealedDirectory()
        try store.store(key: "a", bytes: Data(Self.plaintext))
        try store.store(key: "b", movingFile: try TestKeys.stagedFile(Self.plaintext, in: store))
        let fresh = SealedObjectStore(wrapping: store.inner, keyring: store.keyring)
        for key in ["a", "b"] {
            let sealed = try Data(contentsOf: root.appendingPathComponent(key))
            #expect(Int64(sealed.count) == SealedObjectFormat.sealedSize(ofPlaintextSize: Int64(Self.plaintext.count)))
            #expect(!containsPlaintext(Array(sealed)))
            #expect(Array(try SealedObjectFormat.open(sealed, objectKey: key, keyring: store.keyring)) == Self.plaintext)
            #expect(try fresh.reader(key: key).bytes(at: 0, Self.plaintext.count) == Self.plaintext)
        }
        // An empty object is one empty segment.
        try store.store(key: "empty", bytes: Data())
        #expect(try fresh.reader(key: "empty").size == 0)
    }

    /// The memory an object is sealed into is reused for the next one only once the store it went to
    /// let go of it: a store that keeps the bytes it is given (in memory) keeps them intact.
    @Test func sealedBytesAStoreKeepsAreNotOverwrittenByTheNextObject() throws {
        let (local, _) = try sealedDirectory()
        let keeping = KeepingStore(inner: local.inner)
        let store = SealedObjectStore(wrapping: keeping, keyring: local.keyring)
        let second = Array(Self.plaintext.reversed())
        try store.store(key: "one", bytes: Data(Self.plaintext))
        try store.store(key: "two", bytes: Data(second))
        let kept = keeping.kept.withLock { $0 }
        #expect(kept.count == 2)
        #expect(Array(try SealedObjectFormat.open(kept[0], objectKey: "one", keyring: local.keyring)) == Self.plaintext)
        #expect(Array(try SealedObjectFormat.open(kept[1], objectKey: "two", keyring: local.keyring)) == second)
    }

    private func expectDamaged(_ store: SealedObjectStore, _ key: String, mentioning phrase: String) {
        #expect {
            let reader = try store.reader(key: key)
            _ = try reader.bytes(at: 0, Int(reader.size))
        } throws: { error in
            guard case StoreError.corruptData(let what, let detail) = error else { return false }
            return what.contains(key) && detail.contains(phrase) && !"\(error)".contains("\n")
        }
    }

    @Test func aChangedByteIsCaught() throws {
        let (store, root) = try sealedDirectory()
        try store.store(key: "k", movingFile: try TestKeys.stagedFile(Self.plaintext, in: store))
        let path = root.appendingPathComponent("k")
        var bytes = try Data(contentsOf: path)
        bytes[SealedObjectFormat.headerSize + 70_000] ^= 0x01
        try bytes.write(to: path)
        expectDamaged(store, "k", mentioning: "segment 2 of ")
    }

    @Test func aChangedHeaderIsCaught() throws {
        let (store, root) = try sealedDirectory(keyring: try TestKeys.keyring(ids: [1, 2]))
        try store.store(key: "k", movingFile: try TestKeys.stagedFile(Self.plaintext, in: store))
        let path = root.appendingPathComponent("k")
        var bytes = try Data(contentsOf: path)
        bytes[15] = 1  // key id 2 → 1, a key the keyring has
        try bytes.write(to: path)
        expectDamaged(store, "k", mentioning: "fails authentication")
    }

    @Test func anObjectCutAtASegmentBoundaryFailsToOpen() throws {
        let (store, root) = try sealedDirectory()
        try store.store(key: "k", movingFile: try TestKeys.stagedFile(Self.plaintext, in: store))
        let path = root.appendingPathComponent("k")
        let bytes = try Data(contentsOf: path)
        let twoSegments = SealedObjectFormat.headerSize + 2 * (SealedObjectFormat.segmentSize + SealedObjectFormat.tagSize)
        try bytes.prefix(twoSegments).write(to: path)
        expectDamaged(store, "k", mentioning: "segment 2 of 2 fails authentication")
        // Cut inside a segment: a short last segment that fails authentication, or too few bytes for a tag.
        try bytes.prefix(twoSegments - 5).write(to: path)
        expectDamaged(store, "k", mentioning: "segment 2 of 2 fails authentication")
        try bytes.prefix(twoSegments - SealedObjectFormat.segmentSize - 5).write(to: path)
        expectDamaged(store, "k", mentioning: "is not that of whole sealed segments")
    }

    @Test func rangedReadsCatchDamageInTheSegmentsTheyOpen() throws {
        let (store, root) = try sealedDirectory()
        try store.store(key: "k", bytes: Data(Self.plaintext))
        let path = root.appendingPathComponent("k")
        var bytes = try Data(contentsOf: path)
        bytes[SealedObjectFormat.headerSize + 70_000] ^= 0x01
        try bytes.write(to: path)
        // Another process's store: the header comes from the object too.
        let fresh = SealedObjectStore(wrapping: store.inner, keyring: store.keyring)
        for reading in [store, fresh] {
            #expect(try reading.read(key: "k", ranges: [10..<100]).pieces.map(Array.init) == [Array(Self.plaintext[10..<100])])
            expectDamaged(reading, "k", ranges: [10..<100, 65_536..<65_600], mentioning: "segment 2 of ")
        }
    }

    @Test func rangedReadsOfAnObjectCutAtASegmentBoundaryFailAtItsNewEnd() throws {
        let (store, root) = try sealedDirectory()
        try store.store(key: "k", bytes: Data(Self.plaintext))
        let path = root.appendingPathComponent("k")
        let twoSegments = SealedObjectFormat.headerSize + 2 * (SealedObjectFormat.segmentSize + SealedObjectFormat.tagSize)
        try Data(contentsOf: path).prefix(twoSegments).write(to: path)
        expectDamaged(store, "k", ranges: [65_536..<65_600], mentioning: "segment 2 of 2 fails authentication")
        // Past the new end: the inner store names the sealed bytes missing.
        expectDamaged(store, "k", ranges: [200_000..<200_010], mentioning: "ends at \(twoSegments)")
    }

    private func expectDamaged(
        _ store: SealedObjectStore, _ key: String, ranges: [Range<Int64>], mentioning phrase: String
    ) {
        #expect {
            _ = try store.read(key: key, ranges: ranges)
        } throws: { error in
            guard case StoreError.corruptData(let what, let detail) = error else { return false }
            return what.contains(key) && detail.contains(phrase) && !"\(error)".contains("\n")
        }
    }

    @Test func reorderedSegmentsAreCaught() throws {
        let (store, root) = try sealedDirectory()
        let content = randomBytes(3 * SealedObjectFormat.segmentSize, seed: 3)
        try store.store(key: "k", movingFile: try TestKeys.stagedFile(content, in: store))
        let path = root.appendingPathComponent("k")
        let bytes = try Data(contentsOf: path)
        let header = SealedObjectFormat.headerSize, stride = SealedObjectFormat.segmentSize + SealedObjectFormat.tagSize
        let swapped = bytes[..<header] + bytes[(header + stride)..<(header + 2 * stride)]
            + bytes[header..<(header + stride)] + bytes[(header + 2 * stride)...]
        try Data(swapped).write(to: path)
        expectDamaged(store, "k", mentioning: "segment 1 of 3 fails authentication")
    }

    @Test func anObjectCopiedUnderAnotherKeyIsCaught() throws {
        let (store, root) = try sealedDirectory()
        try store.store(key: "packs/aa/a.pack", movingFile: try TestKeys.stagedFile(Self.plaintext, in: store))
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("packs/bb"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: root.appendingPathComponent("packs/aa/a.pack"), to: root.appendingPathComponent("packs/bb/b.pack"))
        expectDamaged(store, "packs/bb/b.pack", mentioning: "fails authentication")
    }

    @Test func aNewerKeyTakesNewWritesWhileOldObjectsStayReadable() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-rotate-\(UUID().uuidString)")
        let inner = try LocalObjectStore(
            root: scratch.appendingPathComponent("objects"), stagingDirectory: scratch.appendingPathComponent("tmp"))
        let keyFile = scratch.appendingPathComponent("master.keys")
        #expect(try MasterKeyring.generate(at: keyFile) == 1)
        let old = SealedObjectStore(wrapping: inner, keyring: try MasterKeyring.load(contentsOf: keyFile))
        try old.store(key: "old", movingFile: try TestKeys.stagedFile(Array(Self.plaintext.prefix(1000)), in: old))
        #expect(try MasterKeyring.generate(at: keyFile) == 2)
        let rotated = try MasterKeyring.load(contentsOf: keyFile)
        #expect(rotated.keyIDs == [1, 2] && rotated.newestKeyID == 2)
        let new = SealedObjectStore(wrapping: inner, keyring: rotated)
        try new.store(key: "new", movingFile: try TestKeys.stagedFile(Array(Self.plaintext.suffix(1000)), in: new))
        #expect(try new.reader(key: "old").bytes(at: 0, 1000) == Array(Self.plaintext.prefix(1000)))
        #expect(try new.reader(key: "new").bytes(at: 0, 1000) == Array(Self.plaintext.suffix(1000)))
        let stored = try Data(contentsOf: inner.root.appendingPathComponent("new"))
        #expect(stored[12..<16].elementsEqual([0, 0, 0, 2]))
        // Without key 1 the old object names the key it needs.
        let onlyNewest = try MasterKeyring(keys: [2: Array(repeating: 7, count: 32)])
        #expect(throws: MasterKeyError.unknownKey(id: 1, object: "old", keyFile: nil)) {
            _ = try SealedObjectStore(wrapping: inner, keyring: onlyNewest).reader(key: "old")
        }
    }

    @Test func keyFilesAreCheckedBeforeUse() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let keyFile = scratch.appendingPathComponent("master.keys")
        #expect(throws: MasterKeyError.missingFile(path: keyFile.path)) { _ = try MasterKeyring.load(contentsOf: keyFile) }
        try MasterKeyring.generate(at: keyFile)
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let text = try String(contentsOf: keyFile, encoding: .utf8)
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("arttui-master-key 1 ") }.count == 1)

        chmod(keyFile.path, 0o644)
        #expect(throws: MasterKeyError.unsafePermissions(path: keyFile.path, mode: 0o644)) {
            _ = try MasterKeyring.load(contentsOf: keyFile)
        }
        #expect("\(MasterKeyError.unsafePermissions(path: keyFile.path, mode: 0o644))".contains("chmod 600"))
        #expect(throws: MasterKeyError.self) { _ = try MasterKeyring.generate(at: keyFile) }

        let malformed = scratch.appendingPathComponent("bad.keys")
        _ = FileManager.default.createFile(
            atPath: malformed.path, contents: Data("# keys\narttui-master-key 1 c2hvcnQ=\n".utf8),
            attributes: [.posixPermissions: 0o600])
        #expect(throws: MasterKeyError.malformed(path: malformed.path, line: 2, reason: "key 1 is not 32 bytes in base64")) {
            _ = try MasterKeyring.load(contentsOf: malformed)
        }
        let empty = scratch.appendingPathComponent("empty.keys")
        _ = FileManager.default.createFile(atPath: empty.path, contents: Data("# nothing\n".utf8), attributes: [.posixPermissions: 0o600])
        #expect(throws: MasterKeyError.empty(path: empty.path)) { _ = try MasterKeyring.load(contentsOf: empty) }
    }

    @Test func sealedSizesRoundTrip() {
        for size in [0, 1, 65_535, 65_536, 65_537, 131_072, 1_000_000] as [Int64] {
            #expect(SealedObjectFormat.plaintextSize(ofSealedSize: SealedObjectFormat.sealedSize(ofPlaintextSize: size)) == size)
        }
        #expect(SealedObjectFormat.plaintextSize(ofSealedSize: Int64(SealedObjectFormat.headerSize + 5)) == nil)
    }
}

/// The S3 store against a real service: opening checks the bucket, wrong keys are named.
@Suite struct S3ObjectStoreServiceTests {
    @Test func openingAMissingBucketNamesItAndTheEndpoint() throws {
        for backend in [ObjectStoreBackend.seaweedfs, .rclone] {
            guard let client = backend.client() else { continue }
            let staging = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-s3-\(UUID().uuidString)")
            #expect {
                _ = try S3ObjectStore(client: client, bucket: "no-such-bucket-\(UUID().uuidString.prefix(8).lowercased())", stagingDirectory: staging)
            } throws: { error in
                let line = "\(error)"
                print("\(backend): \(line)")
                return (error as? S3Error)?.kind == .noSuchBucket && line.contains("no-such-bucket-")
                    && line.contains(client.configuration.endpoint.absoluteString) && !line.contains("\n")
            }
        }
    }

    @Test func aWrongSecretIsAccessDenied() throws {
        for backend in [ObjectStoreBackend.seaweedfs, .rclone] {
            guard let good = backend.client() else { continue }
            var configuration = good.configuration
            configuration.credentials = S3Credentials(
                accessKeyID: configuration.credentials.accessKeyID, secretAccessKey: "not-the-secret")
            configuration.retry = S3RetryPolicy(maxAttempts: 1)
            do throws(S3Error) {
                try S3Client(configuration: configuration).headBucket(ObjectStoreBackend.bucket)
                // A HEAD has no body; list to get the error code too.
                _ = try S3Client(configuration: configuration).listObjects(bucket: ObjectStoreBackend.bucket)
                Issue.record("\(backend) accepted a wrong secret")
            } catch {
                print("\(backend): \(error)")
                #expect(error.kind == .accessDenied)
                #expect(!"\(error)".contains("not-the-secret"))
            }
        }
    }

    @Test func headReportsSizeAndETag() throws {
        for backend in [ObjectStoreBackend.seaweedfs, .rclone] {
            guard let client = backend.client() else { continue }
            try client.createBucket(ObjectStoreBackend.bucket)
            let key = "head/\(UUID().uuidString)"
            let data = Data(randomBytes(1234, seed: 5))
            let put = try client.putObject(bucket: ObjectStoreBackend.bucket, key: key, data: data)
            let head = try client.headObject(bucket: ObjectStoreBackend.bucket, key: key)
            #expect(head.size == 1234)
            #expect(head.etag != nil && head.etag == put.etag)
            try client.deleteObject(bucket: ObjectStoreBackend.bucket, key: key)
            #expect { _ = try client.headObject(bucket: ObjectStoreBackend.bucket, key: key) } throws: {
                ($0 as? S3Error)?.kind == .noSuchKey
            }
        }
    }
}

/// Another store that also keeps every `Data` it is given, as an in-memory store would.
private final class KeepingStore: ObjectStore, @unchecked Sendable {
    let inner: any ObjectStore
    let kept = Mutex<[Data]>([])

    init(inner: any ObjectStore) { self.inner = inner }

    var stagingDirectory: URL { inner.stagingDirectory }
    func store(key: String, movingFile file: URL) throws { try inner.store(key: key, movingFile: file) }
    func store(key: String, bytes: Data) throws {
        kept.withLock { $0.append(bytes) }
        try inner.store(key: key, bytes: bytes)
    }
    func reader(key: String) throws -> any ObjectReader { try inner.reader(key: key) }
    func read(
        key: String, ranges: [Range<Int64>], forEachPiece body: (Int, Int, UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int64 {
        try inner.read(key: key, ranges: ranges, forEachPiece: body)
    }
    func delete(key: String) throws { try inner.delete(key: key) }
    func list() throws -> [ObjectInfo] { try inner.list() }
}
