import ArgumentParser
import ArtifactStore
import ArtifactWire
import Foundation

/// `arttui runs ls PROJECT [--sweep S] [--group G] [--sort -summary.val_acc]`.
struct RunsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List the runs of a project, optionally of one sweep or group, sorted.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The project.")
    var project: String

    @Option(help: "Only runs of this sweep.")
    var sweep: String?

    @Option(help: "Only runs of this group.")
    var group: String?

    // Unconditional, so `--sort -summary.val_acc` reads the descending key instead of an option.
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Sort by name, state, started, summary.KEY or config.KEY; a leading '-' sorts descending.",
        valueName: "[-]key"))
    var sort: String?

    func run() throws {
        let store = try storeOptions.openRepository()
        var runs = try store.runs(in: store.project(project), sweep: sweep, group: group)
        if let sort { runs = try RunOrder(parsing: sort).sorted(runs) }
        if output.json { return try JSONOutput.print(runs.map(WireRun.init)) }
        let metricKeys = Array(Set(runs.flatMap(\.summary.keys))).sorted().prefix(4)
        TextTable(["ID", "NAME", "STATE", "JOB", "GROUP", "SWEEP", "STARTED"] + metricKeys.map { $0.uppercased() })
            .printing(runs.map { run in
                [run.id, run.name, run.state.rawValue, run.jobType ?? "-", run.group ?? "-", run.sweep ?? "-",
                 TextTable.date(run.startedAt)] + metricKeys.map { run.summary[$0].map(\.jsonText) ?? "-" }
            }, empty: "no runs in \(project)")
    }
}

/// A `--sort` key for runs.
struct RunOrder {
    enum Field {
        case name, state, started
        case summary(String)
        case config(String)
    }

    var field: Field
    var descending: Bool

    init(parsing text: String) throws {
        descending = text.hasPrefix("-")
        let key = descending ? String(text.dropFirst()) : text
        switch key {
        case "name": field = .name
        case "state": field = .state
        case "started", "startedAt", "created": field = .started
        default:
            if key.hasPrefix("summary."), key.count > 8 {
                field = .summary(String(key.dropFirst(8)))
            } else if key.hasPrefix("config."), key.count > 7 {
                field = .config(String(key.dropFirst(7)))
            } else {
                throw StoreError.invalidArgument(
                    "sort key \(text) is not name, state, started, summary.KEY or config.KEY (with an optional '-')")
            }
        }
    }

    /// The runs in this order; runs without the key come last either way.
    func sorted(_ runs: [RunRecord]) -> [RunRecord] {
        let keyed = runs.map { ($0, key(of: $0)) }
        let present = keyed.filter { $0.1 != nil }.sorted { lhs, rhs in
            descending ? lhs.1! > rhs.1! : lhs.1! < rhs.1!
        }
        return present.map(\.0) + keyed.filter { $0.1 == nil }.map(\.0)
    }

    private enum Key: Comparable {
        case number(Double)
        case text(String)
    }

    private func key(of run: RunRecord) -> Key? {
        func key(_ value: JSONValue?) -> Key? {
            switch value {
            case .int(let number)?: return .number(Double(number))
            case .double(let number)?: return .number(number)
            case .string(let text)?: return .text(text)
            case .bool(let flag)?: return .number(flag ? 1 : 0)
            default: return nil
            }
        }
        switch field {
        case .name: return .text(run.name)
        case .state: return .text(run.state.rawValue)
        case .started: return .number(run.startedAt.timeIntervalSince1970)
        case .summary(let metric): return key(run.summary[metric])
        case .config(let setting): return key(run.config[setting])
        }
    }
}
