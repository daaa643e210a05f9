import Foundation

extension Table {
    /// The table `name` among a version's `files`: a `NAME.table.json` entry, or a
    /// `NAME.partitioned-table.json` entry whose parts' rows are read in natural order. At most
    /// `limit` rows are read; `contents` gives a file's checked bytes (from a store or a server).
    /// - Parameter version: the version's qualified name, for errors.
    /// - Throws: `StoreError.tableNotFound`, `.invalidTable`, and whatever `contents` throws.
    public static func read(
        named name: String, of version: String, files: [ManifestEntry], limit: Int,
        contents: (ManifestEntry) throws -> Data
    ) throws -> Table {
        if let entry = files.first(where: { $0.path == name + Table.fileSuffix }) {
            var table = try Table(json: contents(entry), name: name)
            table.rows = Array(table.rows.prefix(limit))
            return table
        }
        guard let entry = files.first(where: { $0.path == name + PartitionedTable.fileSuffix }) else {
            throw StoreError.tableNotFound(version: version, name: name)
        }
        let partitioned = try PartitionedTable(json: contents(entry), name: name)
        let prefix = partitioned.partsPath.hasSuffix("/") ? partitioned.partsPath : partitioned.partsPath + "/"
        let parts = files.filter { $0.path.hasPrefix(prefix) && $0.path.hasSuffix(Table.fileSuffix) }
            .sorted { PartitionedTable.naturalOrder($0.path, $1.path) }
        var result = Table(columns: [], rows: [])
        for part in parts where result.rows.count < limit {
            let table = try Table(json: contents(part), name: String(part.path.dropLast(Table.fileSuffix.count)))
            if result.columns.isEmpty { result.columns = table.columns }
            guard table.columns == result.columns else {
                throw StoreError.invalidTable(name: name, reason: "has part \(part.path) whose columns differ from the first part's")
            }
            result.rows.append(contentsOf: table.rows.prefix(limit - result.rows.count))
        }
        return result
    }
}
