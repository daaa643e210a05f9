import ArtifactStore

/// `D`: the diff view's state: what changed from `base` to `target`, as rows, and an open patch.
public struct DiffViewState: Hashable, Sendable {
    /// The version diffed against (the one before, or the marked one); nil until known.
    public var base: ArtifactVersion?
    /// The version `D` was pressed on.
    public var target: ArtifactVersion
    /// The diff, nil while loading.
    public var diff: VersionDiff?
    /// Lines above the file list: header, counts, description, aliases, metadata keys.
    public var infoRows: [DiffRow] = []
    /// Cursor and scroll over all rows (info rows, then one per file).
    public var position = ListPosition()
    /// The patch shown over the list after Enter on a file, if any.
    public var patch: PatchPage?

    /// Creates the view, loading.
    public init(target: ArtifactVersion, base: ArtifactVersion?) {
        self.target = target
        self.base = base
    }

    /// Rows in all.
    public var rowCount: Int { infoRows.count + (diff?.files.count ?? 0) }

    /// The file change on row `row`, if it is a file row.
    public func change(at row: Int) -> FileChange? {
        guard let files = diff?.files, row >= infoRows.count, row - infoRows.count < files.count else { return nil }
        return files[row - infoRows.count]
    }

    /// Row `row` as drawn; file rows are formatted on demand, so a 100,000-file diff costs only what is on screen.
    public func row(_ row: Int) -> DiffRow {
        if row < infoRows.count { return infoRows[row] }
        guard let change = change(at: row) else { return DiffRow(text: "", role: .normal) }
        return DiffRow.file(change)
    }

    /// Sets the loaded diff and lays out its info rows.
    mutating func load(_ diff: VersionDiff) {
        self.diff = diff
        base = diff.base
        var rows = [DiffRow(text: "\(diff.base.qualifiedName) → \(diff.target.qualifiedName)", role: .title)]
        let counts = FileChange.Kind.allCases.map { kind in "\(diff.count(kind)) \(kind.rawValue)" }
        rows.append(DiffRow(text: "files: " + counts.joined(separator: ", "), role: .dim))
        if diff.descriptionChanged {
            rows.append(DiffRow(text: "description: \(diff.base.description) → \(diff.target.description)", role: .normal))
        }
        if !diff.aliasesAdded.isEmpty || !diff.aliasesRemoved.isEmpty {
            let aliases = diff.aliasesAdded.map { "+" + $0 } + diff.aliasesRemoved.map { "-" + $0 }
            rows.append(DiffRow(text: "aliases: " + aliases.joined(separator: " "), role: .normal))
        }
        for change in diff.metadata {
            let text: String
            let role: StyleRole
            switch change.kind {
            case .added: (text, role) = ("+ \(change.key): \(change.target?.jsonText ?? "")", .success)
            case .removed: (text, role) = ("- \(change.key): \(change.base?.jsonText ?? "")", .danger)
            case .changed:
                (text, role) = ("~ \(change.key): \(change.base?.jsonText ?? "") → \(change.target?.jsonText ?? "")", .warning)
            }
            rows.append(DiffRow(text: "metadata " + text, role: role))
        }
        if diff.isEmpty { rows.append(DiffRow(text: "no differences", role: .dim)) }
        infoRows = rows
        // Start on the first file, where Enter does something.
        position = ListPosition(cursor: diff.files.isEmpty ? 0 : rows.count)
    }
}

/// One line of the diff view, with the role that colours it.
public struct DiffRow: Hashable, Sendable {
    /// The text.
    public var text: String
    /// Its colour: added files green, removed red, modified yellow, renamed as a badge.
    public var role: StyleRole

    /// Creates a row.
    public init(text: String, role: StyleRole) {
        self.text = text
        self.role = role
    }

    /// `A  path  size`, `M  path  old → new`, `R  old → new`, `D  path  size`, coloured by kind.
    static func file(_ change: FileChange) -> DiffRow {
        switch change.kind {
        case .added:
            return DiffRow(text: "A  \(change.path)  \(ByteSize.format(change.target?.size ?? 0))", role: .success)
        case .removed:
            return DiffRow(text: "D  \(change.path)  \(ByteSize.format(change.base?.size ?? 0))", role: .danger)
        case .modified:
            let sizes = "\(ByteSize.format(change.base?.size ?? 0)) → \(ByteSize.format(change.target?.size ?? 0))"
            return DiffRow(text: "M  \(change.path)  \(sizes)", role: .warning)
        case .renamed:
            return DiffRow(text: "R  \(change.base?.path ?? "") → \(change.path)", role: .badge)
        }
    }
}

/// A file's patch as shown in the diff view.
public struct PatchPage: Hashable, Sendable {
    /// The file.
    public var path: String
    /// The lines, nil while loading.
    public var lines: [String]?
    /// First line on screen.
    public var scroll = 0
}
