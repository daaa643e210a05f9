import ArgumentParser
import ArtifactStore
import ArtifactWire
import BrowserCore
import Foundation

/// `arttui find [PROJECT] [--where EXPR]…`: versions by metadata, size, file count, creation, type, alias, run.
struct FindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find versions by metadata, size, file count, creation time, type, alias or run.",
        discussion: """
            Each --where is an expression; several are ANDed. The search runs in the catalog, never by loading \
            versions.

            Fields:
              size                 the version's total size (compare with 123, 10MB, 1.5GiB)
              files                its number of files
              created              when it was created (compare with 2024-05-01 or 2024-05-01T12:30:00Z, UTC)
              metadata.KEY.SUB     a metadata key, nested keys joined by dots; the metadata. prefix is optional
                                   (train.lr is metadata.train.lr) except for keys named size, files, created
                                   or a keyword, and for "quoted keys" ("learning rate")
            Conditions:
              FIELD = != < <= > >= VALUE
              KEY contains VALUE   substring of a string value, or an element of an array value
              KEY exists           the key is present (even with a null value)
            Combine with not, and, or (tightest first) and parentheses. Keywords are case-insensitive.
            Values: numbers (0.9, -3, 1e-4), sizes (KB MB GB TB = powers of 1000, KiB MiB GiB TiB and K M G T = \
            powers of 1024), "strings" or 'strings', true, false, null, dates (2024-05-01[THH:MM[:SS]][Z|+HH:MM]).
            A condition on a key matches only a value of the literal's kind: acc > 0.9 skips versions whose acc is \
            a string or missing, and so does acc != 0.9; not (acc = 0.9) includes them.

            Examples:
              arttui find vision --where 'val_acc > 0.9 and epochs >= 10'
              arttui find --where 'tags contains "baseline" or not reviewed exists' --sort -metadata.val_acc
              arttui find --where 'size > 1GB' --created-after 2024-05-01 --type model
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("Only versions in this project.", valueName: "project"))
    var project: String?

    @Option(name: .customLong("where"), help: ArgumentHelp("A condition (see below); repeat to AND several.", valueName: "expr"))
    var conditions: [String] = []

    @Option(help: ArgumentHelp("Only artifacts of this type.", valueName: "type"))
    var type: String?

    @Option(help: ArgumentHelp("Only versions carrying this alias (latest included).", valueName: "alias"))
    var alias: String?

    @Option(name: .customLong("created-after"), help: ArgumentHelp("Only versions created after DATE.", valueName: "date"))
    var createdAfter: String?

    @Option(name: .customLong("created-before"), help: ArgumentHelp("Only versions created before DATE.", valueName: "date"))
    var createdBefore: String?

    @Option(name: .customLong("logged-by"), help: ArgumentHelp("Only versions logged by this run id.", valueName: "run"))
    var loggedBy: String?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Sort by name, size, files, created or a metadata key; a leading - sorts descending (default: -created).",
        valueName: "[-]key"))
    var sort: String?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Print at most N versions (text prints 100 by default and says when there are more; --json prints all).",
        valueName: "n"), transform: OptionNumbers.limit.read)
    var limit: Int?

    func run() throws {
        // One more than shown, to tell whether any were left out.
        let shown = limit ?? (output.json ? nil : 100)
        var search = WireSearchQuery(
            conditions: conditions, type: type, alias: alias,
            createdAfter: try createdAfter.map { try checked(date: $0, option: "--created-after") },
            createdBefore: try createdBefore.map { try checked(date: $0, option: "--created-before") },
            loggedBy: loggedBy, sort: sort, limit: shown.map { $0 + 1 })
        do {
            _ = try search.versionQuery()
        } catch let error as WireQueryError {
            let prefix = "arttui: error: --\(error.parameter): "
            FileHandle.standardError.write(Data((error.queryError.caretLines(prefix: prefix, columns: DisplayWidth.width(of:)) + "\n").utf8))
            throw ExitCode.failure
        }
        // Only checked input reaches the repository (a first local use creates the store).
        let repository = try storeOptions.openRepository()
        search.project = try project.map { try repository.project($0) }
        var versions = try repository.find(search)
        let more = shown.map { versions.count > $0 } ?? false
        if more, let shown { versions.removeLast(versions.count - shown) }
        if output.json { return try JSONOutput.print(versions.map { JSONOutput.Version($0) }) }
        TextTable(["VERSION", "TYPE", "ALIASES", "CREATED", "SIZE", "FILES"], rightAligned: [4, 5])
            .printing(versions.map {
                [$0.qualifiedName, $0.type, $0.aliases.joined(separator: ","), TextTable.date($0.createdAt),
                 ByteSize.format($0.size), "\($0.fileCount)"]
            }, empty: "no versions match")
        if more { print("… more versions match; --limit N to see more") }
    }

    /// `text` when it is a date; the option names the one at fault.
    private func checked(date text: String, option: String) throws -> String {
        guard QueryDate.parse(text) != nil else {
            throw StoreError.invalidArgument("\(option) \"\(text)\" is not a date; write 2024-05-01 or 2024-05-01T12:30:00Z")
        }
        return text
    }
}
