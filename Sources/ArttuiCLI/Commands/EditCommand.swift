import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui edit PROJECT/NAME:REF`: changes a version's description and metadata.
struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change a version's description or metadata (its files never change).")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The version: PROJECT/NAME[:REF].", valueName: "project/name[:ref]"))
    var address: String

    @Option(name: [.customShort("d"), .long], help: "The new description.")
    var description: String?

    @Option(help: ArgumentHelp("Replace the metadata: a JSON object, or @FILE.", valueName: "json|@file"))
    var metadata: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Set one metadata key to a JSON value.", valueName: "key=json"))
    var assignments: [String] = []

    @Option(name: .customLong("unset"), help: ArgumentHelp("Remove one metadata key.", valueName: "key"))
    var removals: [String] = []

    func run() throws {
        let parsed = try ArtifactAddress(parsing: address)
        if description == nil && metadata == nil && assignments.isEmpty && removals.isEmpty {
            throw ValidationError("nothing to change: give -d, --metadata, --set or --unset")
        }
        var newMetadata = try metadata.map(MetadataArgument.read)
        let changes = try assignments.map(MetadataChange.assignment) + removals.map { MetadataChange.remove(key: $0) }
        if let description { try NameRules.validateDescription(description) }
        let store = try storeOptions.openStore()
        let version = try store.version(parsed)
        if !changes.isEmpty {
            newMetadata = try MetadataChange.apply(changes, to: newMetadata ?? version.metadata)
        }
        try store.update(version, description: description, metadata: newMetadata)
        let updated = try store.version(id: version.id)
        if output.json { return try JSONOutput.print(JSONOutput.Version(updated)) }
        print("updated \(updated.qualifiedName)")
    }
}
