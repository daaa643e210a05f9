import ArgumentParser
import ArtifactStore
import Foundation
import ReferenceSources

/// `arttui export wandb ADDRESS --root DIR`.
struct WandbExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wandb",
        abstract: "Write a version's files with a wandb_manifest.json the reference's client loads.",
        discussion: """
            Stored files are written under --root with their base64 MD5 in the manifest; references stay \
            references. Type, description and metadata go in wandb_artifact.json beside the manifest.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The version: PROJECT/NAME[:REF].", valueName: "project/name[:ref]"))
    var address: String

    @Option(help: ArgumentHelp("The directory to write into.", valueName: "dir"))
    var root: String

    func run() throws {
        let parsed = try ArtifactAddress(parsing: address)
        let store = try storeOptions.openStore()
        let version = try store.version(parsed)
        let exporter = WandbExporter(store: store, references: .standard())
        let manifest = try exporter.export(version, to: URL(fileURLWithPath: root), cache: try storeOptions.openCache())
        if output.json { return try JSONOutput.print(manifest) }
        let references = manifest.contents.values.count { $0.ref != nil }
        print("exported \(version.qualifiedName) to \(root) (\(counted(manifest.contents.count - references, "file")), "
            + "\(counted(references, "reference")), \(WandbManifest.fileName))")
    }
}
