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
        try addData(data, as: path)
    }
}
