import ArgumentParser

/// `arttui export wandb ADDRESS --root DIR`: writes a version in another system's format.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a version in another system's format.",
        subcommands: [WandbExportCommand.self])
}
