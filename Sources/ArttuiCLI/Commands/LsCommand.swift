import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui ls [PROJECT[/NAME]]`: projects, the artifacts of a project, or the versions of an artifact.
struct LsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List projects, the artifacts of a project, or the versions of an artifact.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("What to list: nothing, PROJECT or PROJECT/NAME.", valueName: "project[/name]"))
    var scope: String?

    @Flag(help: "Also list pending versions (being filled by parallel writers).")
    var pending = false

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "List at most N versions, newest first (text lists 100 by default and says how many it left out; "
            + "--json lists all).", valueName: "n"), transform: OptionNumbers.limit.read)
    var limit: Int?

    @Flag(help: "List every version in text too.")
    var all = false

    func run() throws {
        let store = try storeOptions.openRepository()
        guard let scope else {
            let projects = try store.projects()
            if output.json { return try JSONOutput.print(projects.map(JSONOutput.Project.init)) }
            TextTable(["PROJECT", "ARTIFACTS", "VERSIONS", "SIZE"], rightAligned: [1, 2, 3])
                .printing(projects.map { [$0.name, "\($0.artifactCount)", "\($0.versionCount)", ByteSize.format($0.size)] },
                          empty: "no projects in \(store.location)")
            return
        }
        let parsed = try store.scope(scope)
        guard let name = parsed.name else {
            let artifacts = try store.artifacts(in: parsed.project)
            if output.json { return try JSONOutput.print(artifacts.map(JSONOutput.Artifact.init)) }
            TextTable(["TYPE", "NAME", "VERSIONS", "LATEST", "SIZE", "STORED", "UPDATED"], rightAligned: [2, 4, 5])
                .printing(artifacts.map {
                    [$0.type, $0.name, "\($0.versionCount)", $0.latestIndex.map { "v\($0)" } ?? "-",
                     ByteSize.format($0.latestSize), ByteSize.format($0.storedBytes), TextTable.date($0.updatedAt)]
                }, empty: "no artifacts in \(parsed.project)")
            return
        }
        // Text is for people: the newest 100 unless asked; JSON is for scripts: everything unless asked.
        let shown = limit ?? (output.json || all ? Int.max : 100)
        let versions = try store.versions(of: parsed.project, name, offset: 0, limit: shown, includePending: pending)
        if output.json { return try JSONOutput.print(versions.map { JSONOutput.Version($0) }) }
        TextTable(["VERSION", "ALIASES", "CREATED", "SIZE", "ADDED", "FILES", "DESCRIPTION"], rightAligned: [3, 4, 5])
            .printing(versions.map {
                [$0.versionName, $0.aliases.joined(separator: ","), TextTable.date($0.createdAt), ByteSize.format($0.size),
                 ByteSize.format($0.addedBytes), "\($0.fileCount)", TextTable.firstLine($0.description)]
            }, empty: "no versions of \(parsed.project)/\(name)")
        if versions.count == shown {
            let total = try store.versionCount(of: parsed.project, name)
            if total > shown {
                print("… \(total - shown) older versions not shown (--limit N or --all to list them)")
            }
        }
    }
}
