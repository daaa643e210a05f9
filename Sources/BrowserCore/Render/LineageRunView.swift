import ArtifactStore

/// A run opened from the lineage view: id, name, job type, state, config, summary, and the versions
/// it used and logged, one fact a line.
enum LineageRunView {
    static func draw(_ run: RunDetail, scroll: Int, into grid: inout ScreenGrid, rect: Rect) {
        let lines = self.lines(run)
        let first = min(max(0, scroll), max(0, lines.count - rect.height))
        for (offset, line) in lines.dropFirst(first).prefix(rect.height).enumerated() {
            grid.cell(line.text, x: rect.x, y: rect.y + offset, width: rect.width, role: line.role)
        }
    }

    static func lines(_ run: RunDetail) -> [(text: String, role: StyleRole)] {
        let record = run.record
        var lines: [(String, StyleRole)] = [
            ("run \(record.name)", .title),
            ("id        \(record.id)", .normal),
            ("project   \(record.project)", .normal),
            ("job type  \(record.jobType ?? "-")", .normal),
            ("state     \(record.state.rawValue)", .normal),
        ]
        if let group = record.group { lines.append(("group     \(group)", .normal)) }
        if let sweep = record.sweep { lines.append(("sweep     \(sweep)", .normal)) }
        for (heading, values) in [("config", record.config), ("summary", record.summary)] {
            lines.append(("", .normal))
            lines.append((heading, .title))
            if values.isEmpty { lines.append(("  -", .dim)) }
            for key in values.keys.sorted() { lines.append(("  \(key) = \(values[key]!.jsonText)", .normal)) }
        }
        for (heading, versions) in [("used", run.used), ("logged", run.logged)] {
            lines.append(("", .normal))
            lines.append((heading, .title))
            if versions.isEmpty { lines.append(("  -", .dim)) }
            for version in versions { lines.append(("  \(version)", .normal)) }
        }
        lines.append(("", .normal))
        lines.append(("Esc returns to the graph", .dim))
        return lines
    }
}
