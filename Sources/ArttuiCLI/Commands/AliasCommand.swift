import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui alias add|rm`.
struct AliasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias", abstract: "Add or remove hand-set aliases.",
        subcommands: [Add.self, Remove.self])

    /// `arttui alias add PROJECT/NAME:REF ALIAS`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Point an alias at a version, moving it from another version if one holds it.")

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: ArgumentHelp("The version: PROJECT/NAME:REF.", valueName: "project/name:ref"))
        var address: String

        @Argument(help: "The alias.")
        var alias: String

        func run() throws {
            try Alias.validateManual(alias)
            let store = try storeOptions.openRepository()
            let version = try store.version(store.address(address))
            if let previous = try store.addAlias(alias, to: version) {
                print("moved alias \(alias) from \(previous.qualifiedName) to \(version.qualifiedName)")
            } else {
                print("added alias \(alias) to \(version.qualifiedName)")
            }
        }
    }

    /// `arttui alias rm PROJECT/NAME ALIAS`.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove an alias from an artifact.")

        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: ArgumentHelp("The artifact: PROJECT/NAME.", valueName: "project/name"))
        var artifact: String

        @Argument(help: "The alias.")
        var alias: String

        func run() throws {
            if Alias.isManaged(alias) {
                throw StoreError.invalidAlias(alias: alias, rule: "is managed by the store and cannot be removed")
            }
            try Alias.validateSyntax(alias)
            let store = try storeOptions.openRepository()
            let holder = try store.removeAlias(alias, from: store.artifactPath(artifact))
            print("removed alias \(alias) from \(holder.qualifiedName)")
        }
    }
}
