import ArgumentParser
import ArtifactStore
import Foundation
import Logging

/// `arttui-server admin …`: users, tokens and teams, from the server's command line.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Manage users, tokens and teams.",
        subcommands: [User.self, Token.self, Team.self, Key.self])

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage the master key file that seals stored objects.", subcommands: [Generate.self])

        struct Generate: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Add a new key to FILE (creating it, mode 0600); it seals every object written from then on.")
            @Argument(help: "The key file.") var file: String

            func run() async throws {
                let file = self.file
                try await reportingFailure {
                    let id = try MasterKeyring.generate(at: URL(fileURLWithPath: file))
                    FileHandle.standardError.write(Data("key \(id) added to \(file)\n".utf8))
                }
            }
        }
    }

    struct User: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Manage users.", subcommands: [Add.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create a user and print its first token (and nothing else) on stdout.")
            @OptionGroup var connection: ConnectionOptions
            @Argument(help: "The user's name.") var name: String
            @Flag(help: "Make the user a site administrator.") var admin = false
            @Option(help: TokenLifetime.help) var expiresIn: String?

            func run() async throws {
                let (name, admin, expiresIn) = (self.name, self.admin, self.expiresIn)
                try await reportingFailure {
                    let expiresAt = try expiresIn.map { try TokenLifetime(parsing: $0).expiry() }
                    let token = try await connection.withMigratedAccounts(
                        recording: (entity: name, action: "user.add", target: name + (admin ? " admin" : ""))
                    ) { accounts in
                        try await accounts.addUser(name, admin: admin, tokenExpiresAt: expiresAt)
                    }
                    print(token)
                }
            }
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage API tokens.", subcommands: [Add.self, Revoke.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print a new token for a user.")
            @OptionGroup var connection: ConnectionOptions
            @Argument(help: "The user's name.") var name: String
            @Option(help: TokenLifetime.help) var expiresIn: String?

            func run() async throws {
                let (name, expiresIn) = (self.name, self.expiresIn)
                try await reportingFailure {
                    let expiresAt = try expiresIn.map { try TokenLifetime(parsing: $0).expiry() }
                    let token = try await connection.withMigratedAccounts(
                        recording: (entity: name, action: "token.add", target: name)
                    ) { accounts in
                        try await accounts.addToken(user: name, expiresAt: expiresAt)
                    }
                    print(token)
                }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke every token of a user.")
            @OptionGroup var connection: ConnectionOptions
            @Argument(help: "The user's name.") var name: String

            func run() async throws {
                let name = self.name
                try await reportingFailure {
                    let count = try await connection.withMigratedAccounts(
                        recording: (entity: name, action: "token.revoke", target: name)
                    ) { accounts in
                        try await accounts.revokeTokens(user: name)
                    }
                    FileHandle.standardError.write(Data("revoked \(counted(count, "token")) of \(name)\n".utf8))
                }
            }
        }
    }

    struct Team: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage teams.", subcommands: [Add.self, Member.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a team.")
            @OptionGroup var connection: ConnectionOptions
            @Argument(help: "The team's name.") var team: String

            func run() async throws {
                let team = self.team
                try await reportingFailure {
                    try await connection.withMigratedAccounts(
                        recording: (entity: team, action: "team.add", target: team)
                    ) { accounts in
                        try await accounts.addTeam(team)
                    }
                }
            }
        }

        struct Member: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Set a user's role in a team.")
            @OptionGroup var connection: ConnectionOptions
            @Argument(help: "The team.") var team: String
            @Argument(help: "The user.") var user: String
            @Option(help: "admin, member or viewer.") var role: Role

            func run() async throws {
                let (team, user, role) = (self.team, self.user, self.role)
                try await reportingFailure {
                    try await connection.withMigratedAccounts(
                        recording: (entity: team, action: "member.set", target: "\(user) \(role.rawValue)")
                    ) { accounts in
                        try await accounts.setMember(team: team, user: user, role: role)
                    }
                }
            }
        }
    }
}

extension Role: ExpressibleByArgument {}

extension TokenLifetime {
    /// The help of `--expires-in`; the value is read in `run()` so a bad one fails with one line.
    static let help = ArgumentHelp(
        "Make the token expire after this long: a whole number and s, m, h or d (30d, 12h); default never.",
        valueName: "duration")
}

private var adminLogger: Logger { makeLogger("arttui-server.admin", default: .warning) }

extension ConnectionOptions {
    /// Runs an admin operation on an account store brought up to the current schema first, so every
    /// admin command works on a fresh database as `migrate` would leave it, and records it in the audit
    /// trail of the entity it changed (`entity`), as the API records its own, with the command line as
    /// the actor. The change is made by then: a record that cannot be written is a warning on stderr,
    /// so that a new user's token is still printed.
    fileprivate func withMigratedAccounts<T: Sendable>(
        recording record: (entity: String, action: String, target: String),
        _ body: @escaping @Sendable (AccountStore) async throws -> T
    ) async throws -> T {
        try await withAccounts(logger: adminLogger) { accounts in
            try await accounts.migrate()
            let result = try await body(accounts)
            do {
                try await accounts.audit(
                    user: AuditRecord.commandLineActor(), entity: record.entity, action: record.action,
                    target: record.target)
            } catch {
                FileHandle.standardError.write(Data(
                    "arttui-server: warning: \(record.action) \(record.target) was done but not recorded in the audit trail: \(error)\n".utf8))
            }
            return result
        }
    }
}
