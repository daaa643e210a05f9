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
        var changes: [(String, JSONValue)] = []
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw StoreError.invalidMetadata(reason: "--set \(assignment) is not KEY=JSON")
            }
            let key = String(assignment[..<equals])
            let value = try Metadata.parseValue(String(assignment[assignment.index(after: equals)...]))
            changes.append((key, value))
        }
        if let description { try NameRules.validateDescription(description) }
        let store = try storeOptions.openStore()
        let version = try store.version(parsed)
        if !changes.isEmpty || !removals.isEmpty {
            var object = newMetadata ?? version.metadata
            for (key, value) in changes { object[key] = value }
            for key in removals { object[key] = nil }
            newMetadata = object
        }
        try store.update(version, description: description, metadata: newMetadata)
        let updated = try store.version(id: version.id)
        if output.json { return try JSONOutput.print(JSONOutput.Version(updated)) }
        print("updated \(updated.qualifiedName)")
    }
}
