import BrowserCore

/// Writes key sequences as text: plain characters are themselves, named keys go in angle
/// brackets: `<Enter> <Esc> <Tab> <S-Tab> <Up> <Down> <Left> <Right> <Home> <End> <PgUp> <PgDn>
/// <Bksp> <Del> <C-c> <C-u> <C-d> <C-Enter>`.
public enum Keys {
    /// The keys a script stands for.
    public static func parse(_ script: String) -> [Key] {
        var keys: [Key] = []
        var rest = Substring(script)
        while let first = rest.first {
            if first == "<", let close = rest.firstIndex(of: ">"), let key = named(String(rest[rest.index(after: rest.startIndex)..<close])) {
                keys.append(key)
                rest = rest[rest.index(after: close)...]
            } else {
                keys.append(.char(first))
                rest = rest.dropFirst()
            }
        }
        return keys
    }

    static func named(_ name: String) -> Key? {
        switch name {
        case "Enter": return .enter
        case "Esc": return .escape
        case "Tab": return .tab
        case "S-Tab": return .backTab
        case "Up": return .up
        case "Down": return .down
        case "Left": return .left
        case "Right": return .right
        case "Home": return .home
        case "End": return .end
        case "PgUp": return .pageUp
        case "PgDn": return .pageDown
        case "Bksp": return .backspace
        case "Del": return .delete
        case "C-Enter": return .ctrlEnter
        default:
            if name.hasPrefix("C-"), name.count == 3 { return .ctrl(name.last!) }
            return nil
        }
    }
}
