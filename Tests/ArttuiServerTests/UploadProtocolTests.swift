import ArtifactStore
import ArtifactWire
@testable import ArttuiServer
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The deduplicating upload protocol: only missing chunks travel, bad bytes are refused, an interrupted
/// upload leaves nothing visible and resumes with what is still missing, and chunks in projects the
/// caller cannot read count as missing.
@Suite(.enabled(if: ServerFixture.enabled)) struct UploadProtocolTests {
    /// Data that cuts into several chunks (pseudo-random, so zstd does not shrink it to nothing).
    static func noise(_ count: Int, seed: UInt64) -> Data {
        var state = seed
        var bytes = [UInt8](repeating: 0, count: count)
        for index in bytes.indices {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 33)
        }
        return Data(bytes)
    }

    static func setUp(_ accounts: AccountStore, _ client: any TestClientProtocol) async throws -> Session {
        let alice = Session(client: client, token: try await accounts.addUser("alice", admin: false))
        let created = try await alice.send(.post, "/api/v1/projects", json: ["entity": "alice", "name": "vision", "visibility": "private"])
        #expect(created.status == .created)
        return alice
    }

    /// `setUp`, then a first version `alice/vision/data:v0` of one small file: alice and that version's path.
    static func setUpWithOneVersion(
        _ accounts: AccountStore, _ client: any TestClientProtocol
    ) async throws -> (alice: Session, version: String) {
        let alice = try await setUp(accounts, client)
        #expect(try await alice.put("alice/vision", "data", files: ["a.txt": Data("a\n".utf8)]).response.status == .created)
        return (alice, "/api/v1/projects/alice/vision/artifacts/data/versions/v0")
    }

    @Test func secondVersionSendsOnlyTheChangedChunksAndRestoresByteForByte() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await Self.setUp(accounts, client)
            let big = Self.noise(3 << 20, seed: 1)
            var files = ["big.bin": big, "small.txt": Data("one\n".utf8)]
            let first = try await alice.put("alice/vision", "data", files: files)
            #expect(first.response.status == .created)
            let total = PreparedUpload(files: files).chunkOrder.count
            #expect(first.sent == total)
            #expect(total > 2)

            files["small.txt"] = Data("two\n".utf8)
            let second = try await alice.put("alice/vision", "data", files: files)
            #expect(second.response.status == .created)
            #expect(second.sent == 1, "only the changed file's chunk travels")
            let version = try alice.decode(CommitResponse.self, second.response).version
            #expect(version.version == "v1")
            #expect(version.project == "alice/vision")

            // The same content again makes no version.
            let third = try await alice.put("alice/vision", "data", files: files)
            #expect(third.response.status == .ok)
            #expect(third.sent == 0)

            // Restore: manifest, then every chunk, checked against its digest and reassembled.
            let manifestResponse = try await alice.send(.get, "/api/v1/projects/alice/vision/artifacts/data/versions/latest/manifest")
            let manifest = try alice.decode(WireManifest.self, manifestResponse)
            #expect(manifest.files.map(\.path) == ["big.bin", "small.txt"])
            for file in manifest.files {
                let content = try #require(manifest.contents.first { $0.digest == file.digest })
                var restored = Data()
                for chunk in content.chunks {
                    let response = try await alice.send(.get, "/api/v1/projects/alice/vision/artifacts/data/versions/latest/chunks/\(chunk)")
                    #expect(response.status == .ok)
                    let bytes = Data(response.body.readableBytesView)
                    #expect(Hex.encode(Array(SHA256.hash(data: bytes))) == chunk)
                    restored.append(bytes)
                }
                #expect(restored == files[file.path])
                let whole = try await alice.send(.get, "/api/v1/projects/alice/vision/artifacts/data/versions/latest/contents/\(file.digest)")
                #expect(Data(whole.body.readableBytesView) == files[file.path])
            }
        }
    }

    @Test func aRecordsRequestIsAnsweredInTheOrderAskedAcrossPacks() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await Self.setUp(accounts, client)
            // Each put sends one pack: a.bin's chunks in the first, b.bin's in the second.
            var files = ["a.bin": Self.noise(2 << 20, seed: 21)]
            #expect(try await alice.put("alice/vision", "data", files: files).response.status == .created)
            files["b.bin"] = Self.noise(2 << 20, seed: 22)
            #expect(try await alice.put("alice/vision", "data", files: files).response.status == .created)
            let versionPath = "/api/v1/projects/alice/vision/artifacts/data/versions/v1"
            let manifest = try alice.decode(WireManifest.self, try await alice.send(.get, versionPath + "/manifest"))
            func chunks(_ path: String) throws -> [String] {
                let digest = try #require(manifest.files.first { $0.path == path }).digest
                return try #require(manifest.contents.first { $0.digest == digest }).chunks
            }
            let a = try chunks("a.bin"), b = try chunks("b.bin")
            #expect(a.count >= 2 && b.count >= 2)
            // Interleaved across the packs, backwards within one, one chunk twice.
            let asked = [b[b.count - 1], a[0], b[0], a[a.count - 1]] + a.reversed()
            let response = try await alice.send(.post, versionPath + "/chunks", json: ChunkRecordsRequest(digests: asked))
            #expect(response.status == .ok)
            var answered: [String] = []
            var restoredA: [String: Data] = [:]
            try Data(response.body.readableBytesView).withUnsafeBytes { records in
                try PackRecords.forEachChunk(in: records, maxRawLength: 16 << 20, codec: ZstdCodec()) { digest, chunk in
                    answered.append(digest)
                    if a.contains(digest) { restoredA[digest] = Data(chunk) }
                }
            }
            #expect(answered == asked)
            #expect(a.map { restoredA[$0]! }.reduce(Data(), +) == files["a.bin"])
        }
    }

    @Test func interruptedUploadLeavesNothingVisibleAndResumesWithWhatIsMissing() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await Self.setUp(accounts, client)
            let prepared = PreparedUpload(files: ["a.bin": Self.noise(2 << 20, seed: 2), "b.bin": Self.noise(1 << 20, seed: 3)])
            let upload = try alice.decode(UploadCreated.self, try await alice.send(.post, "/api/v1/projects/alice/vision/uploads")).upload
            let half = Array(prepared.chunkOrder.prefix(prepared.chunkOrder.count / 2))
            let pack = try await alice.send(.put, "/api/v1/projects/alice/vision/uploads/\(upload)/packs", bytes: prepared.pack(half))
            #expect(pack.status == .created)
            // Interrupted here: nothing is visible.
            let versions = try await alice.send(.get, "/api/v1/projects/alice/vision/artifacts/data/versions")
            #expect(versions.status == .notFound)
            // A commit now names the chunks still to send, and makes nothing visible.
            let early = try await alice.send(
                .post, "/api/v1/projects/alice/vision/uploads/\(upload)/commit", json: prepared.commit(artifact: "data", type: "dataset"))
            #expect(early.status == .conflict)
            #expect(early.headers[.contentType] == "application/problem+json")
            let problem = try alice.decode(Problem.self, early)
            #expect(Set(problem.missing ?? []) == Set(prepared.chunkOrder.dropFirst(half.count)))
            #expect(try await alice.send(.get, "/api/v1/projects/alice/vision/artifacts/data/versions").status == .notFound)
            // Resuming: the store asks only for the rest.
            let missing = try alice.decode(MissingChunksResponse.self, try await alice.send(
                .post, "/api/v1/projects/alice/vision/chunks/missing",
                json: MissingChunksRequest(digests: prepared.chunkOrder, upload: upload))).missing
            #expect(missing == Array(prepared.chunkOrder.dropFirst(half.count)))
            #expect(try await alice.send(.put, "/api/v1/projects/alice/vision/uploads/\(upload)/packs", bytes: prepared.pack(missing)).status == .created)
            let commit = try await alice.send(
                .post, "/api/v1/projects/alice/vision/uploads/\(upload)/commit", json: prepared.commit(artifact: "data", type: "dataset"))
            #expect(commit.status == .created)
        }
    }

    @Test func contentPutAgainAfterItsVersionWasDeletedIsAskedForAgainAndCommits() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await Self.setUp(accounts, client)
            let files = ["a.bin": Self.noise(1 << 20, seed: 7)]
            let prepared = PreparedUpload(files: files)
            #expect(try await alice.put("alice/vision", "data", files: files).response.status == .created)
            let deleted = try await alice.send(.delete, "/api/v1/projects/alice/vision/artifacts/data/versions/v0")
            #expect(deleted.status == .ok)
            // The same content again, as `arttui put` sends it: ask, commit, and after a 409 ask again with
            // the upload. The deletion freed the chunks, so the second answer must name them.
            let upload = try alice.decode(UploadCreated.self, try await alice.send(.post, "/api/v1/projects/alice/vision/uploads")).upload
            let commitPath = "/api/v1/projects/alice/vision/uploads/\(upload)/commit"
            let request = prepared.commit(artifact: "data", type: "dataset")
            let first = try alice.decode(MissingChunksResponse.self, try await alice.send(
                .post, "/api/v1/projects/alice/vision/chunks/missing", json: MissingChunksRequest(digests: prepared.chunkOrder, upload: upload))).missing
            if !first.isEmpty {
                #expect(try await alice.send(.put, "/api/v1/projects/alice/vision/uploads/\(upload)/packs", bytes: prepared.pack(first)).status == .created)
            }
            var commit = try await alice.send(.post, commitPath, json: request)
            if commit.status == .conflict {
                let again = try alice.decode(MissingChunksResponse.self, try await alice.send(
                    .post, "/api/v1/projects/alice/vision/chunks/missing", json: MissingChunksRequest(digests: prepared.chunkOrder, upload: upload))).missing
                #expect(Set(again) == Set(try alice.decode(Problem.self, commit).missing ?? []))
                #expect(!again.isEmpty)
                #expect(try await alice.send(.put, "/api/v1/projects/alice/vision/uploads/\(upload)/packs", bytes: prepared.pack(again)).status == .created)
                commit = try await alice.send(.post, commitPath, json: request)
            }
            #expect(commit.status == .created)
            let whole = try await alice.send(
                .get, "/api/v1/projects/alice/vision/artifacts/data/versions/latest/contents/\(prepared.files[0].digest)")
            #expect(Data(whole.body.readableBytesView) == files["a.bin"])
        }
    }

    @Test("a commit refused for what it is (a type clash) leaves no staged pack behind; a retry is told to send again")
    func aRefusedCommitLeavesNothingBehind() async throws {
        try await ServerFixture.run { client, accounts, store in
            let alice = try await Self.setUp(accounts, client)
            #expect(try await alice.put("alice/vision", "data", files: ["a.bin": Self.noise(1 << 20, seed: 1)]).response.status == .created)
            let objectsBefore = Set(try store.objects.list().map(\.key))

            let files = ["b.bin": Self.noise(1 << 20, seed: 2)]
            let prepared = PreparedUpload(files: files)
            let upload = try alice.decode(UploadCreated.self, try await alice.send(.post, "/api/v1/projects/alice/vision/uploads")).upload
            let uploads = "/api/v1/projects/alice/vision/uploads/\(upload)"
            #expect(try await alice.send(.put, uploads + "/packs", bytes: prepared.pack(prepared.chunkOrder)).status == .created)
            #expect(Set(try store.objects.list().map(\.key)).count == objectsBefore.count + 1, "the pack is staged")
            let request = prepared.commit(artifact: "data", type: "model", aliases: nil, run: nil, distributedID: nil)
            let refused = try await alice.send(.post, uploads + "/commit", json: request)
            #expect(refused.status == .conflict)
            let problem = try alice.decode(Problem.self, refused)
            #expect(problem.detail == #"artifact "alice/vision/data" has type "dataset", not "model""#)
            #expect(problem.missing == nil, "a refusal, not chunks to send again")
            #expect(Set(try store.objects.list().map(\.key)) == objectsBefore, "the refused upload's pack is gone at once")

            // The same upload committed again (as the right type) is told which chunks to send again.
            let again = try await alice.send(
                .post, uploads + "/commit", json: prepared.commit(artifact: "data", type: "dataset", aliases: nil, run: nil, distributedID: nil))
            #expect(again.status == .conflict)
            #expect(Set(try alice.decode(Problem.self, again).missing ?? []) == Set(prepared.chunkOrder))
        }
    }

    @Test("path segments are percent-decoded: an alias sent as rc%2D1 is stored as typed, rc-1")
    func percentEncodedPathSegmentsAreTheNamesTheyEncode() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let (alice, version) = try await Self.setUpWithOneVersion(accounts, client)
            #expect(try await alice.send(.put, version + "/aliases/rc%2D1").status == .ok)
            let shown = try alice.decode(WireVersion.self, try await alice.send(.get, version))
            #expect(shown.aliases.sorted() == ["latest", "rc-1"])
            #expect(try await alice.send(.get, "/api/v1/projects/alice/vision/artifacts/data/versions/rc%2D1").status == .ok)
            #expect(try await alice.send(.delete, version + "/aliases/rc%2D1").status == .ok)
            #expect(try alice.decode(WireVersion.self, try await alice.send(.get, version)).aliases == ["latest"])
        }
    }

    @Test func packWhoseBytesDoNotMatchTheirDigestIsRefused() async throws {
        try await ServerFixture.run { client, accounts, store in
            let alice = try await Self.setUp(accounts, client)
            let prepared = PreparedUpload(files: ["a.txt": Data("genuine bytes\n".utf8)])
            var pack = prepared.pack(prepared.chunkOrder)
            pack[pack.count - 1] ^= 0xFF  // the last payload byte (small chunks are stored raw)
            let upload = try alice.decode(UploadCreated.self, try await alice.send(.post, "/api/v1/projects/alice/vision/uploads")).upload
            let packsBefore = try store.objects.list().count
            let response = try await alice.send(.put, "/api/v1/projects/alice/vision/uploads/\(upload)/packs", bytes: pack)
            #expect(response.status == .badRequest)
            let problem = try alice.decode(Problem.self, response)
            #expect(problem.detail.contains("SHA-256"))
            #expect(!problem.detail.contains("\n"))
            #expect(try store.objects.list().count == packsBefore, "a refused pack is not stored")
            // Committing without the chunk is refused, naming it.
            let commit = try await alice.send(
                .post, "/api/v1/projects/alice/vision/uploads/\(upload)/commit", json: prepared.commit(artifact: "data", type: "dataset"))
            #expect(commit.status == .conflict)
            #expect(try alice.decode(Problem.self, commit).missing == prepared.chunkOrder)
        }
    }

    @Test func chunksOnlyInProjectsTheCallerCannotReadCountAsMissing() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await Self.setUp(accounts, client)
            let mallory = Session(client: client, token: try await accounts.addUser("mallory", admin: false))
            _ = try await mallory.send(.post, "/api/v1/projects", json: ["entity": "mallory", "name": "probe"])
            let secret = ["secret.txt": Data("alice's secret\n".utf8)]
            #expect(try await alice.put("alice/vision", "data", files: secret).response.status == .created)
            let prepared = PreparedUpload(files: secret)
            // Mallory's query reveals nothing: the chunk counts as missing for her.
            let missing = try mallory.decode(MissingChunksResponse.self, try await mallory.send(
                .post, "/api/v1/projects/mallory/probe/chunks/missing", json: MissingChunksRequest(digests: prepared.chunkOrder))).missing
            #expect(missing == prepared.chunkOrder)
            // Naming the digest in a commit without sending the bytes does not make them hers.
            let upload = try mallory.decode(UploadCreated.self, try await mallory.send(.post, "/api/v1/projects/mallory/probe/uploads")).upload
            let commit = try await mallory.send(
                .post, "/api/v1/projects/mallory/probe/uploads/\(upload)/commit", json: prepared.commit(artifact: "stolen", type: "dataset"))
            #expect(commit.status == .conflict)
            // Alice's own query knows the chunk.
            let own = try alice.decode(MissingChunksResponse.self, try await alice.send(
                .post, "/api/v1/projects/alice/vision/chunks/missing", json: MissingChunksRequest(digests: prepared.chunkOrder))).missing
            #expect(own == [])
        }
    }

    @Test func limitsAreRefusedNamingTheLimit() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await Self.setUp(accounts, client)
            let tooMany = MissingChunksRequest(digests: Array(repeating: String(repeating: "a", count: 64), count: ServerLimits.maxDigestsPerQuery + 1))
            let response = try await alice.send(.post, "/api/v1/projects/alice/vision/chunks/missing", json: tooMany)
            #expect(response.status == .badRequest)
            #expect(try alice.decode(Problem.self, response).detail.contains("limit is \(ServerLimits.maxDigestsPerQuery)"))
            let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(alice.token!)"
            let nested = try await client.execute(
                uri: "/api/v1/projects/alice/vision/prune", method: .post, headers: headers, body: ByteBuffer(string: deep))
            #expect(nested.status == .badRequest)
            #expect(String(buffer: nested.body).contains("the limit is \(ServerLimits.maxJSONDepth)"))
            let inURL = try await client.execute(uri: "/api/v1/projects?token=abc", method: .get)
            #expect(inURL.status == .badRequest)
            let bad = try await client.execute(uri: "/api/v1/projects/alice/vision/artifacts/x/versions?limit=0", method: .get, headers: headers)
            #expect(bad.status == .badRequest)
        }
    }

    /// A version of as many files as a commit may name is one commit, although its manifest is larger
    /// than other JSON bodies may be: 100,000 files were refused as a body over 16 MiB.
    @Test func aCommitOfTheMostFilesAllowedIsAccepted() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await Self.setUp(accounts, client)
            let prepared = PreparedUpload(files: ["a.bin": Self.noise(100, seed: 5)])
            let upload = try alice.decode(UploadCreated.self, try await alice.send(.post, "/api/v1/projects/alice/vision/uploads")).upload
            let pack = try await alice.send(
                .put, "/api/v1/projects/alice/vision/uploads/\(upload)/packs", bytes: prepared.pack(prepared.chunkOrder))
            #expect(pack.status == .created)
            var commit = prepared.commit(artifact: "many", type: "dataset")
            let entry = commit.files[0]
            commit.files = (0..<ServerLimits.maxFilesPerCommit).map { index in
                var file = entry
                file.path = "shard-\(index % 1000)/sample-\(index)-with-a-name-as-long-as-datasets-give-them.bin"
                return file
            }
            #expect(try JSONEncoder().encode(commit).count > ServerLimits.maxJSONBytes)
            let response = try await alice.send(.post, "/api/v1/projects/alice/vision/uploads/\(upload)/commit", json: commit)
            #expect(response.status == .created, "\(String(buffer: response.body))")
            let version = try alice.decode(WireVersion.self, try await alice.send(
                .get, "/api/v1/projects/alice/vision/artifacts/many/versions/latest"))
            #expect(version.fileCount == ServerLimits.maxFilesPerCommit)
        }
    }

    /// A number the API refuses is named as the API's field, not as the command line's flag: a negative
    /// `keepLast` was refused as `keep-last`, a name no API caller sent.
    @Test func aRefusedPruneCountNamesTheAPIFieldAndWhatIsWrongWithIt() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await Self.setUp(accounts, client)
            for dryRun in [true, false] {
                let response = try await alice.send(
                    .post, "/api/v1/projects/alice/vision/prune", json: WirePruneRequest(keepLast: -1, dryRun: dryRun))
                #expect(response.status == .badRequest)
                #expect(try alice.decode(Problem.self, response).detail == "keepLast must be a whole number of 0 or more, got -1")
            }
            // Valid JSON with a number the field cannot hold is not called invalid JSON.
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(alice.token!)"
            for body in [#"{"keepLast": 1.5}"#, #"{"keepLast": 1e30}"#] {
                let response = try await client.execute(
                    uri: "/api/v1/projects/alice/vision/prune", method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("a number in it is not one its field takes"), "\(body)")
            }
            let broken = try await client.execute(
                uri: "/api/v1/projects/alice/vision/prune", method: .post, headers: headers, body: ByteBuffer(string: #"{"keepLast": 1"#))
            #expect(String(buffer: broken.body).contains("The given data was not valid JSON"))
        }
    }
}
