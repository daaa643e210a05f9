/// The characters lines and marks are drawn with: box drawing in a UTF-8 locale, ASCII otherwise.
struct Glyphs: Sendable {
    let horizontal: Character
    let vertical: Character
    let topLeft: Character
    let topRight: Character
    let bottomLeft: Character
    let bottomRight: Character
    let teeRight: Character
    let teeLeft: Character
    let arrow: Character
    let ellipsis: String
    let bullet: Character
    let cursor: String
    let spinner: [String]

    static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        teeRight: "├", teeLeft: "┤", arrow: "▶", ellipsis: "…", bullet: "•", cursor: "▏",
        spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"])

    static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        teeRight: "+", teeLeft: "+", arrow: ">", ellipsis: "...", bullet: "*", cursor: "_",
        spinner: ["|", "/", "-", "\\"])

    static func `for`(unicode: Bool) -> Glyphs { unicode ? .unicode : .ascii }
}

extension ScreenGrid {
    /// Draws a box border with a title in its top edge.
    mutating func box(_ rect: Rect, title: String, glyphs: Glyphs, role: StyleRole, titleRole: StyleRole) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let right = rect.x + rect.width - 1
        let bottom = rect.y + rect.height - 1
        let line = String(repeating: glyphs.horizontal, count: rect.width - 2)
        put(String(glyphs.topLeft) + line + String(glyphs.topRight), x: rect.x, y: rect.y, role: role)
        put(String(glyphs.bottomLeft) + line + String(glyphs.bottomRight), x: rect.x, y: bottom, role: role)
        for y in (rect.y + 1)..<bottom {
            put(String(glyphs.vertical), x: rect.x, y: y, role: role)
            put(String(glyphs.vertical), x: right, y: y, role: role)
        }
        if !title.isEmpty, rect.width > 4 {
            put(" " + DisplayWidth.truncate(title, to: rect.width - 6) + " ", x: rect.x + 2, y: rect.y, role: titleRole)
        }
    }

    /// Writes text cut to `width` columns (ending in `…` when cut) and pads the rest with spaces
    /// in the same role.
    mutating func cell(_ text: String, x: Int, y: Int, width: Int, role: StyleRole, alignRight: Bool = false) {
        guard width > 0 else { return }
        put(DisplayWidth.fit(text, to: width, alignRight: alignRight), x: x, y: y, role: role, maxWidth: width)
    }
}
