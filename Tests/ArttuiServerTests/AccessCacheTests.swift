import ArtifactStore
import ArtifactWire
@testable import ArttuiServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Testing

/// The server keeps who a token is and what a project's visibility is for a short time
/// (`serve --cache-ttl`); a change through this process takes effect at once, one through another
/// process at once when it is announced and within the lifetime when it is not.
@Suite(.enabled(if: ServerFixture.enabled)) struct AccessCacheTests {
    @Test func revokingThroughTheAPIStopsTheTokenAtOnce() async throws {
        // A lifetime far longer than the test: only the invalidation can make the token fail.
        try await ServerFixture.run(cacheLifetime: .seconds(300)) { client, accounts, _ in
            let admin = Session(client: client, token: try await accounts.addUser("root", admin: true))
            let alice = try await UploadProtocolTests.setUp(accounts, client)
            #expect(try await alice.send(.get, "/api/v1/projects/alice/vision").status == .ok)
            #expect(try await accounts.caller(token: alice.token!) != nil)

            #expect(try await admin.send(.delete, "/api/v1/admin/users/alice/tokens").status == .ok)
            #expect(try await alice.send(.get, "/api/v1/projects/alice/vision").status == .unauthorized)

            // A visibility change through the API is seen at once by the signed-out reader too.
            let reader = Session(client: client, token: nil)
            #expect(try await reader.send(.get, "/api/v1/projects/root/shared").status == .notFound)
            #expect(try await admin.send(
                .post, "/api/v1/projects", json: ["entity": "root", "name": "shared", "visibility": "public"]).status == .created)
            #expect(try await reader.send(.get, "/api/v1/projects/root/shared").status == .ok)
            #expect(try await admin.send(.patch, "/api/v1/projects/root/shared", json: ["visibility": "private"]).status == .ok)
            #expect(try await reader.send(.get, "/api/v1/projects/root/shared").status == .notFound)
        }
    }

    @Test("a token issued with expiresIn is refused with 401 once expired, the detail saying so, even when cached")
    func anExpiredTokenIsRefusedSayingItExpired() async throws {
        try await ServerFixture.run(cacheLifetime: .seconds(300)) { client, accounts, _ in
            let admin = Session(client: client, token: try await accounts.addUser("root", admin: true))
            #expect(try await admin.send(.post, "/api/v1/admin/users", json: ["name": "alice"]).status == .created)
            let asked = Date()
            let issued = try await admin.send(.post, "/api/v1/admin/users/alice/tokens", json: ["expiresIn": "2s"])
            let answered = Date()
            #expect(issued.status == .created)
            let answer = try JSONSerialization.jsonObject(with: Data(issued.body.readableBytesView)) as? [String: Any]
            let token = try #require(answer?["token"] as? String)
            let expiresText = try #require(answer?["expiresAt"] as? String)
            let expiresAt = try #require(WireTimestamp.date(expiresText))
            // Two seconds from when the server issued it (timestamps are kept to the millisecond).
            #expect(expiresAt.timeIntervalSince(asked) >= 1.99 && expiresAt.timeIntervalSince(answered) <= 2.01, "\(expiresText)")
            let alice = Session(client: client, token: token)
            #expect(try await alice.send(.get, "/api/v1/whoami").status == .ok)

            // Without a body a token never expires; a bad expiry is a 400 naming the value.
            let forever = try await admin.send(.post, "/api/v1/admin/users/alice/tokens")
            #expect(forever.status == .created)
            #expect(String(decoding: forever.body.readableBytesView, as: UTF8.self).contains("expiresAt") == false)
            let bad = try await admin.send(.post, "/api/v1/admin/users/alice/tokens", json: ["expiresIn": "soon"])
            #expect(bad.status == .badRequest)
            #expect(try admin.decode(Problem.self, bad).detail.contains("expiry \"soon\""))
            let badUser = try await admin.send(.post, "/api/v1/admin/users", json: ["name": "bob", "expiresIn": "0s"])
            #expect(badUser.status == .badRequest)
            #expect(try await accounts.entityExists("bob") == false)

            try await Task.sleep(until: .now + .milliseconds(Int(max(0, expiresAt.timeIntervalSinceNow + 0.3) * 1000)))
            let refused = try await alice.send(.get, "/api/v1/whoami")
            #expect(refused.status == .unauthorized)
            #expect(try alice.decode(Problem.self, refused).detail.hasPrefix("the token expired at "))
            // A revoked one says it was revoked, an unknown one that it is unknown: three distinct causes.
            #expect(try await admin.send(.delete, "/api/v1/admin/users/alice/tokens").status == .ok)
            let forgotten = Session(client: client, token: try #require(
                (try JSONSerialization.jsonObject(with: Data(forever.body.readableBytesView)) as? [String: Any])?["token"] as? String))
            #expect(try forgotten.decode(Problem.self, try await forgotten.send(.get, "/api/v1/whoami")).detail == "the token was revoked")
            let stranger = Session(client: client, token: "arttui_" + String(repeating: "0", count: 64))
            #expect(try stranger.decode(Problem.self, try await stranger.send(.get, "/api/v1/whoami")).detail
                == "the token is not known to this server")
        }
    }

    @Test func aRevocationElsewhereIsSeenWithinTheLifetimeWithoutAnnouncement() async throws {
        try await ServerFixture.withDatabase { url, accounts in
            let token = try await accounts.addUser("alice", admin: false)
            try await Self.withOtherStore(url, cacheLifetime: .seconds(1)) { other in
                // This store does not follow announcements: only the lifetime bounds what it misses.
                let cachedAt = ContinuousClock.now
                #expect(try await other.caller(token: token)?.name == "alice")
                try await accounts.revokeTokens(user: "alice")
                let revoked = ContinuousClock.now
                let stillCached = try await other.caller(token: token)?.name == "alice"
                // (On a machine so loaded that the lifetime passed already, the answer may be either.)
                if ContinuousClock.now - cachedAt < .milliseconds(900) {
                    #expect(stillCached, "still cached: the lifetime has not passed")
                }
                try await Task.sleep(until: revoked + .milliseconds(1100))
                #expect(try await other.caller(token: token) == nil, "refused once the lifetime passed")
            }
        }
    }

    @Test func anAnnouncedChangeClearsAnotherServersCaches() async throws {
        try await ServerFixture.withDatabase { url, accounts in
            let token = try await accounts.addUser("alice", admin: false)
            _ = try await accounts.createProject(entity: "alice", name: "vision", visibility: .public)
            try await Self.withOtherStore(url, cacheLifetime: .seconds(300)) { other in
                let follower = Task { await other.followAccessChanges() }
                defer { follower.cancel() }
                #expect(try await other.caller(token: token)?.name == "alice")
                #expect(try await other.project(entity: "alice", name: "vision")?.visibility == .public)
                // Whether listening began before or after the change, the caches are cleared: on the
                // announcement, or when listening begins.
                let project = try #require(try await accounts.project(entity: "alice", name: "vision"))
                try await accounts.setVisibility(projectID: project.id, .private)
                #expect(try await Self.eventually {
                    try await other.project(entity: "alice", name: "vision")?.visibility == .private
                })
                try await accounts.revokeTokens(user: "alice")
                #expect(try await Self.eventually { try await other.caller(token: token) == nil })
            }
        }
    }

    /// An account store of its own on the database at `url`: what another server process holds.
    static func withOtherStore(
        _ url: String, cacheLifetime: Duration, _ body: @Sendable (AccountStore) async throws -> Void
    ) async throws {
        var logger = Logger(label: "arttui-server.test.other")
        logger.logLevel = .warning
        let client = ServerFixture.client(try DatabaseURL(url), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await body(AccountStore(
                client: client, logger: logger, timeout: ServerFixture.databaseTimeout, cacheLifetime: cacheLifetime))
        }
    }

    /// Whether `condition` holds within 5 seconds (far below the 300 s lifetime the tests use).
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
