import BrowserCore
import CNCursesW

/// Colour pairs and attributes for every style role, set up once from a theme.
struct ColorPalette {
    private var attributes: [StyleRole: attr_t] = [:]
    private var pairs: [StyleRole: Int32] = [:]

    /// Sets up pairs for a theme; with `useColor` false (or no colours) only bold and reverse.
    init(theme: Theme, useColor: Bool) {
        let colorful = useColor && has_colors() && start_color() == OK
        let active = colorful ? theme : Theme.monochrome
        if colorful { use_default_colors() }
        let colorCount = colorful ? Int(arttui_colors()) : 0
        for (offset, role) in StyleRole.allCases.enumerated() {
            let style = active.style(role)
            var attrs = arttui_a_normal()
            for attribute in style.attributes {
                switch attribute {
                case .bold: attrs |= arttui_a_bold()
                case .reverse: attrs |= arttui_a_reverse()
                case .underline: if colorful { attrs |= arttui_a_underline() }
                case .dim: if colorful { attrs |= arttui_a_dim() }
                }
            }
            attributes[role] = attrs
            guard colorful, offset + 1 < Int(arttui_color_pairs()) else { continue }
            let pair = Int32(offset + 1)
            init_pair(Int16(pair), Self.number(style.foreground, colors: colorCount),
                      Self.number(style.background, colors: colorCount))
            pairs[role] = pair
        }
    }

    /// Applies a role's look to a window.
    func apply(_ role: StyleRole, to window: UnsafeMutablePointer<WINDOW>) {
        _ = arttui_set_style(window, attributes[role] ?? arttui_a_normal(), pairs[role] ?? 0)
    }

    /// The ncurses colour number: -1 for the terminal's default, the nearest basic colour on
    /// terminals with fewer colours than asked for.
    private static func number(_ color: ThemeColor, colors: Int) -> Int16 {
        switch color {
        case .terminalDefault: return -1
        case .indexed(let n) where n < colors: return Int16(n)
        case .indexed:
            if case .indexed(let basic) = color.basic, basic < max(colors, 8) { return Int16(basic) }
            return -1
        }
    }
}
