/// The characters a lineage drawing is made of: box drawing with rounded corners, or plain ASCII
/// for a terminal or locale without UTF-8 (`+ - | > <`). Both draw the same picture cell for cell.
public struct LineageGlyphs: Hashable, Sendable {
    /// `─` `│`.
    public var horizontal: Character, vertical: Character
    /// Corners by arms: down-right, down-left, up-right, up-left (`╭ ╮ ╰ ╯`).
    public var downRight: Character, downLeft: Character, upRight: Character, upLeft: Character
    /// Tees by arms: up-down-right, up-down-left, left-right-down, left-right-up (`├ ┤ ┬ ┴`).
    public var teeRight: Character, teeLeft: Character, teeDown: Character, teeUp: Character
    /// Four arms of one structure: a meeting (`┼`), never a crossing.
    public var meeting: Character
    /// Arrowheads along and against the flow (`▶` `◀`).
    public var arrow: Character, reverseArrow: Character
    /// The bracket after a node's entry ports: first, middle, last (`┐ ┤ ┘`).
    public var bracketFirst: Character, bracketMiddle: Character, bracketLast: Character
    /// Cut text and folded neighbours (`…`).
    public var ellipsis: String

    /// Box drawing with rounded corners.
    public static let unicode = LineageGlyphs(
        horizontal: "─", vertical: "│", downRight: "╭", downLeft: "╮", upRight: "╰", upLeft: "╯",
        teeRight: "├", teeLeft: "┤", teeDown: "┬", teeUp: "┴", meeting: "┼", arrow: "▶", reverseArrow: "◀",
        bracketFirst: "┐", bracketMiddle: "┤", bracketLast: "┘", ellipsis: "…")

    /// Plain ASCII, corners as git-graph and sapling draw them.
    public static let ascii = LineageGlyphs(
        horizontal: "-", vertical: "|", downRight: ".", downLeft: ".", upRight: "'", upLeft: "'",
        teeRight: "+", teeLeft: "+", teeDown: "+", teeUp: "+", meeting: "+", arrow: ">", reverseArrow: "<",
        bracketFirst: ".", bracketMiddle: "+", bracketLast: "'", ellipsis: "...")

    /// The glyph of a line cell with the given arms (`LineageCanvas.up`, …).
    func line(_ arms: UInt8) -> Character {
        switch arms {
        case 0: return " "
        case Arms.left, Arms.right, Arms.left | Arms.right: return horizontal
        case Arms.up, Arms.down, Arms.up | Arms.down: return vertical
        case Arms.down | Arms.right: return downRight
        case Arms.down | Arms.left: return downLeft
        case Arms.up | Arms.right: return upRight
        case Arms.up | Arms.left: return upLeft
        case Arms.up | Arms.down | Arms.right: return teeRight
        case Arms.up | Arms.down | Arms.left: return teeLeft
        case Arms.left | Arms.right | Arms.down: return teeDown
        case Arms.left | Arms.right | Arms.up: return teeUp
        default: return meeting
        }
    }
}

/// The four arms a line cell can have, as bits.
enum Arms {
    static let up: UInt8 = 1, down: UInt8 = 2, left: UInt8 = 4, right: UInt8 = 8
    static let vertical: UInt8 = up | down, horizontal: UInt8 = left | right
}
