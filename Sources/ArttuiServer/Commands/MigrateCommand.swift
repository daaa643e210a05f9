import ArgumentParser
import ArtifactStorePostgres

/// `arttui-server migrate`: applies the account store's (and the catalog's) schema migrations.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply database schema migrations and exit.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await reportingFailure {
            let logger = makeLogger("arttui-server.migrate", default: .warning)
            try await connection.withAccounts(logger: logger) { try await $0.migrate() }
            if connection.storeDirectory == nil {
                let applied = try PostgresCatalog.migrate(configuration: try connection.database().connection, logger: logger)
                if !applied.isEmpty { print("catalog migrations applied: \(applied.joined(separator: ", "))") }
            }
        }
    }
}
