import Foundation

/// An entry naming a folder of table parts inside the same artifact, kept as
/// `NAME.partitioned-table.json` in the reference's shape `{"_type": "partitioned-table", "parts_path": "parts"}`.
///
/// Reading it yields the rows of every `*.table.json` under the folder, parts in natural order
/// (`table_2` before `table_10`).
public struct PartitionedTable: Hashable, Sendable {
    /// The suffix of a partitioned table entry's file.
    public static let fileSuffix = ".partitioned-table.json"

    /// The folder of parts, relative to the artifact's root.
    public var partsPath: String

    /// Creates an entry naming a folder of parts.
    public init(partsPath: String) {
        self.partsPath = partsPath
    }

    /// Reads an entry's JSON.
    /// - Throws: `StoreError.invalidTable` naming `name` and what is wrong.
    public init(json data: Data, name: String) throws {
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: data),
              case .string(let path)? = object["parts_path"]
        else {
            throw StoreError.invalidTable(name: name, reason: "is not a partitioned table: it has no \"parts_path\"")
        }
        try ManifestPath.validate(path)
        self.init(partsPath: path)
    }

    /// The entry's JSON, in the reference's shape.
    public var jsonData: Data {
        Data(JSONValue.object(["_type": .string("partitioned-table"), "parts_path": .string(partsPath)]).jsonText.utf8)
    }

    /// Whether `lhs` comes before `rhs` when runs of digits compare as numbers.
    static func naturalOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.compare(rhs, options: [.numeric]) == .orderedAscending
    }
}
