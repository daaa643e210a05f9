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
            let parsed = try ArtifactAddress(parsing: address)
            try Alias.validateManual(alias)
            let store = try storeOptions.openStore()
            let version = try store.version(parsed)
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
            let path = try ArtifactPath(parsing: artifact)
            if Alias.isManaged(alias) {
                throw StoreError.invalidAlias(alias: alias, rule: "is managed by the store and cannot be removed")
            }
            try Alias.validateSyntax(alias)
            let store = try storeOptions.openStore()
            guard let holder = try store.holder(of: alias, in: path.project, path.name) else {
                throw StoreError.aliasNotFound(artifact: "\(path.project)/\(path.name)", alias: alias)
            }
            try store.removeAlias(alias, from: holder)
            print("removed alias \(alias) from \(holder.qualifiedName)")
        }
    }
}
