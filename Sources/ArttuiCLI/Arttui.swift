import ArgumentParser
import ArtifactStore
import CommandLineSupport
import Foundation

/// The `arttui` command: the browser when run bare, and a subcommand for each scripted operation.
public struct Arttui: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "arttui",
        abstract: "Version datasets, models and code as artifacts, on your own machine.",
        discussion: """
            Run without a subcommand to browse the store. The store is --store, else $ARTTUI_STORE, \
            else ${XDG_DATA_HOME:-~/.local/share}/arttui; the cache is --cache-dir, else \
            $ARTTUI_CACHE_DIR, else ${XDG_CACHE_HOME:-~/.cache}/arttui.
            """,
        subcommands: Arttui.subcommandList,
        defaultSubcommand: Arttui.defaultCommand
    )

    public init() {}

    /// Runs the command line and exits; errors are one line on stderr and a non-zero status.
    public static func run(arguments: [String]? = nil) -> Never {
        MemoryTuning.applyForCommandLine()
        do {
            let given = hoistingGlobalOptions(arguments ?? Array(CommandLine.arguments.dropFirst()))
            var command = try parseCommand(CacheCommand.Cleanup.passingNegativeSize(given))
            try command.run()
            Foundation.exit(0)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            ErrorReport(error, root: Arttui.self).print()
            Foundation.exit(status(for: error))
        }
    }

    /// The exit status of a failed command: a command's own, 64 and the like for a command line the
    /// parser refused, else 1.
    static func status(for error: any Error) -> Int32 {
        switch error {
        case is StoreError, is ServerError: 1
        case let error as CommandFailure: error.status
        default: max(1, exitCode(for: error).rawValue)
        }
    }

    /// Parses the command line into the command to run.
    ///
    /// A subcommand without subcommands of its own named first (`put`, `get`, ...) is parsed on its
    /// own: a parse from the root also reflects over the root and over its default subcommand, the
    /// browser, whose options' runtime type lookups each scan every protocol conformance in the binary
    /// (a fixed cost of every command). Whatever that parse refuses or turns into something other than
    /// the subcommand (help, a completion script) is parsed again from the root, so refusals, help and
    /// usage read as they always did.
    static func parseCommand(_ arguments: [String]) throws -> ParsableCommand {
        // A help request parses into ArgumentParser's own help command: that one, too, comes from the root.
        if let name = arguments.first, let leaf = leafSubcommand(named: name),
           let command = try? leaf.parseAsRoot(Array(arguments.dropFirst())),
           ObjectIdentifier(type(of: command)) == ObjectIdentifier(leaf) {
            return command
        }
        // A first word that names no subcommand went to the browser, the default, which takes no
        // arguments: "Unexpected argument 'pul'" did not say that the word was taken for a command.
        if let name = arguments.first, !name.hasPrefix("-"), name != "help",
           !subcommandList.contains(where: { $0.configuration.commandName == name || $0.configuration.aliases.contains(name) }) {
            throw ValidationError("unknown subcommand \(EscapedText.quoted(name)); arttui --help lists them")
        }
        return try parseAsRoot(arguments)
    }

    /// The subcommand called `name` when it has no subcommands of its own.
    static func leafSubcommand(named name: String) -> ParsableCommand.Type? {
        subcommandList.first { command in
            let configuration = command.configuration
            return configuration.subcommands.isEmpty
                && (configuration.commandName == name || configuration.aliases.contains(name))
        }
    }

    /// Options every command takes, each followed by a value.
    static let valuedGlobalOptions: Set<String> = ["--store", "--cache-dir", "--remote", "--ca-cert", "--timeout"]

    /// Moves the global options (`--store`, `--remote`, ...) given before the subcommand to after it,
    /// so both `arttui --store S ls` and `arttui ls --store S` work.
    static func hoistingGlobalOptions(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if valuedGlobalOptions.contains(argument) {
                leading.append(contentsOf: arguments[index..<min(index + 2, arguments.count)])
                index += 2
            } else if argument == "--insecure" {
                leading.append(argument)
                index += 1
            } else if valuedGlobalOptions.contains(where: { argument.hasPrefix($0 + "=") }) {
                leading.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty else { return arguments }
        var rest = Array(arguments[min(index, arguments.count)...])
        let insertion = rest.firstIndex(of: "--") ?? rest.count
        rest.insert(contentsOf: leading, at: insertion)
        return rest
    }
}

/// A failure a command reports with its own exit status.
struct CommandFailure: Error {
    var message: String
    var status: Int32 = 1
}
