import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui show PROJECT/NAME[:REF]`: one version in full.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a version: aliases, digest, sizes, description, metadata, files.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The version: PROJECT/NAME[:REF].", valueName: "project/name[:ref]"))
    var address: String

    @Flag(help: "List the version's files.")
    var files = false

    @Option(help: "Print the first rows of this table (or partitioned table) entry instead.")
    var table: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("How many table rows to print (default: 20).", valueName: "n"),
            transform: OptionNumbers.limit.read)
    var limit = 20

    func run() throws {
        let store = try storeOptions.openRepository()
        let version = try store.version(store.address(address))
        if let table {
            return try TablePreview.print(store.table(named: table, in: version, limit: limit), json: output.json)
        }
        let entries = files ? try store.files(of: version, offset: 0, limit: .max) : nil
        if output.json { return try JSONOutput.print(JSONOutput.Version(version, files: entries)) }
        var lines: [(String, String)] = [
            ("version", version.qualifiedName),
            ("type", version.type),
            ("aliases", version.aliases.isEmpty ? "-" : version.aliases.joined(separator: ", ")),
            ("digest", version.digest),
            ("created", TextTable.date(version.createdAt)),
            ("files", "\(version.fileCount)"),
            ("size", "\(ByteSize.format(version.size)) (\(version.size) bytes)"),
            ("added", "\(ByteSize.format(version.addedBytes)) (\(version.addedBytes) bytes) added to the store"),
            ("logged by", version.loggedBy ?? "-"),
            ("description", version.description.isEmpty ? "-" : version.description),
        ]
        if let damage = version.damage { lines.append(("DAMAGED", damage)) }
        lines.append(("metadata", JSONValue.object(version.metadata).prettyJSONText))
        for (key, value) in lines {
            let indented = value.replacingOccurrences(of: "\n", with: "\n" + String(repeating: " ", count: 13))
            print(key.padding(toLength: 13, withPad: " ", startingAt: 0) + indented)
        }
        if let entries {
            print("")
            // A reference shows where its bytes live: they are not in the store.
            TextTable(["SIZE", "DIGEST", "PATH"], rightAligned: [0])
                .printing(entries.map { entry in
                    let digest = entry.isStored ? String(entry.digest.prefix(12)) : "reference"
                    let path = entry.reference.map { "\(entry.path) -> \($0.uri)" } ?? entry.path
                    return [ByteSize.format(entry.size), digest, path]
                }, empty: "no files")
        }
    }
}
