import ArtifactStore
import ArtifactWire
@testable import ArttuiServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Every project endpoint × {signed out, outsider, viewer, member, team admin, revoked token} ×
/// {private, public, open}, against the table below.
@Suite(.enabled(if: ServerFixture.enabled)) struct PermissionMatrixTests {
    enum Who: String, CaseIterable {
        case signedOut, outsider, viewer, member, teamAdmin, revoked
    }

    /// What each caller may do in a project of each visibility, as the FAQ says. Written out by hand:
    /// the test must not derive it from the code under test.
    static let expectedAccess: [Who: [Visibility: Access]] = [
        .signedOut: [.private: .none, .public: .read, .open: .read],
        .outsider: [.private: .none, .public: .read, .open: .write],
        .viewer: [.private: .read, .public: .read, .open: .write],
        .member: [.private: .write, .public: .write, .open: .write],
        .teamAdmin: [.private: .admin, .public: .admin, .open: .admin],
    ]

    /// One endpoint: the access it needs, the status it answers on success, and how to call it.
    struct Endpoint: Sendable {
        var name: String
        var needs: Access
        var success: [HTTPResponse.Status]
        var call: @Sendable (Session, String, Session) async throws -> TestResponse
    }

    static let version = "artifacts/data/versions"

    static let endpoints: [Endpoint] = [
        Endpoint(name: "get project", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.get, "/api/v1/projects/\(p)")
        },
        Endpoint(name: "list artifacts", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.get, "/api/v1/projects/\(p)/artifacts")
        },
        Endpoint(name: "list versions", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.get, "/api/v1/projects/\(p)/\(version)?limit=10")
        },
        Endpoint(name: "show version", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.get, "/api/v1/projects/\(p)/\(version)/v0")
        },
        Endpoint(name: "manifest", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.get, "/api/v1/projects/\(p)/\(version)/latest/manifest")
        },
        Endpoint(name: "deletion plan", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.get, "/api/v1/projects/\(p)/\(version)/v0/deletion-plan")
        },
        Endpoint(name: "get content", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.get, "/api/v1/projects/\(p)/\(version)/v0/contents/\(Fixture.contentDigest)")
        },
        Endpoint(name: "get chunk", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.get, "/api/v1/projects/\(p)/\(version)/v0/chunks/\(Fixture.contentDigest)")
        },
        Endpoint(name: "diff", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.get, "/api/v1/projects/\(p)/\(version)/latest/diff?base=v0")
        },
        Endpoint(name: "find in project", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.get, "/api/v1/versions?project=\(p)&where=size%20%3E%3D%200")
        },
        Endpoint(name: "prune dry run", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.post, "/api/v1/projects/\(p)/prune", json: WirePruneRequest(artifact: "data", keepLast: 1, dryRun: true))
        },
        Endpoint(name: "edit version", needs: .write, success: [.ok]) { s, p, _ in
            try await s.send(.patch, "/api/v1/projects/\(p)/\(version)/v0", json: WireVersionChange(description: "edited"))
        },
        Endpoint(name: "add alias", needs: .write, success: [.ok]) { s, p, _ in
            try await s.send(.put, "/api/v1/projects/\(p)/\(version)/v0/aliases/tagged")
        },
        Endpoint(name: "remove alias", needs: .write, success: [.ok]) { s, p, admin in
            _ = try await admin.send(.put, "/api/v1/projects/\(p)/\(version)/v0/aliases/tagged")
            return try await s.send(.delete, "/api/v1/projects/\(p)/\(version)/v0/aliases/tagged")
        },
        Endpoint(name: "delete version", needs: .write, success: [.ok]) { s, p, admin in
            try await admin.put(p, "doomed", files: ["x.txt": Data("doomed".utf8)])
            return try await s.send(.delete, "/api/v1/projects/\(p)/artifacts/doomed/versions/latest")
        },
        Endpoint(name: "prune", needs: .write, success: [.ok]) { s, p, _ in
            try await s.send(.post, "/api/v1/projects/\(p)/prune", json: WirePruneRequest(artifact: "data", keepLast: 5))
        },
        Endpoint(name: "missing chunks", needs: .write, success: [.ok]) { s, p, _ in
            try await s.send(.post, "/api/v1/projects/\(p)/chunks/missing", json: MissingChunksRequest(digests: [Fixture.contentDigest]))
        },
        Endpoint(name: "put (upload, pack, commit)", needs: .write, success: [.created, .ok]) { s, p, _ in
            try await s.put(p, "data", files: ["a.txt": Data("matrix \(UUID())".utf8)]).response
        },
        Endpoint(name: "list runs", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.get, "/api/v1/projects/\(p)/runs?sweep=s")
        },
        Endpoint(name: "show run", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.get, "/api/v1/projects/\(p)/runs/\(runID(p))")
        },
        Endpoint(name: "show run by id", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.get, "/api/v1/runs/\(runID(p))")
        },
        Endpoint(name: "sweep best", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.get, "/api/v1/projects/\(p)/sweeps/s/best?metric=acc")
        },
        Endpoint(name: "lineage", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.get, "/api/v1/projects/\(p)/\(version)/v0/lineage?up=2&down=2")
        },
        Endpoint(name: "verify project", needs: .read, success: [.ok]) { s, p, _ in
            try await s.send(.get, "/api/v1/projects/\(p)/verify?artifact=data&version=v0")
        },
        Endpoint(name: "start run", needs: .write, success: [.created]) { s, p, _ in
            try await s.send(.post, "/api/v1/projects/\(p)/runs", json: WireRunStart(jobType: "matrix"))
        },
        Endpoint(name: "log run", needs: .write, success: [.ok]) { s, p, _ in
            try await s.send(.post, "/api/v1/projects/\(p)/runs/\(runID(p))/log", json: WireRunSummaryChange(summary: ["step": .int(1)]))
        },
        Endpoint(name: "finish run", needs: .write, success: [.ok]) { s, p, _ in
            try await s.send(.post, "/api/v1/projects/\(p)/runs/\(runID(p))/finish", json: WireRunSummaryChange())
        },
        Endpoint(name: "use version", needs: .write, success: [.ok]) { s, p, _ in
            try await s.send(.post, "/api/v1/projects/\(p)/runs/\(runID(p))/uses", json: WireRunUse(artifact: "data", version: "v0"))
        },
        Endpoint(name: "upsert pending", needs: .write, success: [.ok]) { s, p, _ in
            try await s.put(p, "pend", files: ["\(UUID()).txt": Data("part".utf8)], distributedID: "matrix").response
        },
        Endpoint(name: "finish pending", needs: .write, success: [.ok]) { s, p, admin in
            let id = "fin-\(UUID().uuidString.prefix(8))"
            _ = try await admin.put(p, "pend", files: ["f.txt": Data(id.utf8)], distributedID: id)
            return try await s.send(.post, "/api/v1/projects/\(p)/artifacts/pend/pending/\(id)/finish", json: WirePendingFinish())
        },
        Endpoint(name: "discard pending", needs: .write, success: [.ok]) { s, p, admin in
            let id = "dis-\(UUID().uuidString.prefix(8))"
            _ = try await admin.put(p, "pend", files: ["d.txt": Data(id.utf8)], distributedID: id)
            return try await s.send(.delete, "/api/v1/projects/\(p)/artifacts/pend/pending/\(id)")
        },
        Endpoint(name: "set visibility", needs: .admin, success: [.ok]) { s, p, _ in
            let visibility = p.hasSuffix("/priv") ? "private" : p.hasSuffix("/pub") ? "public" : "open"
            return try await s.send(.patch, "/api/v1/projects/\(p)", json: ["visibility": visibility])
        },
    ]

    /// The run each project's fixture starts (run ids are unique across the store).
    static func runID(_ project: String) -> String { "run-" + project.replacingOccurrences(of: "/", with: "-") }

    enum Fixture {
        static let content = Data("hello matrix\n".utf8)
        static var contentDigest: String { PreparedUpload(files: ["a": content]).files[0].digest }
    }

    static let projects: [(Visibility, String)] = [(.private, "team/priv"), (.public, "team/pub"), (.open, "team/open")]

    @Test func everyEndpointForEveryCallerAndVisibility() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let admin = Session(client: client, token: try await accounts.addUser("root", admin: true))
            try await accounts.addTeam("team")
            var sessions: [Who: Session] = [.signedOut: Session(client: client, token: nil)]
            for (who, role) in [(Who.viewer, Role.viewer), (.member, .member), (.teamAdmin, .admin)] {
                let token = try await accounts.addUser(who.rawValue, admin: false)
                try await accounts.setMember(team: "team", user: who.rawValue, role: role)
                sessions[who] = Session(client: client, token: token)
            }
            sessions[.outsider] = Session(client: client, token: try await accounts.addUser("outsider", admin: false))
            let revoked = try await accounts.addUser("revoked", admin: false)
            try await accounts.setMember(team: "team", user: "revoked", role: .admin)
            try await accounts.revokeTokens(user: "revoked")
            sessions[.revoked] = Session(client: client, token: revoked)

            for (visibility, path) in Self.projects {
                let name = String(path.split(separator: "/")[1])
                let created = try await admin.send(
                    .post, "/api/v1/projects", json: ["entity": "team", "name": name, "visibility": visibility.rawValue])
                #expect(created.status == .created)
                let put = try await admin.put(path, "data", files: ["a.txt": Fixture.content], aliases: ["best"])
                #expect(put.response.status == .created)
                let run = try await admin.send(.post, "/api/v1/projects/\(path)/runs", json: WireRunStart(id: Self.runID(path), sweep: "s"))
                #expect(run.status == .created)
                let logged = try await admin.send(
                    .post, "/api/v1/projects/\(path)/runs/\(Self.runID(path))/log", json: WireRunSummaryChange(summary: ["acc": .double(0.5)]))
                #expect(logged.status == .ok)
            }

            var failures: [String] = []
            var cells = 0
            for endpoint in Self.endpoints {
                for (visibility, path) in Self.projects {
                    for who in Who.allCases {
                        let response = try await endpoint.call(sessions[who]!, path, admin)
                        cells += 1
                        let expected: [HTTPResponse.Status]
                        if who == .revoked {
                            expected = [.unauthorized]
                        } else {
                            let access = Self.expectedAccess[who]![visibility]!
                            if access == .none { expected = [.notFound] }
                            else if access >= endpoint.needs { expected = endpoint.success }
                            else { expected = who == .signedOut ? [.unauthorized] : [.forbidden] }
                        }
                        if !expected.contains(response.status) {
                            failures.append("\(endpoint.name) on \(visibility) as \(who): \(response.status.code), expected \(expected.map(\.code)): \(String(buffer: response.body))")
                        }
                        if response.status.code >= 400 {
                            #expect(response.headers[.contentType] == "application/problem+json", "\(endpoint.name) as \(who)")
                            // A project the caller may not see is never named.
                            if response.status == .notFound || response.status == .unauthorized {
                                let body = String(buffer: response.body)
                                if Self.expectedAccess[who]?[visibility] == Access.none || who == .revoked {
                                    #expect(!body.contains("hello matrix"))
                                }
                            }
                        }
                    }
                }
            }
            #expect(cells == Self.endpoints.count * 3 * 6)
            #expect(failures == [], "\(failures.count) of \(cells) cells differ from the table")
        }
    }

    @Test func listingShowsOnlyWhatEachCallerMayRead() async throws {
        try await ServerFixture.run { client, accounts, _ in
            let admin = Session(client: client, token: try await accounts.addUser("root", admin: true))
            try await accounts.addTeam("team")
            let outsider = Session(client: client, token: try await accounts.addUser("outsider", admin: false))
            let viewerToken = try await accounts.addUser("viewer", admin: false)
            try await accounts.setMember(team: "team", user: "viewer", role: .viewer)
            for (visibility, path) in Self.projects {
                let name = String(path.split(separator: "/")[1])
                _ = try await admin.send(.post, "/api/v1/projects", json: ["entity": "team", "name": name, "visibility": visibility.rawValue])
            }
            func visible(_ session: Session) async throws -> [String] {
                let response = try await session.send(.get, "/api/v1/projects")
                return try session.decode([WireProject].self, response).map(\.path).sorted()
            }
            #expect(try await visible(Session(client: client, token: nil)) == ["team/open", "team/pub"])
            #expect(try await visible(outsider) == ["team/open", "team/pub"])
            #expect(try await visible(Session(client: client, token: viewerToken)) == ["team/open", "team/priv", "team/pub"])
            // The audit trail: team admins (here the site admin) read it; others are told it does not exist.
            let audit = try await admin.send(.get, "/api/v1/entities/team/audit")
            #expect(audit.status == .ok)
            let records = try admin.decode([AuditRecord].self, audit)
            #expect(records.filter { $0.action == "project.create" }.count == 3)
            #expect(records.allSatisfy { $0.user == "root" })
            #expect(try await outsider.send(.get, "/api/v1/entities/team/audit").status == .notFound)
            #expect(try await Session(client: client, token: viewerToken).send(.get, "/api/v1/entities/team/audit").status == .notFound)
            // Creating a project: a viewer, who sees the team, is refused; to an outsider the team does not exist.
            let viewerCreates = try await Session(client: client, token: viewerToken).send(
                .post, "/api/v1/projects", json: ["entity": "team", "name": "mine", "visibility": "private"])
            #expect(viewerCreates.status == .forbidden)
            #expect(try admin.decode(Problem.self, viewerCreates).detail.contains("only read"))
            #expect(try await outsider.send(
                .post, "/api/v1/projects", json: ["entity": "team", "name": "mine", "visibility": "private"]).status == .notFound)
        }
    }
}
