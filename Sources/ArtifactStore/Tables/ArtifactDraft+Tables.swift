import Foundation

extension ArtifactDraft {
    /// Adds a table as the entry `NAME.table.json` (`name` may name a folder, as `parts/table_1`).
    ///
    /// The entry is written to a temporary file first, since a draft stores files from disk.
    public mutating func addTable(_ table: Table, named name: String) throws {
        try addEntry(table.jsonData, as: name + Table.fileSuffix)
    }

    /// Adds a partitioned table as the entry `NAME.partitioned-table.json`, naming the folder of parts.
    public mutating func addPartitionedTable(_ table: PartitionedTable, named name: String) throws {
        try addEntry(table.jsonData, as: name + PartitionedTable.fileSuffix)
    }

    private mutating func addEntry(_ data: Data, as path: String) throws {
        try ManifestPath.validate(path)
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("arttui-entries-\(UUID().uuidString)")
        try FileSystem.createDirectory(directory)
        let file = directory.appendingPathComponent((path as NSString).lastPathComponent)
        do {
            try data.write(to: file)
        } catch {
            throw StoreError.io(operation: "write", path: file.path, reason: FileSystem.reason(of: error))
        }
        try addFile(file, as: path)
    }
}
