import ArgumentParser
import Foundation

/// `arttui-server`: the team server and its administration.
public struct ServerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "arttui-server",
        abstract: "The arttui team server: artifacts on PostgreSQL and S3, with accounts and tokens.",
        subcommands: [ServeCommand.self, MigrateCommand.self, AdminCommand.self])

    public init() {}
}

/// A failure that ends a command with one line on stderr and exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

extension AsyncParsableCommand {
    /// Runs `body`, turning any error into one line on stderr and a non-zero exit.
    func reportingFailure(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch {
            let line = "\(error)".replacingOccurrences(of: "\n", with: " ")
            FileHandle.standardError.write(Data("arttui-server: \(line)\n".utf8))
            throw ExitCode.failure
        }
    }
}
