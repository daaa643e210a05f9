import ArgumentParser
import ArtifactStore

/// `arttui run start|log|finish|show`: one run's life.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start, update, finish and show runs: the executions that use and log artifacts.",
        subcommands: [RunStartCommand.self, RunLogCommand.self, RunFinishCommand.self, RunShowCommand.self])
}

extension RunResume: ExpressibleByArgument {}
extension RunState: ExpressibleByArgument {}
