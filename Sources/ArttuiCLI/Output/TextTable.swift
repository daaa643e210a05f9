import ArtifactStore
import BrowserCore
import Foundation

/// Columns aligned by display width, as `ls` and `show --files` print them.
struct TextTable {
    var headers: [String]
    var rightAligned: Set<Int>

    init(_ headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    /// The table as lines; the last column is never padded.
    func render(_ rows: [[String]]) -> [String] {
        // A control character in a cell (a file named with a line break or a tab) is written as an escape,
        // so a row never spills onto the next line or out of its column.
        let all = ([headers] + rows).map { $0.map { EscapedText.oneLine($0) } }
        var widths = [Int](repeating: 0, count: headers.count)
        for row in all {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], TextTable.width(cell)) }
        }
        return all.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - TextTable.width(cell))
                if rightAligned.contains(column) { return padding + cell }
                return column == row.count - 1 ? cell : cell + padding
            }.joined(separator: "  ")
        }
    }

    /// Prints the table, or `empty` when there are no rows.
    func printing(_ rows: [[String]], empty: String) {
        if rows.isEmpty {
            print(empty)
            return
        }
        for line in render(rows) { print(line) }
    }

    /// Columns a string takes in a terminal.
    static func width(_ text: String) -> Int {
        DisplayWidth.width(of: text)
    }

    /// A local date and time to the minute.
    static func date(_ date: Date) -> String {
        dateFormatter.string(from: date)
    }

    /// Made once: creating a formatter costs more than formatting a row. Formatting with a
    /// `DateFormatter` is thread-safe, and the command line formats from one thread anyway.
    private static let dateFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter
    }()

    /// The first line of a text, for one-line cells.
    static func firstLine(_ text: String) -> String {
        text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
    }
}
