import ArgumentParser
@testable import ArttuiCLI
import Testing

/// `Arttui.parseCommand`: a leaf subcommand parsed on its own must come out as the parse from the root
/// would make it, and whatever that parse refuses or answers with help must read as it does from the root.
@Suite struct CommandParsingTests {
    @Test func aLeafSubcommandNamedFirstIsParsedWithItsOptions() throws {
        let command = try Arttui.parseCommand(["put", "data", "-n", "p/a", "--json", "--store", "/s", "-a", "best"])
        let put = try #require(command as? PutCommand)
        #expect(put.paths == ["data"] && put.name == "p/a" && put.aliases == ["best"])
        #expect(put.output.json && put.storeOptions.stores == ["/s"])
    }

    @Test func onlySubcommandsWithoutSubcommandsAreLeaves() {
        let put = Arttui.leafSubcommand(named: "put").map(ObjectIdentifier.init)
        #expect(put == ObjectIdentifier(PutCommand.self))
        for name in ["cache", "help", "--store", "nope"] {
            #expect(Arttui.leafSubcommand(named: name) == nil, "\(name)")
        }
    }

    @Test func refusalsReadAsTheyDoFromTheRoot() {
        let refused: [[String]] = [
            ["put"], ["put", "-n", "p/a", "--bogus"], ["get", "p/a", "--link", "weird"],
            ["get", "p/a", "--link", "hardlink", "--cache", "never"], ["ls", "--store", "a", "--store", "b"],
        ]
        for arguments in refused {
            let message = refusal { try Arttui.parseCommand(arguments) }
            #expect(message != nil && message == refusal { try Arttui.parseAsRoot(arguments) }, "\(arguments)")
        }
    }

    @Test func helpIsAnsweredFromTheRoot() throws {
        let fromRoot = String(describing: try Arttui.parseAsRoot(["put", "--help"]))
        // The help the subcommand alone would give names no `arttui` in its usage: it must not be taken.
        #expect(String(describing: try PutCommand.parseAsRoot(["--help"])) != fromRoot)
        #expect(String(describing: try Arttui.parseCommand(["put", "--help"])) == fromRoot)
    }

    /// The message the command line prints for what `parse` throws; nil when it parses.
    private func refusal(_ parse: () throws -> ParsableCommand) -> String? {
        do {
            _ = try parse()
            return nil
        } catch {
            return Arttui.fullMessage(for: error)
        }
    }
}
