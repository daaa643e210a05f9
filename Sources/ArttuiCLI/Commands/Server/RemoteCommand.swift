import ArgumentParser
import Foundation

/// `arttui remote add|rm|ls`: names for team servers.
struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote", abstract: "Name team servers, so --remote NAME can stand for an address.",
        subcommands: [Add.self, Remove.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Name a server.")

        @Argument(help: "The name.") var name: String
        @Argument(help: ArgumentHelp("The server's address, such as https://arttui.example.com.", valueName: "url"))
        var url: String

        func run() throws {
            let address = try ServerURL(parsing: url)
            try RemoteRegistry().add(name, address)
            print("remote \(name) = \(address)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Forget a server's name.")

        @Argument(help: "The name.") var name: String

        func run() throws {
            try RemoteRegistry().remove(name)
            print("removed remote \(name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the named servers.")

        @OptionGroup var output: OutputOptions

        func run() throws {
            let remotes = try RemoteRegistry().all()
            if output.json { return try JSONOutput.print(remotes) }
            TextTable(["NAME", "URL"]).printing(remotes.map { [$0.name, $0.url] }, empty: "no remotes")
        }
    }
}
