import ArgumentParser

extension Arttui {
    static let subcommandList: [ParsableCommand.Type] = [
        BrowseCommand.self, DemoCommand.self, PutCommand.self, GetCommand.self, LsCommand.self, ShowCommand.self, DiffCommand.self, FindCommand.self, AliasCommand.self, EditCommand.self,
        RmCommand.self, PruneCommand.self, CacheCommand.self, VerifyCommand.self,
        ImportCommand.self, ExportCommand.self, RunCommand.self, RunsCommand.self, UseCommand.self, LineageCommand.self, SweepCommand.self, FinishCommand.self,
        LoginCommand.self, LogoutCommand.self, RemoteCommand.self, WhoamiCommand.self, ProjectCommand.self,
        PushCommand.self, PullCommand.self,
    ]
    static let defaultCommand: ParsableCommand.Type? = BrowseCommand.self
}
