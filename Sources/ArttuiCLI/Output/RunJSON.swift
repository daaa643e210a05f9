import ArtifactStore
import Foundation

/// A run as `run show --json`, `runs ls --json` and `sweep best --json` print it.
struct RunJSON: Encodable {
    var id: String
    var project: String
    var name: String
    var group: String?
    var jobType: String?
    var sweep: String?
    var config: [String: JSONValue]
    var summary: [String: JSONValue]
    var state: String
    var startedAt: String
    var finishedAt: String?

    init(_ run: RunRecord) {
        id = run.id
        project = run.project
        name = run.name
        group = run.group
        jobType = run.jobType
        sweep = run.sweep
        config = run.config
        summary = run.summary
        state = run.state.rawValue
        startedAt = JSONOutput.timestamp(run.startedAt)
        finishedAt = run.finishedAt.map(JSONOutput.timestamp)
    }

    func encode(to encoder: Encoder) throws {
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
