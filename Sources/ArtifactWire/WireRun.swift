import ArtifactStore
import Foundation

/// A run as the server answers it and `run show --json`, `runs ls --json` and `sweep best --json` print it.
public struct WireRun: Codable, Sendable, Equatable {
    public var id: String
    public var project: String
    public var name: String
    public var group: String?
    public var jobType: String?
    public var sweep: String?
    public var config: [String: JSONValue]
    public var summary: [String: JSONValue]
    public var state: String
    public var startedAt: String
    public var finishedAt: String?

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

    /// Encodes every field, absent optionals as null.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(project, forKey: .project)
        try container.encode(name, forKey: .name)
        try container.encode(group, forKey: .group)
        try container.encode(jobType, forKey: .jobType)
        try container.encode(sweep, forKey: .sweep)
        try container.encode(config, forKey: .config)
        try container.encode(summary, forKey: .summary)
        try container.encode(state, forKey: .state)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, project, name, group, jobType, sweep, config, summary, state, startedAt, finishedAt
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
