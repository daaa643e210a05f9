import Foundation

extension Store {
    /// The table `name` of a version: a `NAME.table.json` entry, or a `NAME.partitioned-table.json` entry
    /// whose parts' rows are read in natural order. At most `limit` rows are read.
    /// - Throws: `StoreError.tableNotFound`, `.invalidTable`, `.damagedFile` when stored bytes are bad.
    public func table(named name: String, in version: ArtifactVersion, limit: Int = .max) throws -> Table {
        try Table.read(named: name, of: version.qualifiedName, files: files(of: version), limit: limit) {
            try contents(of: $0, in: version)
        }
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
