import ArgumentParser

extension Arttui {
    static let subcommandList: [ParsableCommand.Type] = [
        PutCommand.self, GetCommand.self, LsCommand.self, ShowCommand.self, AliasCommand.self, EditCommand.self,
        RmCommand.self, PruneCommand.self, CacheCommand.self, VerifyCommand.self,
    ]
    static let defaultCommand: ParsableCommand.Type? = nil
}
