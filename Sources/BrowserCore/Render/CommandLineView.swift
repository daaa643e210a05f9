/// `:`: the command line in place of the status line, with Tab's candidates or the refusal
/// on the row above.
enum CommandLineView {
    static func draw(_ line: CommandLineState, into grid: inout ScreenGrid, glyphs: Glyphs) {
        let y = grid.height - 2
        guard y >= 1 else { return }
        grid.fill(x: 0, y: y, width: grid.width, height: 1, role: .input)
        var shown = ":" + line.field.text + glyphs.cursor
        while DisplayWidth.width(of: shown) > grid.width, shown.count > 1 { shown.remove(at: shown.index(after: shown.startIndex)) }
        grid.put(shown, x: 0, y: y, role: .input)
        let above = y - 1
        guard above >= 1 else { return }
        if let error = line.error {
            grid.fill(x: 0, y: above, width: grid.width, height: 1, role: .danger)
            grid.cell(" " + error, x: 0, y: above, width: grid.width, role: .danger)
        } else if !line.candidates.isEmpty {
            grid.fill(x: 0, y: above, width: grid.width, height: 1, role: .dialog)
            grid.cell(" " + line.candidates.joined(separator: "  "), x: 0, y: above, width: grid.width, role: .dialog)
        }
    }
}
