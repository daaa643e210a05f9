import ArgumentParser

/// `arttui import wandb DIR -n PROJECT/NAME`: brings in an artifact from another system's format.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Store an artifact kept in another system's format as a new version.",
        subcommands: [WandbImportCommand.self])
}
