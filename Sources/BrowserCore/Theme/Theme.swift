/// A colour in a theme: the terminal's own, or one of the 256 indexed colours.
public enum ThemeColor: Hashable, Sendable {
    /// The terminal's default foreground or background (`-1` for ncurses).
    case terminalDefault
    /// 0-7 the basic colours, 8-15 their bright forms, 16-255 the 256-colour palette.
    case indexed(Int)

    /// The nearest of the eight basic colours, for 8-colour terminals.
    public var basic: ThemeColor {
        guard case .indexed(let n) = self, n >= 8 else { return self }
        if n < 16 { return .indexed(n - 8) }
        if n >= 232 { return .indexed(n < 244 ? 0 : 7) }  // the grey ramp
        let cube = n - 16
        let (r, g, b) = (cube / 36, (cube / 6) % 6, cube % 6)
        let bits = (r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0)
        return .indexed(bits)
    }
}

/// Text attributes a theme may ask for; monochrome terminals get only bold and reverse.
public enum TextAttribute: String, Hashable, Sendable, CaseIterable {
    case bold, reverse, underline, dim
}

/// How one style role looks.
public struct ThemeStyle: Hashable, Sendable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var attributes: Set<TextAttribute>

    /// Creates a style.
    public init(foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault,
                attributes: Set<TextAttribute> = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

/// A colour theme: a style for every role. Loaded from a `.theme` file (see `ThemeParser`).
public struct Theme: Hashable, Sendable {
    /// The theme's name (its file name without `.theme`).
    public var name: String
    /// Styles by role; roles not listed are drawn plain.
    public var styles: [StyleRole: ThemeStyle]

    /// Creates a theme.
    public init(name: String, styles: [StyleRole: ThemeStyle]) {
        self.name = name
        self.styles = styles
    }

    /// The style of a role.
    public func style(_ role: StyleRole) -> ThemeStyle { styles[role] ?? ThemeStyle() }

    /// For `NO_COLOR` and `--color never`: bold and reverse only, so selection and danger still show.
    public static let monochrome: Theme = {
        var styles: [StyleRole: ThemeStyle] = [:]
        for role in StyleRole.allCases {
            switch role {
            case .selected, .buttonFocus, .headerFocus, .status, .input:
                styles[role] = ThemeStyle(attributes: [.reverse])
            case .title, .group, .danger, .warning, .key, .badge, .badgeLatest, .borderFocus, .match,
                .selectedInactive, .dialogBorder, .success, .spinner, .nodeRun, .edgeFocus:
                styles[role] = ThemeStyle(attributes: [.bold])
            default:
                break
            }
        }
        styles[.danger] = ThemeStyle(attributes: [.bold, .reverse])
        return Theme(name: "monochrome", styles: styles)
    }()
}
