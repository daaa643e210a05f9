import ArtifactStore
import ArtifactWire
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Users, teams, memberships, tokens, projects, the audit trail and staged uploads, in PostgreSQL.
///
/// Every call is bounded by `timeout`: when the database goes away a request fails within it with
/// `AccountError.databaseUnavailable` instead of waiting for a connection that will not come.
///
/// With a `cacheLifetime` above zero, the answers every request needs (who a token is, a project's
/// visibility, the list of projects) are kept that long in this process, so a request costs no
/// account query at all most of the time. A change made through any `AccountStore` (this process,
/// another server, `arttui-server admin`) clears the caches of this one at once: here directly, in
/// the others through a PostgreSQL notification (`followAccessChanges`). The lifetime bounds how long
/// a change can go unseen should a notification be lost: a revoked token stops working within it.
public final class AccountStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    let timeout: Duration
    /// Callers by token hash; only tokens that were valid, each until its own expiry at the latest.
    let callers: ExpiringCache<[UInt8], Caller>
    /// Projects found by name, and the list of all projects.
    let projectRecords: ExpiringCache<ProjectLookup, [ProjectRecord]>

    /// The channel on which account stores announce changes to tokens, memberships and projects.
    static let accessChannel = "arttui_access"

    /// Wraps a client whose `run()` the caller drives.
    /// - Parameter cacheLifetime: How long token and project lookups are kept; zero keeps none.
    /// - Parameter timeout: How long a query may wait on the database (`--database-timeout`).
    public init(client: PostgresClient, logger: Logger, timeout: Duration, cacheLifetime: Duration = .zero) {
        self.client = client
        self.logger = logger
        self.timeout = timeout
        self.callers = ExpiringCache(lifetime: cacheLifetime)
        self.projectRecords = ExpiringCache(lifetime: cacheLifetime)
    }

    /// A project query whose answer is cached.
    enum ProjectLookup: Hashable, Sendable {
        case all
        case named(entity: String, name: String)
    }

    // MARK: Schema

    /// Applies the migrations this code knows and the database has not seen, each in a transaction.
    /// Concurrent servers serialise on an advisory lock.
    public func migrate() async throws {
        // Longer than one query's bound: at least 30 s, or the store's own bound where that is longer (a
        // test server's, on a machine whose other work can keep it waiting).
        try await bounded(max(.seconds(30), timeout)) { [self] in
            try await client.withConnection { connection in
                try await connection.query("SELECT pg_advisory_lock(7361726974)", logger: logger)
                do {
                    try await connection.query(
                        "CREATE TABLE IF NOT EXISTS arttui_account_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                        logger: logger)
                    var applied = Set<Int>()
                    for try await version in try await connection.query(
                        "SELECT version FROM arttui_account_migrations", logger: logger
                    ).decode(Int.self) {
                        applied.insert(version)
                    }
                    for (index, step) in AccountMigrations.steps.enumerated() where !applied.contains(index + 1) {
                        let version = index + 1
                        try await connection.withTransaction(logger: logger) { transaction in
                            for statement in step.components(separatedBy: ";\n") {
                                let sql = statement.trimmingCharacters(in: .whitespacesAndNewlines)
                                if sql.isEmpty { continue }
                                try await transaction.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                            }
                            try await transaction.query(
                                "INSERT INTO arttui_account_migrations (version) VALUES (\(version))", logger: logger)
                        }
                    }
                } catch {
                    _ = try? await connection.query("SELECT pg_advisory_unlock(7361726974)", logger: logger)
                    throw error
                }
                try await connection.query("SELECT pg_advisory_unlock(7361726974)", logger: logger)
            }
        }
    }

    // MARK: Users, teams, tokens

    /// Creates a user (an entity of its own) and returns its first token, optionally expiring.
    public func addUser(_ name: String, admin: Bool, tokenExpiresAt expiresAt: Date? = nil) async throws -> String {
        try EntityName.validate(name)
        let token = APIToken.generate()
        try await bounded { [self] in
            try await client.withTransaction(logger: logger) { connection in
                let id = try await insertEntity(name, kind: "user", admin: admin, on: connection)
                try await insertToken(token, userID: id, expiresAt: expiresAt, on: connection)
            }
        }
        return token
    }

    /// Creates a team.
    public func addTeam(_ name: String) async throws {
        try EntityName.validate(name)
        try await bounded { [self] in
            try await client.withConnection { connection in
                _ = try await insertEntity(name, kind: "team", admin: false, on: connection)
            }
        }
    }

    /// Issues another token for a user, optionally expiring.
    public func addToken(user: String, expiresAt: Date? = nil) async throws -> String {
        let token = APIToken.generate()
        try await bounded { [self] in
            try await client.withConnection { connection in
                let id = try await entityID(user, kind: "user", on: connection)
                try await insertToken(token, userID: id, expiresAt: expiresAt, on: connection)
            }
        }
        return token
    }

    /// Revokes every live token of a user; returns how many.
    @discardableResult
    public func revokeTokens(user: String) async throws -> Int {
        try await bounded { [self] in
            try await client.withConnection { connection in
                let id = try await entityID(user, kind: "user", on: connection)
                var count = 0
                for try await _ in try await connection.query(
                    "UPDATE account_tokens SET revoked_at = now() WHERE user_id = \(id) AND revoked_at IS NULL RETURNING id",
                    logger: logger
                ).decode(Int64.self) { count += 1 }
                try await announceAccessChange(on: connection)
                return count
            }
        }
    }

    /// Sets a user's role in a team (adding the membership if there was none).
    public func setMember(team: String, user: String, role: Role) async throws {
        try await bounded { [self] in
            try await client.withConnection { connection in
                let teamID = try await entityID(team, kind: "team", on: connection)
                let userID = try await entityID(user, kind: "user", on: connection)
                try await connection.query(
                    """
                    INSERT INTO account_memberships (team_id, user_id, role) VALUES (\(teamID), \(userID), \(role.rawValue))
                    ON CONFLICT (team_id, user_id) DO UPDATE SET role = EXCLUDED.role
                    """, logger: logger)
                try await announceAccessChange(on: connection)
            }
        }
    }

    /// The caller a token stands for, or nil when it is unknown, revoked or expired.
    ///
    /// Only valid tokens are cached (a token just issued by another process works at once); each no
    /// longer than the cache lifetime and never past its own expiry.
    public func caller(token: String) async throws -> Caller? {
        let digest = APIToken.hash(token)
        switch callers.lookup(digest) {
        case .hit(let cached):
            return cached
        case .renew(let cached):
            Task { [self] in
                do { _ = try await readCaller(digest) } catch { callers.abandonRenewal(of: digest) }
            }
            return cached
        case .miss:
            return try await readCaller(digest)
        }
    }

    /// Why a token that `caller(token:)` did not accept is refused, in words for the 401's detail: a
    /// client told its token expired knows to ask for a new one rather than suspect a typo.
    public func refusal(token: String) async throws -> TokenRefusal {
        let hash = ByteBuffer(bytes: APIToken.hash(token))
        return try await bounded { [self] in
            try await client.withConnection { connection in
                var found: (revokedAt: Date?, expiresAt: Date?, expired: Bool)?
                for try await row in try await connection.query(
                    """
                    SELECT revoked_at, expires_at, expires_at IS NOT NULL AND expires_at <= now()
                    FROM account_tokens WHERE hash = \(hash)
                    """, logger: logger
                ).decode((Date?, Date?, Bool).self) { found = row }
                guard let found else { return .unknown }
                if found.revokedAt != nil { return .revoked }
                if found.expired, let expiresAt = found.expiresAt { return .expired(at: expiresAt) }
                // Valid again by now (a race with its creation): the next request will be accepted.
                return .unknown
            }
        }
    }

    /// Reads who the token with `digest` stands for and keeps the answer, or forgets a kept one when
    /// the token is no longer valid.
    private func readCaller(_ digest: [UInt8]) async throws -> Caller? {
        let generation = callers.generation()
        let hash = ByteBuffer(bytes: digest)
        let found: (Caller, Date?)? = try await bounded { [self] in
            try await client.withConnection { connection in
                let rows = try await connection.query(
                    """
                    SELECT e.id, e.name, e.is_admin, t.expires_at FROM account_tokens t JOIN account_entities e ON e.id = t.user_id
                    WHERE t.hash = \(hash) AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
                    """, logger: logger)
                var found: (Int64, String, Bool, Date?)?
                for try await row in rows.decode((Int64, String, Bool, Date?).self) { found = row }
                guard let (id, name, isAdmin, expiresAt) = found else { return nil }
                var roles: [String: Role] = [:]
                for try await (team, role) in try await connection.query(
                    """
                    SELECT e.name, m.role FROM account_memberships m JOIN account_entities e ON e.id = m.team_id
                    WHERE m.user_id = \(id)
                    """, logger: logger
                ).decode((String, String).self) {
                    roles[team] = Role(rawValue: role)
                }
                return (Caller(userID: id, name: name, isAdmin: isAdmin, roles: roles), expiresAt)
            }
        }
        guard let (caller, expiresAt) = found else {
            callers.remove(digest, readAt: generation)
            return nil
        }
        let until = expiresAt.map { ContinuousClock.now + .seconds($0.timeIntervalSinceNow) }
        callers.store(caller, for: digest, readAt: generation, until: until)
        return caller
    }

    /// Whether `name` is a user or team.
    public func entityExists(_ name: String) async throws -> Bool {
        try await bounded { [self] in
            try await client.withConnection { connection in
                for try await _ in try await connection.query(
                    "SELECT id FROM account_entities WHERE name = \(name)", logger: logger
                ).decode(Int64.self) { return true }
                return false
            }
        }
    }

    // MARK: Projects

    /// Creates `entity/name`.
    public func createProject(entity: String, name: String, visibility: Visibility) async throws -> ProjectRecord {
        try await bounded { [self] in
            try await client.withConnection { connection in
                let entityID = try await entityID(entity, kind: nil, on: connection)
                do {
                    for try await id in try await connection.query(
                        """
                        INSERT INTO account_projects (entity_id, name, visibility)
                        VALUES (\(entityID), \(name), \(visibility.rawValue)) RETURNING id
                        """, logger: logger
                    ).decode(Int64.self) {
                        try await announceAccessChange(on: connection)
                        return ProjectRecord(id: id, entity: entity, name: name, visibility: visibility)
                    }
                } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
                    throw AccountError.projectExists("\(entity)/\(name)")
                }
                throw AccountError.databaseUnavailable("the insert returned no row")
            }
        }
    }

    /// The project `entity/name`, if it exists.
    public func project(entity: String, name: String) async throws -> ProjectRecord? {
        try await cachedProjects(.named(entity: entity, name: name)) {
            try await self.projects(where: "e.name = $1 AND p.name = $2", [entity, name])
        }.first
    }

    /// Every project, by path.
    public func projects() async throws -> [ProjectRecord] {
        try await cachedProjects(.all) { try await self.projects(where: "TRUE", []) }
    }

    /// The cached answer to `lookup`, else `read`'s (kept unless empty: a project created elsewhere
    /// is found at once). A kept answer due for renewal is read again in the background.
    private func cachedProjects(
        _ lookup: ProjectLookup, _ read: @escaping @Sendable () async throws -> [ProjectRecord]
    ) async throws -> [ProjectRecord] {
        switch projectRecords.lookup(lookup) {
        case .hit(let cached):
            return cached
        case .renew(let cached):
            Task { [self] in
                do { _ = try await readProjects(lookup, read) } catch { projectRecords.abandonRenewal(of: lookup) }
            }
            return cached
        case .miss:
            return try await readProjects(lookup, read)
        }
    }

    /// `read`'s answer to `lookup`, kept when not empty (an empty one forgets what was kept).
    private func readProjects(_ lookup: ProjectLookup, _ read: () async throws -> [ProjectRecord]) async throws
        -> [ProjectRecord]
    {
        let generation = projectRecords.generation()
        let records = try await read()
        if records.isEmpty {
            projectRecords.remove(lookup, readAt: generation)
        } else {
            projectRecords.store(records, for: lookup, readAt: generation)
        }
        return records
    }

    private func projects(where condition: String, _ values: [String]) async throws -> [ProjectRecord] {
        try await bounded { [self] in
            try await client.withConnection { connection in
                var bindings = PostgresBindings()
                for value in values { bindings.append(value) }
                let query = PostgresQuery(
                    unsafeSQL: """
                        SELECT p.id, e.name, p.name, p.visibility FROM account_projects p
                        JOIN account_entities e ON e.id = p.entity_id WHERE \(condition) ORDER BY e.name, p.name
                        """, binds: bindings)
                var records: [ProjectRecord] = []
                for try await (id, entity, name, visibility) in try await connection.query(query, logger: logger)
                    .decode((Int64, String, String, String).self)
                {
                    records.append(ProjectRecord(
                        id: id, entity: entity, name: name, visibility: Visibility(rawValue: visibility) ?? .private))
                }
                return records
            }
        }
    }

    /// Changes a project's visibility.
    public func setVisibility(projectID: Int64, _ visibility: Visibility) async throws {
        try await bounded { [self] in
            try await client.withConnection { connection in
                try await connection.query(
                    "UPDATE account_projects SET visibility = \(visibility.rawValue) WHERE id = \(projectID)",
                    logger: logger)
                try await announceAccessChange(on: connection)
            }
        }
    }

    // MARK: Audit

    /// Records a write: who, in which entity, what, on what.
    public func audit(user: String, entity: String, action: String, target: String) async throws {
        try await bounded { [self] in
            try await client.query(
                "INSERT INTO account_audit (user_name, entity, action, target) VALUES (\(user), \(entity), \(action), \(target))",
                logger: logger)
        }
    }

    /// The newest audit records of an entity, newest first.
    public func auditRecords(entity: String, limit: Int) async throws -> [AuditRecord] {
        try await bounded { [self] in
            var records: [AuditRecord] = []
            for try await (id, at, user, action, target) in try await client.query(
                """
                SELECT id, at, user_name, action, target FROM account_audit WHERE entity = \(entity)
                ORDER BY id DESC LIMIT \(limit)
                """, logger: logger
            ).decode((Int64, Date, String, String, String).self) {
                records.append(AuditRecord(id: id, at: at, user: user, entity: entity, action: action, target: target))
            }
            return records
        }
    }

    // MARK: Helpers

    private func insertEntity(_ name: String, kind: String, admin: Bool, on connection: PostgresConnection)
        async throws -> Int64
    {
        do {
            for try await id in try await connection.query(
                "INSERT INTO account_entities (name, kind, is_admin) VALUES (\(name), \(kind), \(admin)) RETURNING id",
                logger: logger
            ).decode(Int64.self) { return id }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw AccountError.entityExists(name)
        }
        throw AccountError.databaseUnavailable("the insert returned no row")
    }

    private func insertToken(_ token: String, userID: Int64, expiresAt: Date?, on connection: PostgresConnection)
        async throws
    {
        let hash = ByteBuffer(bytes: APIToken.hash(token))
        try await connection.query(
            "INSERT INTO account_tokens (user_id, hash, expires_at) VALUES (\(userID), \(hash), \(expiresAt))",
            logger: logger)
    }

    func entityID(_ name: String, kind: String?, on connection: PostgresConnection) async throws -> Int64 {
        for try await (id, found) in try await connection.query(
            "SELECT id, kind FROM account_entities WHERE name = \(name)", logger: logger
        ).decode((Int64, String).self) where kind == nil || found == kind {
            return id
        }
        throw kind == "team" ? AccountError.teamNotFound(name) : AccountError.userNotFound(name)
    }

    /// Runs `body`, failing with `databaseUnavailable` when it takes longer than `limit`.
    @discardableResult
    func bounded<T: Sendable>(_ limit: Duration? = nil, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let limit = limit ?? timeout
        do {
            return try await withDeadline(limit, overdue: { AccountError.databaseUnavailable("no answer within \(limit)") }, body)
        } catch let error as PSQLError where error.code == .connectionError || error.code == .serverClosedConnection
            || error.code == .clientClosedConnection
        {
            throw AccountError.databaseUnavailable("\(error.code)")
        } catch let error as PostgresTransactionError {
            // The transaction's own failure is what the caller needs, not the wrapper around it.
            if let cause = error.closureError ?? error.beginError ?? error.commitError { throw cause }
            throw error
        }
    }
}

