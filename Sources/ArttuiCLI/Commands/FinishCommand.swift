import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui finish -n PROJECT/NAME --distributed-id ID`: commits (or discards) the pending version
/// parallel writers filled with `put --upsert`.
struct FinishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finish",
        abstract: "Commit the pending version parallel writers filled with put --upsert, or discard it.",
        discussion: "Files, --table and --partitioned-table given here are added before the commit.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var writer: PutWriterOptions

    @Option(name: [.customShort("n"), .customLong("name")], help: ArgumentHelp(
        "The artifact: PROJECT/NAME.", valueName: "project/name"))
    var name: String

    @Option(name: [.customShort("t"), .long], help: "The artifact's type, for files added here (default: the artifact's).")
    var type: String?

    @Flag(help: "Delete the pending version instead, freeing the bytes only it used.")
    var discard = false

    @Argument(help: "Files and directories to add before committing.")
    var paths: [String] = []

    func run() throws {
        let store = try storeOptions.openRepository()
        let path = try store.artifactPath(name)
        let project = store.project(of: path)
        let run = try writer.runID.map { try store.runDetail(id: $0).record }
        guard let distributedID = writer.distributedID ?? run?.group else {
            throw StoreError.invalidArgument("give --distributed-id, or a --run that has a group")
        }
        if discard {
            let plan = try store.discardPending(project: project, name: path.name, distributedID: distributedID)
            if output.json { return try JSONOutput.print(DeletionJSON(plan, dryRun: false)) }
            print("discarded the pending version of \(project)/\(path.name) (distributed id \(distributedID)), "
                + "freed \(plan.freedBytes) bytes (\(ByteSize.format(plan.freedBytes)))")
            return
        }
        // The newest version, pending ones included, gives the artifact's type; the artifact listing is the fallback.
        let existingType = (try? store.versions(of: project, path.name, offset: 0, limit: 1, includePending: true).first?.type)
            ?? (try? store.artifacts(in: project).first { $0.name == path.name }?.type)
        var draft = ArtifactDraft(name: path.name, type: type ?? existingType ?? "dataset")
        for item in paths { try draft.add(URL(fileURLWithPath: item)) }
        try writer.addEntries(to: &draft)
        draft.runID = run?.id
        let version = try store.finishPending(draft, project: project, distributedID: distributedID)
        if output.json { return try JSONOutput.print(JSONOutput.Version(version)) }
        print("committed \(version.qualifiedName) (\(counted(version.fileCount, "file")), \(ByteSize.format(version.size)))")
    }
}
