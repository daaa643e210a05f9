/// A key press as the browser sees it, decoded by the terminal backend.
public enum Key: Hashable, Sendable {
    /// A printable character (`j`, `/`, `é`, `漢`).
    case char(Character)
    /// A control chord: `.ctrl("c")` is Ctrl-C. Letters are lowercase.
    case ctrl(Character)
    case up, down, left, right
    case home, end, pageUp, pageDown
    case enter, escape, tab, backTab, backspace, delete
    /// A function key, `F1` is `.function(1)`.
    case function(Int)
    /// A left click at a screen position (only with `--mouse`).
    case click(x: Int, y: Int)
    /// The mouse wheel: negative scrolls up.
    case wheel(Int)
    /// Ctrl-Enter, where the terminal tells it from Enter (xterm's modifyOtherKeys, CSI u).
    case ctrlEnter
    /// Text pasted in one go (bracketed paste), newlines included.
    case paste(String)

    /// How help and the footer name the key.
    public var label: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-\(String(c).uppercased())"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .function(let n): return "F\(n)"
        case .click: return "click"
        case .wheel: return "wheel"
        case .ctrlEnter: return "Ctrl-Enter"
        case .paste: return "paste"
        }
    }
}
