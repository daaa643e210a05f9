import ArtifactStore
import ArtifactWire
@testable import ArttuiServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Abandoned uploads: their staged packs are removed after a while, never under a commit that holds
/// them, and a commit of an expired upload is told which chunks to send again.
@Suite(.enabled(if: ServerFixture.enabled)) struct UploadExpiryTests {
    @Test func expiredUploadsLoseTheirPacksAndTheirCommitNamesEveryChunkAgain() async throws {
        try await ServerFixture.run { client, accounts, store in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            let api = ArttuiAPI(store: store, accounts: accounts)
            let prepared = PreparedUpload(files: ["big.bin": UploadProtocolTests.noise(1 << 20, seed: 5)])
            let started = try await alice.send(.post, "/api/v1/projects/alice/vision/uploads")
            let upload = try alice.decode(UploadCreated.self, started).upload
            let packPath = "/api/v1/projects/alice/vision/uploads/\(upload)/packs"
            let before = Set(try store.objects.list().map(\.key))
            #expect(try await alice.send(.put, packPath, bytes: prepared.pack(prepared.chunkOrder)).status == .created)
            let staged = Set(try store.objects.list().map(\.key)).subtracting(before)
            #expect(staged.count == 1)

            // Recently used: not expired by an hour's limit.
            #expect(try await api.expireAbandonedUploads(unusedFor: .seconds(3600)) == 0)
            try await Task.sleep(for: .milliseconds(20))
            #expect(try await api.expireAbandonedUploads(unusedFor: .milliseconds(1)) == 1)
            #expect(Set(try store.objects.list().map(\.key)).isDisjoint(with: staged), "the staged pack is gone from the store")

            let commitPath = "/api/v1/projects/alice/vision/uploads/\(upload)/commit"
            let commit = prepared.commit(artifact: "data", type: "dataset")
            let refused = try await alice.send(.post, commitPath, json: commit)
            #expect(refused.status == .conflict)
            #expect(try alice.decode(Problem.self, refused).missing?.sorted() == prepared.chunkOrder.sorted())
            #expect(try await alice.send(.get, "/api/v1/projects/alice/vision/artifacts/data/versions/latest").status == .notFound)

            // The same upload takes the chunks again and commits.
            #expect(try await alice.send(.put, packPath, bytes: prepared.pack(prepared.chunkOrder)).status == .created)
            #expect(try await alice.send(.post, commitPath, json: commit).status == .created)
            #expect(try await api.expireAbandonedUploads(unusedFor: .milliseconds(1)) == 0, "a committed upload has nothing to expire")
            let verify = try await alice.send(.get, "/api/v1/projects/alice/vision/verify?read_data=true")
            #expect(String(buffer: verify.body).contains("\"clean\":true"))
        }
    }

    @Test func expiryPassesOverAnUploadACommitHolds() async throws {
        try await ServerFixture.run { client, accounts, store in
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            let api = ArttuiAPI(store: store, accounts: accounts)
            let prepared = PreparedUpload(files: ["a.txt": Data("held\n".utf8)])
            let upload = try alice.decode(UploadCreated.self, try await alice.send(.post, "/api/v1/projects/alice/vision/uploads")).upload
            let before = Set(try store.objects.list().map(\.key))
            #expect(try await alice.send(.put, "/api/v1/projects/alice/vision/uploads/\(upload)/packs", bytes: prepared.pack(prepared.chunkOrder)).status == .created)
            try await Task.sleep(for: .milliseconds(20))
            let project = try #require(try await accounts.project(entity: "alice", name: "vision"))
            // While a commit holds the upload, expiry skips it and its pack stays.
            let removedMeanwhile = try await accounts.committing(uploadID: upload, projectID: project.id) { locked in
                let staged = try await locked.staged()
                #expect(staged.chunks.count == prepared.chunkOrder.count)
                return (try await api.expireAbandonedUploads(unusedFor: .milliseconds(1)), nil)
            }
            #expect(removedMeanwhile == 0)
            #expect(Set(try store.objects.list().map(\.key)).subtracting(before).count == 1, "the held upload's pack stays")
            #expect(try await alice.send(.post, "/api/v1/projects/alice/vision/uploads/\(upload)/commit", json: prepared.commit(artifact: "data", type: "dataset")).status == .created)
        }
    }
}
