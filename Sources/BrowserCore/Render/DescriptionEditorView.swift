/// `e`: the description editor, a box over the panes with the text wrapped to its width, a
/// block cursor, and a line saying where the cursor is and whether there are changes.
enum DescriptionEditorView {
    /// The box on a screen of a size.
    static func box(in size: TerminalSize) -> Rect {
        let width = max(10, min(size.width - 2, 84))
        let height = max(5, min(size.height - 6, 20))
        return Rect(x: (size.width - width) / 2, y: max(1, (size.height - height) / 2), width: width, height: height)
    }

    /// Where the text goes: inside the border, one column of margin, above the status row.
    /// The update function moves the cursor by wrapped rows of this width.
    static func textArea(in size: TerminalSize) -> Rect {
        let box = box(in: size)
        return Rect(x: box.x + 2, y: box.y + 1, width: max(2, box.width - 4), height: max(1, box.height - 3))
    }

    static func draw(_ dialog: DescriptionDialog, into grid: inout ScreenGrid, glyphs: Glyphs) {
        let size = TerminalSize(width: grid.width, height: grid.height)
        let box = box(in: size)
        let area = textArea(in: size)
        grid.fill(x: box.x, y: box.y, width: box.width, height: box.height, role: .dialog)
        grid.box(box, title: "Description of \(dialog.version.qualifiedName)", glyphs: glyphs, role: .dialogBorder,
                 titleRole: .dialogBorder)
        let editor = dialog.editor
        var row = 0
        for line in editor.lines {
            for wrapped in WrappedText.rows(of: line, width: area.width) {
                defer { row += 1 }
                let y = area.y + row - editor.top
                guard y >= area.y, y < area.y + area.height else { continue }
                grid.cell(String(line[wrapped.start..<wrapped.end]), x: area.x, y: y, width: area.width, role: .dialog)
            }
        }
        let cursor = editor.cursorPosition(width: area.width)
        let cursorY = area.y + cursor.row - editor.top
        if cursorY >= area.y, cursorY < area.y + area.height {
            let x = area.x + min(cursor.x, area.width - 1)
            if x < grid.width { grid.restyle(x: x, y: cursorY, width: max(1, Int(grid[x, cursorY].width)), role: .buttonFocus) }
        }
        let statusY = box.y + box.height - 2
        if let error = dialog.error {
            grid.cell(error, x: area.x, y: statusY, width: area.width, role: .danger)
        } else {
            let position = "line \(editor.line + 1)/\(editor.lines.count), column \(editor.column + 1)"
                + (dialog.isChanged ? " · changed" : "")
            let keys = "Ctrl-S saves · Esc closes"
            grid.cell(position, x: area.x, y: statusY, width: area.width, role: .dim)
            let keysWidth = DisplayWidth.width(of: keys)
            if DisplayWidth.width(of: position) + 2 + keysWidth <= area.width {
                grid.put(keys, x: area.x + area.width - keysWidth, y: statusY, role: .dim)
            }
        }
        if dialog.confirmingDiscard {
            DialogView.draw(.discardQuestion(dialog), into: &grid, glyphs: glyphs)
        }
    }
}
