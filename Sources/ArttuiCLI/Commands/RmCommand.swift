import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui rm PROJECT/NAME:REF`: deletes one version.
struct RmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Delete a version and free the bytes no other version uses.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The version: PROJECT/NAME:REF.", valueName: "project/name:ref"))
    var address: String

    @Flag(help: "Delete the version's hand-set aliases with it.")
    var deleteAliases = false

    func run() throws {
        let store = try storeOptions.openRepository()
        let version = try store.version(store.address(address))
        let plan = try store.delete(version, deleteAliases: deleteAliases)
        plan.warnAboutPacksLeft()
        if output.json { return try JSONOutput.print(DeletionJSON(plan, dryRun: false)) }
        print("deleted \(version.qualifiedName), freed \(plan.freedBytes) bytes (\(ByteSize.format(plan.freedBytes)))")
    }
}

/// What `rm --json` and `prune --json` print.
struct DeletionJSON: Encodable {
    var dryRun: Bool
    var deleted: [JSONOutput.Version]
    var freedBytes: Int64
    var freedChunks: Int

    init(_ plan: DeletionPlan, dryRun: Bool) {
        self.dryRun = dryRun
        deleted = plan.versions.map { JSONOutput.Version($0) }
        freedBytes = plan.freedBytes
        freedChunks = plan.freedChunks
    }
}

extension DeletionPlan {
    /// Says on stderr when the object store did not finish freeing a deletion's bytes: the deletion
    /// itself is done and durable, so the command still succeeds.
    func warnAboutPacksLeft() {
        guard packsLeft > 0 else { return }
        FileHandle.standardError.write(Data((
            "arttui: warning: the deletion is done, but the object store did not free the space of "
                + "\(counted(packsLeft, "pack")) (\(objectStoreError ?? "no reason given")); "
                + "arttui verify lists it as reclaimable, and the next rm or prune retries\n").utf8))
    }
}
