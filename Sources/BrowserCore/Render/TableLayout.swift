/// A column of a list pane.
struct ColumnSpec {
    /// Heading.
    var title: String
    /// Columns it takes (the flexible column's minimum).
    var width: Int
    /// Numbers align right.
    var alignRight = false
    /// Which columns go first when the pane is narrow: lower stays longer.
    var priority = 0
    /// Whether the column is as wide as its widest text on screen (at least its title): names,
    /// aliases and runs do, fixed-format numbers and dates keep `width`. Such a column never
    /// takes more than `width`, except the flexible one, which wants its texts whole.
    var fitsContent = false
}

/// A column placed at an x position with its final width.
struct PlacedColumn {
    /// Index of the column among all the specs, so rows can give texts for every column.
    var index: Int
    var spec: ColumnSpec
    var x: Int
    var width: Int
}

/// Fits columns into a width: the flexible column (the name) takes what is left, narrow panes drop
/// the columns of highest priority number first.
enum TableLayout {
    /// The width each column wants for the rows given (one text per column, every row).
    static func widths(_ specs: [ColumnSpec], flexible: Int, rows: [[String]]) -> [Int] {
        specs.indices.map { index in
            let spec = specs[index]
            guard spec.fitsContent else { return spec.width }
            let widest = rows.reduce(DisplayWidth.width(of: spec.title)) { widest, row in
                index < row.count ? max(widest, DisplayWidth.width(of: row[index])) : widest
            }
            return index == flexible ? widest : min(widest, spec.width)
        }
    }

    /// Columns a table of these widths needs to show every column, the flexible one whole.
    static func neededWidth(_ widths: [Int]) -> Int {
        widths.reduce(0, +) + max(0, widths.count - 1)
    }

    /// Places columns of the given widths (by default each spec's own) in `width` columns. The
    /// flexible column gets at least its own width with `wholeFlexible` (names whole, other
    /// columns dropped first), else the smaller of that and its spec's width, and everything
    /// left over; columns are dropped by priority until the rest fits.
    static func fit(_ specs: [ColumnSpec], widths: [Int]? = nil, flexible: Int, width: Int, x: Int,
                    wholeFlexible: Bool = false) -> [PlacedColumn] {
        var least = widths ?? specs.map(\.width)
        if !wholeFlexible { least[flexible] = min(least[flexible], specs[flexible].width) }
        var kept = Set(specs.indices)
        func needed() -> Int { kept.reduce(0) { $0 + least[$1] } + max(0, kept.count - 1) }
        while needed() > width, kept.count > 1 {
            guard let drop = kept.filter({ $0 != flexible }).max(by: { specs[$0].priority < specs[$1].priority })
            else { break }
            kept.remove(drop)
        }
        var placed: [PlacedColumn] = []
        var column = x
        let extra = max(0, width - needed())
        for index in specs.indices where kept.contains(index) {
            let w = least[index] + (index == flexible ? extra : 0)
            let clipped = min(w, x + width - column)
            if clipped <= 0 { break }
            placed.append(PlacedColumn(index: index, spec: specs[index], x: column, width: clipped))
            column += w + 1
        }
        return placed
    }
}

extension ScreenGrid {
    /// Writes a row under placed columns (`texts` has one entry per spec, dropped columns
    /// included), filling the gaps in the row's role.
    mutating func tableRow(_ texts: [String], columns: [PlacedColumn], y: Int, x: Int, width: Int, role: StyleRole) {
        fill(x: x, y: y, width: width, height: 1, role: role)
        for column in columns where column.index < texts.count {
            cell(texts[column.index], x: column.x, y: y, width: column.width, role: role, alignRight: column.spec.alignRight)
        }
    }

    /// Restyles the first case-insensitive occurrence of `needle` in the text drawn at (x, y).
    mutating func highlight(_ needle: String?, in text: String, x: Int, y: Int, width: Int, role: StyleRole) {
        guard let needle, !needle.isEmpty else { return }
        let shown = DisplayWidth.truncate(text, to: width)
        guard let range = shown.range(of: needle, options: .caseInsensitive) else { return }
        let start = DisplayWidth.width(of: String(shown[..<range.lowerBound]))
        let length = DisplayWidth.width(of: String(shown[range]))
        restyle(x: x + start, y: y, width: min(length, width - start), role: role)
    }
}

import Foundation
