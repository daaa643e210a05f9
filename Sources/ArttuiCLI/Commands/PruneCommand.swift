import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui prune PROJECT[/NAME]`: deletes the versions that have no alias.
struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete the versions without aliases (the newest has `latest` and always stays).")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("A project, or one artifact: PROJECT[/NAME].", valueName: "project[/name]"))
    var scope: String

    @Option(parsing: .unconditional, help: ArgumentHelp("Also keep the N newest versions of each artifact.", valueName: "n"),
            transform: OptionNumbers.count.read)
    var keepLast: Int = 0

    @Flag(help: "Print what would go and the bytes it would free, and delete nothing.")
    var dryRun = false

    func run() throws {
        let store = try storeOptions.openRepository()
        let plan = try store.prune(store.scope(scope), keepLast: keepLast, dryRun: dryRun)
        plan.warnAboutPacksLeft()
        if output.json { return try JSONOutput.print(DeletionJSON(plan, dryRun: dryRun)) }
        let verb = dryRun ? "would delete" : "deleted"
        for version in plan.versions {
            print("\(verb) \(version.qualifiedName) (\(ByteSize.format(version.size)))")
        }
        let summary = dryRun ? "would free" : "freed"
        print("\(counted(plan.versions.count, "version")) \(dryRun ? "to delete" : "deleted"); \(summary) \(plan.freedBytes) bytes "
            + "(\(ByteSize.format(plan.freedBytes)))")
    }
}
