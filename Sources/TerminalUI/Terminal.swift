import BrowserCore
import CNCursesW
import Foundation

/// Why the terminal cannot host the browser.
struct TerminalUnsupported: Error, CustomStringConvertible {
    var description: String
}

/// The ncurses screen: set up in raw mode, copies grids out, reads keys. `close()` restores the
/// terminal and must run on every exit path.
final class Terminal {
    let window: UnsafeMutablePointer<WINDOW>
    let unicode: Bool
    private var palette: ColorPalette?
    private var closed = false
    private var lastGrid: ScreenGrid?

    /// Checks the terminal, then takes it over.
    /// - Throws: `TerminalUnsupported` for `TERM=dumb`, an unknown terminal, no cursor
    ///   addressing, or no terminal at all. Nothing has been changed on the screen then.
    init(environment: [String: String], mouse: Bool) throws {
        let term = environment["TERM"] ?? ""
        if term.isEmpty || term == "dumb" {
            throw TerminalUnsupported(description: "the browser needs a terminal with cursor addressing; TERM is \(term.isEmpty ? "not set" : "\"dumb\"") (try TERM=xterm-256color, or use the subcommands: arttui ls, arttui show)")
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalUnsupported(description: "the browser needs a terminal: standard input and output must be a TTY (use the subcommands in scripts)")
        }
        setlocale(LC_ALL, "")
        var status: Int32 = 0
        guard setupterm(nil, STDOUT_FILENO, &status) == OK else {
            throw TerminalUnsupported(description: "terminal type \"\(term)\" is unknown to ncurses (try TERM=xterm-256color)")
        }
        guard arttui_has_cursor_addressing() != 0 else {
            throw TerminalUnsupported(description: "terminal type \"\(term)\" has no cursor addressing (cup); the browser cannot draw on it")
        }
        unicode = String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        guard let screen = initscr() else {
            throw TerminalUnsupported(description: "ncurses could not start on this terminal")
        }
        window = screen
        raw()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        curs_set(0)
        if mouse {
            _ = mousemask(arttui_all_mouse_events(), nil)
            mouseinterval(0)
        }
        arttui_define_keys()
        Self.setBracketedPaste(true)
    }

    /// Asks the terminal to mark pasted text (`ESC[200~ … ESC[201~`), so a paste of many lines
    /// arrives as text rather than as keys (whose Enter would act).
    private static func setBracketedPaste(_ on: Bool) {
        let sequence = Array((on ? "\u{1b}[?2004h" : "\u{1b}[?2004l").utf8)
        _ = sequence.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    /// Gives the terminal back for a program that needs it (the user's editor): the screen as
    /// the shell had it, cooked mode, no bracketed paste. `resume()` takes it again.
    func suspend() {
        Self.setBracketedPaste(false)
        def_prog_mode()
        endwin()
    }

    /// Takes the terminal again after `suspend()` and repaints every cell on the next draw.
    func resume() {
        reset_prog_mode()
        Self.setBracketedPaste(true)
        repaint()
        doupdate()
    }

    /// Sets colours up from a theme.
    func usePalette(_ palette: ColorPalette) {
        self.palette = palette
    }

    /// Columns and rows now.
    var size: TerminalSize {
        TerminalSize(width: Int(arttui_width(window)), height: Int(arttui_height(window)))
    }

    /// Copies a grid to the screen, each cell at its absolute position, and shows it.
    func draw(_ grid: ScreenGrid) {
        if grid.width != lastGrid?.width || grid.height != lastGrid?.height { werase(window) }
        var current: StyleRole?
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if cell.width == 0 { continue }
                if let last = lastGrid, last.width == grid.width, last.height == grid.height, last[x, y] == cell { continue }
                if cell.role != current {
                    palette?.apply(cell.role, to: window)
                    current = cell.role
                }
                put(cell, x: x, y: y)
            }
        }
        lastGrid = grid
        wnoutrefresh(window)
        doupdate()
    }

    /// Forgets what is on screen so the next draw repaints everything (after a resize).
    func invalidate() {
        lastGrid = nil
    }

    /// Clears the terminal and repaints every cell on the next draw (Ctrl-L).
    func repaint() {
        invalidate()
        clearok(window, true)
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        var text = String(cell.character)
        let first = cell.character.unicodeScalars.first!
        // Should the terminal library disagree with the grid on a width, draw placeholders of the
        // grid's width so the columns after it stay where the grid put them.
        if (!unicode && !first.isASCII) || Int(arttui_wcwidth(wchar_t(first.value))) != Int(cell.width) {
            text = cell.width == 2 ? "??" : "?"
        }
        _ = mvwaddnstr(window, Int32(y), Int32(x), text, -1)
    }

    /// Waits up to `timeout` ms (-1: for ever) for input.
    func read(timeout: Int32) -> TerminalInput? {
        wtimeout(window, timeout)
        var value: wint_t = 0
        let status = wget_wch(window, &value)
        if status == ERR { return nil }
        return KeyDecoder.decode(status: status, value: UInt32(value))
    }

    /// A click or wheel step, if the mouse event was one.
    func mouseKey() -> Key? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        if event.bstate & arttui_button4_pressed() != 0 { return .wheel(-1) }
        if arttui_button5_pressed() != 0, event.bstate & arttui_button5_pressed() != 0 { return .wheel(1) }
        if event.bstate & arttui_button1_clicked() != 0 { return .click(x: Int(event.x), y: Int(event.y)) }
        return nil
    }

    /// Restores the terminal; safe to call more than once.
    func close() {
        guard !closed else { return }
        closed = true
        Self.setBracketedPaste(false)
        endwin()
    }
}
