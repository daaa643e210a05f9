import ArtifactStore
import ArtifactWire
@testable import ArttuiServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A version of more files than one request may carry: its files go in parts kept with the upload,
/// nothing is visible before the commit that names them, a bad part is refused in one line, and its
/// manifest is read back a page at a time.
@Suite(.enabled(if: ServerFixture.enabled)) struct CommitPartsProtocolTests {
    static let project = "/api/v1/projects/alice/vision"

    /// 2,500 files of 40 distinct small contents (so contents are shared across parts), prepared.
    static let prepared: PreparedUpload = {
        var files: [String: Data] = [:]
        for index in 0..<2_500 { files["shard-\(index % 7)/sample-\(index).txt"] = Data("content \(index % 40)\n".utf8) }
        return PreparedUpload(files: files)
    }()

    /// An upload holding every chunk of `prepared`: its id.
    static func uploadWithChunks(_ alice: Session) async throws -> String {
        let upload = try alice.decode(UploadCreated.self, try await alice.send(.post, project + "/uploads")).upload
        let pack = try await alice.send(.put, project + "/uploads/\(upload)/packs", bytes: prepared.pack(prepared.chunkOrder))
        #expect(pack.status == .created)
        return upload
    }

    static func latest(_ alice: Session, _ artifact: String) async throws -> TestResponse {
        try await alice.send(.get, project + "/artifacts/\(artifact)/versions/latest")
    }

    @Test func aVersionSentInPartsIsVisibleOnlyOnceCommittedAndWhole() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            let upload = try await Self.uploadWithChunks(alice)
            let parted = CommitInParts(Self.prepared.commit(artifact: "many", type: "dataset"), filesPerPart: 1_000)
            #expect(parted.count == 2)
            for number in 0..<parted.count {
                let part = parted.part(number)
                #expect(part.contents.count == 40, "a part carries only the contents its files name, once each")
                if number == 1 {
                    // A part sent again replaces the first (a re-run of an interrupted put sends its parts
                    // again): part 1 goes first with part 0's files, which the commit must not end up with.
                    let wrong = try await alice.send(.put, Self.project + "/uploads/\(upload)/parts/1", json: parted.part(0))
                    #expect(wrong.status == .created)
                }
                let response = try await alice.send(.put, Self.project + "/uploads/\(upload)/parts/\(number)", json: part)
                #expect(response.status == .created, "\(String(buffer: response.body))")
                #expect(try alice.decode(PartAccepted.self, response) == PartAccepted(part: number, files: 1_000))
                #expect(try await Self.latest(alice, "many").status == .notFound, "nothing is visible between parts")
            }
            let commit = try await alice.send(.post, Self.project + "/uploads/\(upload)/commit", json: parted.commit)
            #expect(commit.status == .created, "\(String(buffer: commit.body))")
            let version = try alice.decode(CommitResponse.self, commit).version
            #expect(version.fileCount == 2_500)
            #expect(version.digest == Store.manifestDigest(Self.prepared.files))

            // Read back in pages of 1,000: the pages join to the whole manifest, each with only its contents.
            let versionPath = Self.project + "/artifacts/many/versions/v0/manifest"
            let whole = try alice.decode(WireManifest.self, try await alice.send(.get, versionPath))
            #expect(whole.files == Self.prepared.files)
            var files: [ManifestEntry] = []
            var contents: [String: WireContent] = [:]
            for offset in stride(from: 0, through: 2_500, by: 1_000) {
                let page = try alice.decode(WireManifest.self, try await alice.send(.get, versionPath + "?offset=\(offset)&limit=1000"))
                #expect(page.files.count == min(1_000, 2_500 - offset))
                #expect(Set(page.contents.map(\.digest)) == Set(page.files.map(\.digest)))
                files += page.files
                for content in page.contents { contents[content.digest] = content }
            }
            #expect(files == whole.files)
            #expect(contents.values.sorted { $0.digest < $1.digest } == whole.contents)
            // Pages after the last path of the one before (what the client asks): the same files, in order.
            var byPath: [ManifestEntry] = []
            var after: String?
            repeat {
                let query = "?limit=1000" + (after.map { "&after=" + $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! } ?? "")
                let page = try alice.decode(WireManifest.self, try await alice.send(.get, versionPath + query))
                #expect(Set(page.contents.map(\.digest)) == Set(page.files.map(\.digest)))
                byPath += page.files
                after = page.files.count == 1_000 ? page.files.last?.path : nil
            } while after != nil
            #expect(byPath == whole.files)
            let tooLarge = try await alice.send(.get, versionPath + "?limit=\(ServerLimits.maxManifestPage + 1)")
            #expect(tooLarge.status == .badRequest)
        }
    }

    @Test func aPartWithAnUnsafePathIsRefusedInOneLineAndItsUploadMakesNoVersion() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            let upload = try await Self.uploadWithChunks(alice)
            let parted = CommitInParts(Self.prepared.commit(artifact: "many", type: "dataset"), filesPerPart: 1_000)
            var bad = parted.part(1)
            bad.files[3].path = "../escape.txt"
            #expect(try await alice.send(.put, Self.project + "/uploads/\(upload)/parts/0", json: parted.part(0)).status == .created)
            let refused = try await alice.send(.put, Self.project + "/uploads/\(upload)/parts/1", json: bad)
            #expect(refused.status == .badRequest)
            let detail = try alice.decode(Problem.self, refused).detail
            #expect(detail.contains("../escape.txt") && !detail.contains("\n"), "\(detail)")
            // The refusal discarded what the upload held: a commit naming the parts finds none of them.
            let commit = try await alice.send(.post, Self.project + "/uploads/\(upload)/commit", json: parted.commit)
            #expect(commit.status == .conflict)
            #expect(try alice.decode(Problem.self, commit).detail.hasPrefix("part 0 of 2 was not sent"))
            #expect(try await Self.latest(alice, "many").status == .notFound)
        }
    }

    @Test func partsOutOfManifestOrderAreRefusedNamingWhereAndMakeNoVersion() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            let upload = try await Self.uploadWithChunks(alice)
            let parted = CommitInParts(Self.prepared.commit(artifact: "many", type: "dataset"), filesPerPart: 1_000)
            // Each part is whole and valid on its own: only their order is wrong, which the digest cannot take.
            #expect(try await alice.send(.put, Self.project + "/uploads/\(upload)/parts/0", json: parted.part(1)).status == .created)
            #expect(try await alice.send(.put, Self.project + "/uploads/\(upload)/parts/1", json: parted.part(0)).status == .created)
            let refused = try await alice.send(.post, Self.project + "/uploads/\(upload)/commit", json: parted.commit)
            #expect(refused.status == .badRequest, "\(String(buffer: refused.body))")
            let detail = try alice.decode(Problem.self, refused).detail
            let first = parted.part(0).files[0].path, last = parted.part(1).files[999].path
            #expect(detail == "part 1 starts with \"\(first)\", which comes before \"\(last)\", where part 0 ended: a version's parts must follow manifest (byte) order")
            #expect(try await Self.latest(alice, "many").status == .notFound)
        }
    }

    @Test func chunksMissingFromEveryPartAreNamedTogetherAndTheUploadWaitsForThem() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            let upload = try alice.decode(UploadCreated.self, try await alice.send(.post, Self.project + "/uploads")).upload
            let parted = CommitInParts(Self.prepared.commit(artifact: "many", type: "dataset"), filesPerPart: 1_000)
            for number in 0..<parted.count {
                #expect(try await alice.send(.put, Self.project + "/uploads/\(upload)/parts/\(number)", json: parted.part(number)).status == .created)
            }
            let commitPath = Self.project + "/uploads/\(upload)/commit"
            let refused = try await alice.send(.post, commitPath, json: parted.commit)
            #expect(refused.status == .conflict)
            #expect(try alice.decode(Problem.self, refused).missing == Self.prepared.chunkOrder.sorted())
            #expect(try await Self.latest(alice, "many").status == .notFound)
            // The parts stay with the upload: the chunks, then the same commit, make the version.
            let pack = try await alice.send(
                .put, Self.project + "/uploads/\(upload)/packs", bytes: Self.prepared.pack(Self.prepared.chunkOrder))
            #expect(pack.status == .created)
            let commit = try await alice.send(.post, commitPath, json: parted.commit)
            #expect(commit.status == .created, "\(String(buffer: commit.body))")
            let version = try alice.decode(CommitResponse.self, commit).version
            #expect(version.fileCount == 2_500 && version.digest == Store.manifestDigest(Self.prepared.files))
            // Sent again in parts to a new upload, the same files make no new version.
            let again = try await Self.uploadWithChunks(alice)
            for number in 0..<parted.count {
                #expect(try await alice.send(.put, Self.project + "/uploads/\(again)/parts/\(number)", json: parted.part(number)).status == .created)
            }
            let unchanged = try await alice.send(.post, Self.project + "/uploads/\(again)/commit", json: parted.commit)
            #expect(unchanged.status == .ok, "\(String(buffer: unchanged.body))")
            let same = try alice.decode(CommitResponse.self, unchanged)
            #expect(!same.created && same.version.digest == version.digest && same.version.index == version.index)
        }
    }

    /// An abandoned upload loses its parts with its packs; the same upload takes both again and commits.
    @Test func anExpiredUploadLosesItsPartsAndTakesThemAgain() async throws {
        try await ServerFixture.run { client, accounts, store in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            let api = ArttuiAPI(store: store, accounts: accounts)
            let upload = try await Self.uploadWithChunks(alice)
            let parted = CommitInParts(Self.prepared.commit(artifact: "many", type: "dataset"), filesPerPart: 1_000)
            for number in 0..<parted.count {
                #expect(try await alice.send(.put, Self.project + "/uploads/\(upload)/parts/\(number)", json: parted.part(number)).status == .created)
            }
            try await Task.sleep(for: .milliseconds(20))
            #expect(try await api.expireAbandonedUploads(unusedFor: .milliseconds(1)) == 1)
            let commitPath = Self.project + "/uploads/\(upload)/commit"
            let refused = try await alice.send(.post, commitPath, json: parted.commit)
            #expect(refused.status == .conflict)
            #expect(try alice.decode(Problem.self, refused).detail.hasPrefix("part 0 of 2 was not sent to upload \(upload)"))
            #expect(try await Self.latest(alice, "many").status == .notFound)

            let pack = try await alice.send(
                .put, Self.project + "/uploads/\(upload)/packs", bytes: Self.prepared.pack(Self.prepared.chunkOrder))
            #expect(pack.status == .created)
            for number in 0..<parted.count {
                #expect(try await alice.send(.put, Self.project + "/uploads/\(upload)/parts/\(number)", json: parted.part(number)).status == .created)
            }
            let commit = try await alice.send(.post, commitPath, json: parted.commit)
            #expect(commit.status == .created, "\(String(buffer: commit.body))")
            #expect(try alice.decode(CommitResponse.self, commit).version.fileCount == 2_500)
        }
    }

    @Test func partsPastTheLimitsAreRefusedNamingTheLimit() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            let upload = try await Self.uploadWithChunks(alice)
            let entry = Self.prepared.files[0]
            let content = try #require(Self.prepared.contents.first { $0.digest == entry.digest })
            let oversized = CommitPart(
                files: (0...ServerLimits.maxFilesPerCommit).map { index in
                    var file = entry
                    file.path = "s/\(index)"
                    return file
                },
                contents: [content])
            let refused = try await alice.send(.put, Self.project + "/uploads/\(upload)/parts/0", json: oversized)
            #expect(refused.status == .badRequest)
            #expect(try alice.decode(Problem.self, refused).detail
                == "part 0 names \(ServerLimits.maxFilesPerCommit + 1) files; the limit is \(ServerLimits.maxFilesPerCommit) per part")
            let number = try await alice.send(
                .put, Self.project + "/uploads/\(upload)/parts/\(ServerLimits.maxPartsPerCommit)", json: CommitPart(files: [], contents: []))
            #expect(number.status == .badRequest)
            var commit = Self.prepared.commit(artifact: "many", type: "dataset")
            commit.parts = ServerLimits.maxPartsPerCommit + 1
            let tooMany = try await alice.send(.post, Self.project + "/uploads/\(upload)/commit", json: commit)
            #expect(tooMany.status == .badRequest)
            // A negative count is refused too, not read as "no parts" (which would commit this request's files alone).
            commit.parts = -1
            let negative = try await alice.send(.post, Self.project + "/uploads/\(upload)/commit", json: commit)
            #expect(negative.status == .badRequest)
            #expect(try alice.decode(Problem.self, negative).detail == "parts must be 0 or more, got -1")
            #expect(try await Self.latest(alice, "many").status == .notFound)
        }
    }
}
