import ArgumentParser
import ArtifactStore
import CommandLineSupport
import Foundation

/// `arttui-server`: the team server and its administration.
public struct ServerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "arttui-server",
        abstract: "The arttui team server: artifacts on PostgreSQL and S3, with accounts and tokens.",
        subcommands: [ServeCommand.self, MigrateCommand.self, AdminCommand.self])

    public init() {}

    /// Runs the command line; a refused argument is one line on stderr (`arttui-server: error: …`) and
    /// exit status 64, as `arttui` answers one, instead of the parser's message followed by the usage.
    public static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let error as ExitCode {
            exit(withError: error)
        } catch {
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            let line = refusalLine(for: error)
            FileHandle.standardError.write(Data("arttui-server: error: \(line)\n".utf8))
            exit(withError: code)
        }
    }
}

/// A failure that ends a command with one line on stderr and exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

extension AsyncParsableCommand {
    /// Runs `body`, turning any error into one line on stderr (`arttui-server: error: …`, as `arttui`
    /// words its own) and a non-zero exit.
    func reportingFailure(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch {
            let line = "\(error)".replacingOccurrences(of: "\n", with: " ")
            FileHandle.standardError.write(Data("arttui-server: error: \(line)\n".utf8))
            throw ExitCode.failure
        }
    }
}
