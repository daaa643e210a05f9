import ArtifactStore

/// The detail pane: the version's facts, description, metadata as pretty JSON, and its files.
enum DetailPaneView {
    /// One line of the detail text.
    struct Line {
        var text: String
        var role: StyleRole
        var trailing: String? = nil
    }

    static func draw(_ state: BrowserState, into grid: inout ScreenGrid, rect: Rect, focused: Bool) {
        guard let version = state.selectedVersion else {
            // An unreachable store leaves the versions unread: that is not an artifact without versions.
            let unreachable = state.selectedArtifact != nil && state.storeUnreachable
            let text = state.selectedArtifact == nil ? "no version selected"
                : unreachable ? BrowserRenderer.unreachableHint(state)
                : state.versionsSettled && state.versionRowCount == 0 ? "nothing to show: the artifact has no versions"
                : "loading…"
            for (row, line) in wrap(text, width: max(1, rect.width)).prefix(rect.height).enumerated() {
                grid.cell(line, x: rect.x, y: rect.y + row, width: rect.width, role: unreachable ? .danger : .dim)
            }
            return
        }
        let lines = self.lines(for: version, files: state.fileLists[version.id], state: state, width: rect.width)
        let top = min(state.detailScroll, max(0, lines.count - rect.height))
        for (row, line) in lines.dropFirst(top).prefix(rect.height).enumerated() {
            let y = rect.y + row
            if let trailing = line.trailing {
                let trailingWidth = min(rect.width, DisplayWidth.width(of: trailing))
                grid.cell(line.text, x: rect.x, y: y, width: max(0, rect.width - trailingWidth - 1), role: line.role)
                grid.cell(trailing, x: rect.x + rect.width - trailingWidth, y: y, width: trailingWidth, role: .dim, alignRight: true)
            } else {
                grid.cell(line.text, x: rect.x, y: y, width: rect.width, role: line.role)
            }
        }
    }

    /// All lines of the detail text; files only as far as loaded.
    static func lines(for version: ArtifactVersion, files: FileList?, state: BrowserState, width: Int) -> [Line] {
        var lines: [Line] = [
            Line(text: version.qualifiedName, role: .title),
            Line(text: "type     \(version.type)", role: .normal),
            Line(text: "aliases  \(version.aliases.isEmpty ? "-" : version.aliases.joined(separator: ", "))", role: .normal),
            Line(text: "created  \(Formatting.date(version.createdAt, in: state.timeZone))", role: .normal),
            Line(text: "size     \(Formatting.bytes(version.size)) in \(Formatting.counted(version.fileCount, "file"))", role: .normal),
            Line(text: "added    \(Formatting.addedBytes(version.addedBytes))", role: .normal),
            Line(text: "run      \(version.loggedBy ?? "-")", role: .normal),
            Line(text: "digest   \(version.digest)", role: .dim),
            Line(text: "", role: .normal),
            Line(text: "Description", role: .title),
        ]
        let description = version.description.isEmpty ? "(none; press e to write one)" : version.description
        lines += wrap(description, width: max(1, width)).map { Line(text: $0, role: version.description.isEmpty ? .dim : .normal) }
        lines.append(Line(text: "", role: .normal))
        lines.append(Line(text: "Metadata", role: .title))
        if version.metadata.isEmpty {
            lines.append(Line(text: "{}", role: .dim))
        } else {
            lines += JSONValue.object(version.metadata).prettyJSONText.split(separator: "\n", omittingEmptySubsequences: false)
                .map { Line(text: String($0), role: .normal) }
        }
        lines.append(Line(text: "", role: .normal))
        lines.append(Line(text: "Files (\(Formatting.count(version.fileCount)))", role: .title))
        guard let files else {
            lines.append(Line(text: "loading…", role: .dim))
            return lines
        }
        // A reference entry names where its bytes live.
        lines += files.files.map { file in
            Line(text: file.reference.map { "\(file.path) -> \($0.uri)" } ?? file.path, role: .normal,
                 trailing: Formatting.bytes(file.size))
        }
        if !files.complete {
            lines.append(Line(text: "… more files (scroll down)", role: .dim))
        }
        return lines
    }

    /// Splits text into lines of at most `width` columns, at spaces where possible.
    static func wrap(_ text: String, width: Int) -> [String] {
        var out: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var used = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                let w = DisplayWidth.width(of: String(word))
                if used > 0, used + 1 + w > width {
                    out.append(line)
                    line = ""
                    used = 0
                }
                if used > 0 {
                    line += " "
                    used += 1
                }
                line += word
                used += w
            }
            out.append(line)
        }
        return out
    }
}
