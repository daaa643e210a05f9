import ArgumentParser
import ArtifactStore
import Foundation

/// The options `put` and `finish` share: the producing run, parallel writers, named entries and tables.
struct PutWriterOptions: ParsableArguments {
    @Option(name: .customLong("run"), help: "The run that produces the version (its lineage producer).")
    var runID: String?

    @Option(name: .customLong("distributed-id"), help: ArgumentHelp(
        "The id shared by parallel writers of one version (default: the run's group).", valueName: "id"))
    var distributedID: String?

    @Option(name: .customLong("entry"), help: ArgumentHelp(
        "Add a file as the entry PATH, or a directory's files under the folder PATH, inside the artifact (repeatable).",
        valueName: "path=local"))
    var entries: [String] = []

    @Option(name: .customLong("table"), help: ArgumentHelp(
        "Add a table entry NAME.table.json from a JSON table or a CSV file with a header (repeatable).",
        valueName: "name=file"))
    var tables: [String] = []

    @Option(name: .customLong("partitioned-table"), help: ArgumentHelp(
        "Add a partitioned table entry NAME naming a folder of table parts in the artifact (repeatable).",
        valueName: "name=folder"))
    var partitionedTables: [String] = []

    /// Adds the `--entry`, `--table` and `--partitioned-table` entries to a draft.
    func addEntries(to draft: inout ArtifactDraft) throws {
        for argument in entries {
            let (path, local) = try Self.split(argument, option: "--entry")
            try draft.add(URL(fileURLWithPath: local), at: path)
        }
        for argument in tables {
            let (name, file) = try Self.split(argument, option: "--table")
            let data = try NamedFile.contents(atPath: file, operation: "read table from")
            let table = file.lowercased().hasSuffix(".csv")
                ? try Table(csv: String(decoding: data, as: UTF8.self), name: name)
                : try Table(json: data, name: name)
            try draft.addTable(table, named: name)
        }
        for argument in partitionedTables {
            let (name, folder) = try Self.split(argument, option: "--partitioned-table")
            try draft.addPartitionedTable(PartitionedTable(partsPath: folder), named: name)
        }
    }

    /// The run given with `--run`, opened.
    func openRun(in store: Store) throws -> Run? {
        try runID.map { try store.run(id: $0) }
    }

    /// `--distributed-id`, else the run's group.
    func sharedID(run: Run?) throws -> String {
        if let distributedID { return distributedID }
        if let group = run?.record.group { return group }
        throw StoreError.invalidArgument("give --distributed-id, or a --run that has a group")
    }

    private static func split(_ argument: String, option: String) throws -> (String, String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex,
              argument.index(after: equals) != argument.endIndex
        else { throw StoreError.invalidArgument("\(option) \(argument) is not NAME=PATH") }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
