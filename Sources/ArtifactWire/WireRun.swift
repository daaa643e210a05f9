import ArtifactStore
import Foundation

/// A run as the server answers it and `run show --json`, `runs ls --json` and `sweep best --json` print it.
public struct WireRun: Codable, Sendable, Equatable {
    public var id: String
    public var project: String
    public var name: String
    @NullWhenAbsent public var group: String?
    @NullWhenAbsent public var jobType: String?
    @NullWhenAbsent public var sweep: String?
    public var config: [String: JSONValue]
    public var summary: [String: JSONValue]
    public var state: String
    public var startedAt: String
    @NullWhenAbsent public var finishedAt: String?

    /// Makes the shape of a core value.
    public init(_ run: RunRecord) {
        id = run.id
        project = run.project
        name = run.name
        group = run.group
        jobType = run.jobType
        sweep = run.sweep
        config = run.config
        summary = run.summary
        state = run.state.rawValue
        startedAt = WireTimestamp.string(run.startedAt)
        finishedAt = run.finishedAt.map(WireTimestamp.string)
    }
}

extension WireRun {
    /// The core's value, as a client shows it.
    public var record: RunRecord {
        RunRecord(
            id: id, project: project, name: name, group: group, jobType: jobType, sweep: sweep, config: config,
            summary: summary, state: RunState(rawValue: state) ?? .running,
            startedAt: WireTimestamp.date(startedAt) ?? Date(timeIntervalSince1970: 0),
            finishedAt: finishedAt.flatMap(WireTimestamp.date))
    }
}
