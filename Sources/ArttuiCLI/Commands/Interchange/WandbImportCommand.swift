import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui import wandb DIR -n PROJECT/NAME [-t TYPE] [--wandb-cache DIR] [--metadata @FILE]`.
struct WandbImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wandb",
        abstract: "Store an artifact folder with its wandb_manifest.json as a new version.",
        discussion: """
            Every file's MD5 is checked against its manifest entry before anything is stored; a file missing \
            from the folder is looked for in the reference's cache (--wandb-cache, its $WANDB_CACHE_DIR). \
            Entries with a ref become references. Type, description and metadata come from the folder's \
            wandb_artifact.json (which export writes) when it has one; -t and --metadata win over it.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The artifact folder holding wandb_manifest.json.", valueName: "dir"))
    var directory: String

    @Option(name: [.customShort("n"), .customLong("name")], help: ArgumentHelp(
        "The artifact: PROJECT/NAME.", valueName: "project/name"))
    var name: String

    @Option(name: [.customShort("t"), .long], help: "The artifact's type (default: the sidecar's, else dataset).")
    var type: String?

    @Option(help: ArgumentHelp("The reference's cache directory ($WANDB_CACHE_DIR) to find files in.", valueName: "dir"))
    var wandbCache: String?

    @Option(help: ArgumentHelp("Metadata: a JSON object, or @FILE to read one.", valueName: "json|@file"))
    var metadata: String?

    func run() throws {
        let path = try ArtifactPath(parsing: name)
        if let type { try NameRules.validateType(type) }
        let importer = WandbImporter(
            directory: URL(fileURLWithPath: directory), cacheDirectory: wandbCache.map { URL(fileURLWithPath: $0) })
        let draft = try importer.draft(
            name: path.name, type: type, metadata: try metadata.map(MetadataArgument.read))
        let store = try storeOptions.openStore()
        let result = try store.log(draft, project: path.project)
        let version = result.version
        if output.json { return try JSONOutput.print(JSONOutput.Version(version)) }
        let references = draft.references.count
        print((result.created ? "imported \(version.qualifiedName)" : "no changes: \(version.qualifiedName) already holds this content")
            + " (\(counted(draft.fileCount, "file")), \(counted(references, "reference")), \(ByteSize.format(version.size)))")
    }
}
