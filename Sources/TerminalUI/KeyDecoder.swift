import BrowserCore
import CNCursesW

/// What one read from the terminal means.
enum TerminalInput: Equatable {
    case key(Key)
    case resize
    case mouse
    /// A bracketed paste begins: what follows up to `pasteEnd` is text, not keys.
    case pasteStart
    case pasteEnd
}

/// Turns `wget_wch` results into keys: control characters become chords (Ctrl-C is a key, not a
/// signal, since the terminal is in raw mode), function keys become named keys.
enum KeyDecoder {
    static func decode(status: Int32, value: UInt32) -> TerminalInput? {
        if status == KEY_CODE_YES { return functionKey(Int32(bitPattern: value)) }
        switch value {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 0: return nil
        case 1...26: return .key(.ctrl(Character(Unicode.Scalar(value + 96)!)))
        case 28...31: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }

    static func functionKey(_ code: Int32) -> TerminalInput? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_BTAB: return .key(.backTab)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_ENTER: return .key(.enter)
        case KEY_RESIZE: return .resize
        case KEY_MOUSE: return .mouse
        case ARTTUI_KEY_PASTE_START: return .pasteStart
        case ARTTUI_KEY_PASTE_END: return .pasteEnd
        case ARTTUI_KEY_CTRL_ENTER: return .key(.ctrlEnter)
        default:
            for n in 1...12 where arttui_key_f(Int32(n)) == code { return .key(.function(n)) }
            return nil
        }
    }
}
