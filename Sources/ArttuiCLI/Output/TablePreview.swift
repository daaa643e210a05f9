import ArtifactStore
import Foundation

/// Prints a table entry as `show --table` does: aligned columns, strings bare, other values as JSON.
enum TablePreview {
    static func print(_ table: Table, json: Bool) throws {
        if json {
            return try JSONOutput.print(TableJSON(columns: table.columns, data: table.rows))
        }
        let numeric = Set(table.columns.indices.filter { column in
            table.rows.allSatisfy { row in
                switch row[column] {
                case .int, .double: return true
                default: return false
                }
            }
        })
        TextTable(table.columns, rightAligned: table.rows.isEmpty ? [] : numeric)
            .printing(table.rows.map { $0.map(cell) }, empty: TextTable(table.columns).render([]).joined())
    }

    private static func cell(_ value: JSONValue) -> String {
        if case .string(let text) = value { return TextTable.firstLine(text) }
        return value.jsonText
    }

    private struct TableJSON: Encodable {
        var columns: [String]
        var data: [[JSONValue]]
    }
}