/// One write the audit trail recorded.
public struct AuditRecord: Codable, Sendable, Equatable {
    /// Its id, increasing.
    public var id: Int64
    /// When.
    public var at: Date
    /// Who: the user whose token made the request, or for `arttui-server admin …` the command line
    /// and the Unix account that ran it (`commandLineActor()`).
    public var user: String
    /// In which entity.
    public var entity: String
    /// What, such as `put`, `delete`, `alias.add`.
    public var action: String
    /// On what, such as `team/project/name:v3`.
    public var target: String

    /// The actor of a change made with `arttui-server admin …`: `admin (command line, unix user NAME)`.
    /// The spaces and parentheses keep it apart from every user name (entity names allow neither).
    public static func commandLineActor() -> String {
        let account = getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } }
            ?? "uid \(geteuid())"
        return "admin (command line, unix user \(account))"
    }
}

extension AccountStore {
    /// An account store on a client that is never run: for code that only needs the routes, not the data.
    static func unconnected() -> AccountStore {
        let logger = Logger(label: "arttui-server.unconnected")
        let url = try! DatabaseURL("postgres://nobody@127.0.0.1:1/none")
        return AccountStore(client: PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger), logger: logger,
            timeout: ConnectionOptions.defaultDatabaseTimeout)
    }
}
