import Foundation
import ArtifactWire
import Hummingbird

/// The body of `POST /api/v1/admin/users`.
struct UserCreation: Codable {
    var name: String
    var admin: Bool?
    /// When the user's first token expires, as `--expires-in` takes it (`30d`); nil for never.
    var expiresIn: String?
}

/// The optional body of `POST /api/v1/admin/users/{user}/tokens`.
struct TokenCreation: Codable {
    /// When the token expires, as `--expires-in` takes it (`30d`); nil for never.
    var expiresIn: String?
}

/// The body of `POST /api/v1/admin/teams`.
struct TeamCreation: Codable {
    var name: String
}

/// The body of `PUT /api/v1/admin/teams/{team}/members/{user}`.
struct MembershipChange: Codable {
    var role: Role
}

/// A token, shown once.
struct IssuedToken: Codable {
    var user: String
    var token: String
    /// When the token expires (RFC 3339); absent for a token that never does.
    var expiresAt: String?

    init(user: String, token: String, expiresAt: Date?) {
        self.user = user
        self.token = token
        self.expiresAt = expiresAt.map { WireTimestamp.string($0) }
    }
}

extension ArttuiAPI {
    var adminRoutes: [APIRoute] {
        [
            APIRoute(method: .post, path: "/api/v1/admin/users") { request, context in
                try siteAdmin(context)
                let creation = try await RequestBodyReader.json(UserCreation.self, from: request)
                let expiresAt = try Self.expiry(creation.expiresIn)
                let token = try await administering {
                    try await $0.addUser(creation.name, admin: creation.admin ?? false, tokenExpiresAt: expiresAt)
                }
                await auditAdmin(context, "user.add", creation.name + ((creation.admin ?? false) ? " admin" : ""))
                return try JSONResponse.make(IssuedToken(user: creation.name, token: token, expiresAt: expiresAt), status: .created)
            },
            APIRoute(method: .post, path: "/api/v1/admin/users/:user/tokens") { request, context in
                try siteAdmin(context)
                let user = try context.parameters.require("user")
                let creation = try await RequestBodyReader.optionalJSON(TokenCreation.self, from: request)
                let expiresAt = try Self.expiry(creation?.expiresIn)
                let token = try await administering { try await $0.addToken(user: user, expiresAt: expiresAt) }
                await auditAdmin(context, "token.add", user)
                return try JSONResponse.make(IssuedToken(user: user, token: token, expiresAt: expiresAt), status: .created)
            },
            APIRoute(method: .delete, path: "/api/v1/admin/users/:user/tokens") { _, context in
                try siteAdmin(context)
                let user = try context.parameters.require("user")
                let count = try await administering { try await $0.revokeTokens(user: user) }
                await auditAdmin(context, "token.revoke", user)
                return try JSONResponse.make(["revoked": count])
            },
            APIRoute(method: .post, path: "/api/v1/admin/teams") { request, context in
                try siteAdmin(context)
                let creation = try await RequestBodyReader.json(TeamCreation.self, from: request)
                try await administering { try await $0.addTeam(creation.name) }
                await auditAdmin(context, "team.add", creation.name)
                return try JSONResponse.make(["name": creation.name], status: .created)
            },
            APIRoute(method: .put, path: "/api/v1/admin/teams/:team/members/:user") { request, context in
                let caller = try signedIn(context)
                let team = try context.parameters.require("team")
                let user = try context.parameters.require("user")
                // Team admins manage their own team; to anyone else the team does not exist.
                guard AccessPolicy.mayAdminister(caller, entity: team), team != caller.name || caller.isAdmin else {
                    throw APIError.notFound("team \(team)")
                }
                let change = try await RequestBodyReader.json(MembershipChange.self, from: request)
                try await administering { try await $0.setMember(team: team, user: user, role: change.role) }
                try? await accounts.audit(user: caller.name, entity: team, action: "member.set", target: "\(user) \(change.role.rawValue)")
                return try JSONResponse.make(["team": team, "user": user, "role": change.role.rawValue])
            },
        ]
    }

    /// The expiry `expiresIn` gives a token issued now; 400 naming the value when it cannot be read.
    private static func expiry(_ expiresIn: String?) throws -> Date? {
        guard let expiresIn else { return nil }
        do {
            return try TokenLifetime(parsing: expiresIn).expiry()
        } catch {
            throw APIError(.badRequest, "expiresIn: \(error)")
        }
    }

    private func siteAdmin(_ context: ServerRequestContext) throws {
        let caller = try signedIn(context)
        guard caller.isAdmin else { throw APIError(.forbidden, "only site administrators may do this") }
    }

    private func administering<T: Sendable>(_ body: (AccountStore) async throws -> T)
        async throws -> T
    {
        do {
            return try await body(accounts)
        } catch {
            throw APIError.from(error)
        }
    }

    private func auditAdmin(_ context: ServerRequestContext, _ action: String, _ target: String) async {
        guard let caller = context.caller else { return }
        try? await accounts.audit(user: caller.name, entity: caller.name, action: action, target: target)
    }
}
