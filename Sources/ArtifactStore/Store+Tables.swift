import Foundation

extension Store {
    /// The table `name` of a version: a `NAME.table.json` entry, or a `NAME.partitioned-table.json` entry
    /// whose parts' rows are read in natural order. At most `limit` rows are read.
    /// - Throws: `StoreError.tableNotFound`, `.invalidTable`, `.damagedFile` when stored bytes are bad.
    public func table(named name: String, in version: ArtifactVersion, limit: Int = .max) throws -> Table {
        let files = try self.files(of: version)
        if let entry = files.first(where: { $0.path == name + Table.fileSuffix }) {
            var table = try Table(json: contents(of: entry, in: version), name: name)
            table.rows = Array(table.rows.prefix(limit))
            return table
        }
        guard let entry = files.first(where: { $0.path == name + PartitionedTable.fileSuffix }) else {
            throw StoreError.tableNotFound(version: version.qualifiedName, name: name)
        }
        let partitioned = try PartitionedTable(json: contents(of: entry, in: version), name: name)
        let prefix = partitioned.partsPath.hasSuffix("/") ? partitioned.partsPath : partitioned.partsPath + "/"
        let parts = files.filter { $0.path.hasPrefix(prefix) && $0.path.hasSuffix(Table.fileSuffix) }
            .sorted { PartitionedTable.naturalOrder($0.path, $1.path) }
        var result = Table(columns: [], rows: [])
        for part in parts where result.rows.count < limit {
            let table = try Table(json: contents(of: part, in: version), name: String(part.path.dropLast(Table.fileSuffix.count)))
            if result.columns.isEmpty { result.columns = table.columns }
            guard table.columns == result.columns else {
                throw StoreError.invalidTable(name: name, reason: "has part \(part.path) whose columns differ from the first part's")
            }
            result.rows.append(contentsOf: table.rows.prefix(limit - result.rows.count))
        }
        return result
    }

    /// The names of a version's tables and partitioned tables, sorted.
    public func tableNames(in version: ArtifactVersion) throws -> [String] {
        try files(of: version).compactMap { file -> String? in
            for suffix in [Table.fileSuffix, PartitionedTable.fileSuffix] where file.path.hasSuffix(suffix) {
                return String(file.path.dropLast(suffix.count))
            }
            return nil
        }.sorted()
    }

    /// One file's bytes, rebuilt from its chunks and checked against its digest.
    public func contents(of file: ManifestEntry, in version: ArtifactVersion) throws -> Data {
        var data = Data()
        data.reserveCapacity(Int(file.size))
        do {
            try ChunkReader(catalog: catalog, objects: objects).forEachChunk(ofContent: file.digest) {
                data.append(contentsOf: $0)
            }
        } catch let error as StoreError {
            if case .io = error { throw error }
            throw StoreError.damagedFile(version: version.qualifiedName, path: file.path, detail: error.description)
        }
        return data
    }
}
