import ArgumentParser

/// `arttui runs ls`: the runs of a project.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List runs.", subcommands: [RunsListCommand.self])
}
