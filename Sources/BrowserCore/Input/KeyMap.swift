/// The browser's key table, declared once: dispatch, the help overlay and the footer hints
/// are all generated from it.
public enum KeyMap {
    /// Every binding, in the order help lists them.
    public static let bindings: [KeyBinding] = [
        KeyBinding([.char("j"), .down], .moveDown, .browse, help: "Move down"),
        KeyBinding([.char("k"), .up], .moveUp, .browse, hint: "move", help: "Move up", footerKeys: "j/k"),
        KeyBinding([.char("g"), .home], .moveTop, .browse, help: "First row"),
        KeyBinding([.char("G"), .end], .moveBottom, .browse, help: "Last row"),
        KeyBinding([.pageDown], .pageDown, .browse, help: "Page down"),
        KeyBinding([.pageUp], .pageUp, .browse, help: "Page up"),
        KeyBinding([.ctrl("d")], .halfPageDown, .browse, help: "Half a page down"),
        KeyBinding([.ctrl("u")], .halfPageUp, .browse, help: "Half a page up"),
        KeyBinding([.enter, .char("l"), .right], .open, .browse, hint: "open", help: "Open the selection"),
        KeyBinding([.escape, .char("h"), .left], .back, .browse, hint: "back", help: "Back to the pane before"),
        KeyBinding([.tab], .nextPane, .browse, help: "Next pane"),
        KeyBinding([.backTab], .previousPane, .browse, help: "Previous pane"),
        KeyBinding([.char("1")], .focusPane(1), .browse, help: "Projects pane"),
        KeyBinding([.char("2")], .focusPane(2), .browse, help: "Artifacts pane"),
        KeyBinding([.char("3")], .focusPane(3), .browse, help: "Versions pane"),
        KeyBinding([.char("4")], .focusPane(4), .browse, help: "Detail pane"),
        KeyBinding([.char("a")], .addAlias, .browse, hint: "alias", help: "Add an alias to the version"),
        KeyBinding([.char("x")], .removeAlias, .browse, help: "Remove one of the version's aliases"),
        KeyBinding([.char("e")], .editDescription, .browse, hint: "describe", help: "Edit the version's description"),
        KeyBinding([.char("d")], .deleteVersion, .browse, hint: "delete", help: "Delete the version"),
        KeyBinding([.char("P")], .prune, .browse, hint: "prune", help: "Prune unaliased versions"),
        KeyBinding([.char("L")], .lineage, .browse, hint: "lineage", help: "Lineage of the version"),
        KeyBinding([.char("C")], .cache, .browse, hint: "cache", help: "Cache sizes and cleanup"),
        KeyBinding([.char("D")], .diff, .browse, help: "Diff against previous or marked"),
        KeyBinding([.char("m")], .markVersion, .browse, help: "Mark/unmark the version for D"),
        KeyBinding([.char("F")], .search, .browse, help: "Find versions by metadata"),
        KeyBinding([.char("E")], .editDescriptionExternally, .browse, help: "Edit the description in $VISUAL or $EDITOR"),
        KeyBinding([.char("M")], .editMetadata, .browse, help: "Set or remove a metadata key"),
        KeyBinding([.char("/")], .filter, .browse, hint: "filter", help: "Filter the list as you type"),
        KeyBinding([.char(":")], .commandLine, .browse, hint: "command", help: "Command line (alias, prune, get, diff…)"),
        KeyBinding([.char("n")], .nextMatch, .browse, help: "Next match"),
        KeyBinding([.char("N")], .previousMatch, .browse, help: "Previous match"),
        KeyBinding([.char("r")], .reload, .browse, help: "Reload (reconnects)"),
        KeyBinding([.char("?")], .help, .browse, hint: "help", help: "Show or hide this help"),
        KeyBinding([.char("q")], .quit, .browse, hint: "quit", help: "Quit"),
        KeyBinding([.up, .char("k")], .moveUp, .lineage, help: "Node above"),
        KeyBinding([.down, .char("j")], .moveDown, .lineage, help: "Node below"),
        KeyBinding([.left, .char("h")], .previousPane, .lineage, help: "Layer to the left (inputs)"),
        KeyBinding([.right, .char("l")], .nextPane, .lineage, help: "Layer to the right (outputs)"),
        KeyBinding([.enter], .open, .lineage, hint: "open", help: "Open a version, a run or +N more"),
        KeyBinding([.char("+"), .char("=")], .deeper, .lineage, hint: "depth", help: "One hop more up and down",
                   footerKeys: "+/-"),
        KeyBinding([.char("-")], .shallower, .lineage, help: "One hop less up and down"),
        KeyBinding([.char("H")], .panLeft, .lineage, hint: "pan", help: "Pan left a layer", footerKeys: "HJKL"),
        KeyBinding([.char("L")], .panRight, .lineage, help: "Pan right a layer"),
        KeyBinding([.char("K"), .pageUp], .panUp, .lineage, help: "Pan up half a screen"),
        KeyBinding([.char("J"), .pageDown], .panDown, .lineage, help: "Pan down half a screen"),
        KeyBinding([.escape, .char("q")], .cancel, .lineage, hint: "close", help: "Close the run or the view"),
        KeyBinding([.enter], .confirm, .cache, hint: "clean up", help: "Clean up to the size typed"),
        KeyBinding([.char("r")], .reload, .cache, help: "Measure again"),
        KeyBinding([.escape], .cancel, .cache, hint: "close", help: "Close the cache view"),
        KeyBinding([.enter], .confirm, .dialog, hint: "confirm", help: "Confirm the focused choice"),
        KeyBinding([.escape], .cancel, .dialog, hint: "cancel", help: "Cancel"),
        KeyBinding([.tab, .right], .nextField, .dialog, hint: "switch", help: "Next field or button"),
        KeyBinding([.backTab, .left], .previousField, .dialog, help: "Previous field or button"),
        KeyBinding([.down, .char("j")], .moveDown, .diff, help: "Next row"),
        KeyBinding([.up, .char("k")], .moveUp, .diff, help: "Previous row"),
        KeyBinding([.pageDown], .pageDown, .diff, help: "Page down"),
        KeyBinding([.pageUp], .pageUp, .diff, help: "Page up"),
        KeyBinding([.enter], .open, .diff, hint: "patch", help: "Show the selected file's patch"),
        KeyBinding([.escape, .char("q")], .cancel, .diff, hint: "close", help: "Close the patch, then the diff"),
        KeyBinding([.enter], .confirm, .search, hint: "search/jump", help: "Search, or jump to the version"),
        KeyBinding([.down], .moveDown, .search, help: "Next result (j in the list)"),
        KeyBinding([.up], .moveUp, .search, help: "Previous result (k in the list)"),
        KeyBinding([.tab], .nextField, .search, hint: "edit/list", help: "Switch: expression / results"),
        KeyBinding([.escape], .cancel, .search, hint: "close", help: "Close the search"),
        KeyBinding([.ctrl("s"), .ctrlEnter], .save, .editor, hint: "save", help: "Save the description"),
        KeyBinding([.escape], .cancel, .editor, hint: "cancel", help: "Close (asks before dropping changes)"),
        KeyBinding([.enter], .newLine, .editor, hint: "new line", help: "Break the line"),
        KeyBinding([.up], .moveUp, .editor, help: "Row above"),
        KeyBinding([.down], .moveDown, .editor, help: "Row below"),
        KeyBinding([.pageUp], .pageUp, .editor, help: "A screen of rows up"),
        KeyBinding([.pageDown], .pageDown, .editor, help: "A screen of rows down"),
        KeyBinding([.left], .cursorLeft, .editor, help: "Character before"),
        KeyBinding([.right], .cursorRight, .editor, help: "Character after"),
        KeyBinding([.home, .ctrl("a")], .rowStart, .editor, help: "Start of the row"),
        KeyBinding([.end, .ctrl("e")], .rowEnd, .editor, help: "End of the row"),
        KeyBinding([.backspace], .deleteBackward, .editor, help: "Delete before the cursor"),
        KeyBinding([.delete, .ctrl("d")], .deleteForward, .editor, help: "Delete under the cursor"),
        KeyBinding([.enter], .confirm, .metadata, hint: "set", help: "Set the key to the JSON value"),
        KeyBinding([.ctrl("r")], .removeKey, .metadata, hint: "remove key", help: "Remove the key"),
        KeyBinding([.tab, .backTab], .nextField, .metadata, hint: "key/value", help: "Switch between key and value"),
        KeyBinding([.up], .moveUp, .metadata, help: "Pick the key above"),
        KeyBinding([.down], .moveDown, .metadata, hint: "pick", help: "Pick the key below", footerKeys: "↑/↓"),
        KeyBinding([.escape], .cancel, .metadata, hint: "close", help: "Close"),
        KeyBinding([.enter], .confirm, .commandLine, hint: "run", help: "Run the command"),
        KeyBinding([.tab], .complete, .commandLine, hint: "complete", help: "Complete the command or its argument"),
        KeyBinding([.up], .historyBack, .commandLine, help: "Command before"),
        KeyBinding([.down], .historyForward, .commandLine, hint: "history", help: "Command after", footerKeys: "↑/↓"),
        KeyBinding([.escape], .cancel, .commandLine, hint: "cancel", help: "Close the command line"),
        KeyBinding([.char("j"), .down], .moveDown, .help, help: "Scroll down"),
        KeyBinding([.char("k"), .up], .moveUp, .help, hint: "scroll", help: "Scroll up", footerKeys: "j/k"),
        KeyBinding([.pageDown, .char(" ")], .pageDown, .help, hint: "page", help: "A screen down", footerKeys: "PgDn/PgUp"),
        KeyBinding([.pageUp], .pageUp, .help, help: "A screen up"),
        KeyBinding([.char("g"), .home], .moveTop, .help, help: "To the top"),
        KeyBinding([.char("G"), .end], .moveBottom, .help, help: "To the bottom"),
        KeyBinding([.escape, .char("q"), .char("?"), .enter], .cancel, .help, hint: "close", help: "Close the help"),
        KeyBinding([.ctrl("c")], .quit, .global, help: "Quit from anywhere"),
        KeyBinding([.ctrl("l")], .redraw, .global, help: "Redraw the screen"),
    ]

    /// The action a key triggers in a context, if any; global bindings are tried last.
    public static func action(for key: Key, in context: BindingContext) -> Action? {
        if let found = lookup[LookupKey(key: key, context: context)] { return found }
        return lookup[LookupKey(key: key, context: .global)]
    }

    /// Footer hints for a context: `key hint` pairs in table order.
    public static func hints(for context: BindingContext) -> [(key: String, hint: String)] {
        bindings.filter { $0.context == context && $0.hint != nil }.map { ($0.footerKeys ?? $0.keys[0].label, $0.hint!) }
    }

    private struct LookupKey: Hashable {
        var key: Key
        var context: BindingContext
    }

    private static let lookup: [LookupKey: Action] = {
        var table: [LookupKey: Action] = [:]
        for binding in bindings {
            for key in binding.keys where table[LookupKey(key: key, context: binding.context)] == nil {
                table[LookupKey(key: key, context: binding.context)] = binding.action
            }
        }
        return table
    }()
}
