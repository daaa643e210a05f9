import ArgumentParser
import ArtifactWire
import Foundation

/// `arttui whoami`: who the selected server takes the caller for.
struct WhoamiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami", abstract: "Show the user a team server signs the token in as, and their teams.")

    @OptionGroup var server: ServerOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let target = try server.requiredServer()
        let identity = try server.client(for: target).whoami()
        if output.json { return try JSONOutput.print(identity) }
        print("\(identity.name) on \(target)\(identity.admin ? " (server admin)" : "")")
        for membership in identity.teams.sorted(by: { $0.team < $1.team }) {
            print("  \(membership.team): \(membership.role)")
        }
    }
}
