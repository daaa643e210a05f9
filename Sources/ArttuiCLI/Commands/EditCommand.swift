import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui edit PROJECT/NAME:REF`: changes a version's description, metadata and hand-set aliases.
struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change a version's description, metadata or aliases (its files never change).",
        discussion: "Everything given is checked before anything changes, as the reference's artifact.save() does.")

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

    @Option(name: .customLong("alias"), help: ArgumentHelp(
        "Add a hand-set alias, moving it from another version that holds it (repeatable).", valueName: "alias"))
    var addedAliases: [String] = []

    @Option(name: .customLong("remove-alias"), help: ArgumentHelp(
        "Remove a hand-set alias from the version (repeatable).", valueName: "alias"))
    var removedAliases: [String] = []

    func run() throws {
        if description == nil && metadata == nil && assignments.isEmpty && removals.isEmpty
            && addedAliases.isEmpty && removedAliases.isEmpty
        {
            throw ValidationError("nothing to change: give -d, --metadata, --set, --unset, --alias or --remove-alias")
        }
        var newMetadata = try metadata.map(MetadataArgument.read)
        let changes = try assignments.map(MetadataChange.assignment) + removals.map { MetadataChange.remove(key: $0) }
        if let description { try NameRules.validateDescription(description) }
        let store = try storeOptions.openRepository()
        let version = try store.version(store.address(address))
        // As put -a does: the same alias twice (in any case) is refused, not silently kept once.
        try Alias.validateManual(addedAliases, keeping: version.aliases)
        if !changes.isEmpty {
            let base = newMetadata ?? version.metadata
            // A key neither there nor set here is a typo: removing nothing and printing "updated" hid it.
            let present = Set(base.keys).union(changes.compactMap { if case let .set(key, _) = $0 { key } else { nil } })
            if let missing = removals.first(where: { !present.contains($0) }) {
                let keys = base.keys.sorted().map { EscapedText.oneLine($0) }.joined(separator: ", ")
                throw StoreError.invalidArgument("\(version.qualifiedName) has no metadata key \(EscapedText.quoted(missing)) to --unset "
                    + (keys.isEmpty ? "(its metadata is empty)" : "(its keys: \(keys))"))
            }
            newMetadata = try MetadataChange.apply(changes, to: base)
        }
        let updated = try store.edit(version, VersionEdit(
            description: description, metadata: newMetadata, addedAliases: addedAliases, removedAliases: removedAliases))
        if output.json { return try JSONOutput.print(JSONOutput.Version(updated)) }
        print("updated \(updated.qualifiedName)")
    }
}
