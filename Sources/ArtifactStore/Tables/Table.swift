import Foundation
import SwiftCSV

/// A table stored as an entry of an artifact: named columns and rows of JSON values, kept as
/// `NAME.table.json` in the reference's shape `{"_type": "table", "columns": [...], "data": [[...]]}`.
public struct Table: Hashable, Sendable {
    /// The suffix of a table entry's file.
    public static let fileSuffix = ".table.json"

    /// Column names, in order.
    public var columns: [String]
    /// The rows, each as long as `columns`.
    public var rows: [[JSONValue]]

    /// Creates a table.
    public init(columns: [String], rows: [[JSONValue]]) {
        self.columns = columns
        self.rows = rows
    }

    /// Reads a table entry's JSON; `{"columns": ..., "data": ...}` without `_type` is accepted too.
    /// - Throws: `StoreError.invalidTable` naming `name` and what is wrong.
    public init(json data: Data, name: String) throws {
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw StoreError.invalidTable(name: name, reason: "is not a JSON object")
        }
        if let type = object["_type"], type != .string("table") {
            throw StoreError.invalidTable(name: name, reason: "has _type \(type.jsonText), not \"table\"")
        }
        guard case .array(let columnValues)? = object["columns"] else {
            throw StoreError.invalidTable(name: name, reason: "has no \"columns\" array")
        }
        let columns = try columnValues.map { value -> String in
            guard case .string(let column) = value else {
                throw StoreError.invalidTable(name: name, reason: "has a column name that is not a string")
            }
            return column
        }
        var rows: [[JSONValue]] = []
        if case .array(let data)? = object["data"] {
            for (number, row) in data.enumerated() {
                guard case .array(let cells) = row, cells.count == columns.count else {
                    throw StoreError.invalidTable(
                        name: name, reason: "row \(number + 1) does not have \(columns.count) cells")
                }
                rows.append(cells)
            }
        } else if object["data"] != nil {
            throw StoreError.invalidTable(name: name, reason: "has a \"data\" that is not an array of rows")
        }
        self.init(columns: columns, rows: rows)
    }

    /// Reads CSV text with a header line; cells that read as integers or numbers become numbers.
    /// - Throws: `StoreError.invalidTable` when the text is not CSV.
    public init(csv text: String, name: String) throws {
        let csv: EnumeratedCSV
        do {
            csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false)
        } catch {
            throw StoreError.invalidTable(name: name, reason: "is not valid CSV: \(error)")
        }
        guard !csv.header.isEmpty else { throw StoreError.invalidTable(name: name, reason: "has no header line") }
        let rows = try csv.rows.enumerated().map { number, row -> [JSONValue] in
            guard row.count == csv.header.count else {
                throw StoreError.invalidTable(
                    name: name, reason: "row \(number + 1) has \(row.count) cells, not \(csv.header.count)")
            }
            return row.map(Table.cell)
        }
        self.init(columns: csv.header, rows: rows)
    }

    /// The entry's JSON, in the reference's shape.
    public var jsonData: Data {
        let object: JSONValue = .object([
            "_type": .string("table"),
            "columns": .array(columns.map(JSONValue.string)),
            "data": .array(rows.map(JSONValue.array)),
        ])
        return Data(object.jsonText.utf8)
    }

    private static func cell(_ text: String) -> JSONValue {
        if let integer = Int64(text) { return .int(integer) }
        if let number = Double(text), number.isFinite, text.rangeOfCharacter(from: .letters) == nil {
            return .double(number)
        }
        return .string(text)
    }
}
