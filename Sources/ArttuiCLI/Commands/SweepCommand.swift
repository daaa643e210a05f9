import ArgumentParser
import ArtifactStore
import ArtifactWire
import Foundation

/// `arttui sweep best`: questions about the runs of a sweep.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep", abstract: "Questions about the runs of a sweep.", subcommands: [SweepBestCommand.self])
}

/// `arttui sweep best PROJECT SWEEP --metric KEY [--min]`: the best run and what it logged.
struct SweepBestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best",
        abstract: "Print the best run of a sweep by a summary metric, and the artifacts it logged.",
        discussion: "Runs without the metric are left out.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The project.")
    var project: String

    @Argument(help: "The sweep.")
    var sweep: String

    @Option(help: "The summary metric to rank by, such as val_acc.")
    var metric: String

    @Flag(help: "Lower is better (default: higher is better).")
    var min = false

    func run() throws {
        let store = try storeOptions.openRepository()
        let found = try store.sweepBest(project: store.project(project), sweep: sweep, metric: metric, minimize: min)
        let (best, logged) = (found.record, found.logged)
        if output.json {
            return try JSONOutput.print(WireSweepBest(run: WireRun(best), artifacts: logged.map { JSONOutput.Version($0) }))
        }
        print("best run: \(best.id) (\(best.name)) \(metric)=\(best.summary[metric]?.jsonText ?? "-")")
        TextTable(["VERSION", "TYPE", "ALIASES", "SIZE"], rightAligned: [3])
            .printing(logged.map {
                [$0.qualifiedName, $0.type, $0.aliases.joined(separator: ","), ByteSize.format($0.size)]
            }, empty: "it logged no artifacts")
    }
}
