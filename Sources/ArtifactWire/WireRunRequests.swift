import ArtifactStore
import Foundation

/// The body of `POST …/runs`: `run start`'s options.
public struct WireRunStart: Codable, Sendable, Equatable {
    public var id: String?
    /// `allow`, `must` or `never` (the default).
    public var resume: String?
    public var name: String?
    public var group: String?
    public var jobType: String?
    public var sweep: String?
    public var config: [String: JSONValue]?

    /// Creates the body.
    public init(
        id: String? = nil, resume: String? = nil, name: String? = nil, group: String? = nil, jobType: String? = nil,
        sweep: String? = nil, config: [String: JSONValue]? = nil
    ) {
        self.id = id
        self.resume = resume
        self.name = name
        self.group = group
        self.jobType = jobType
        self.sweep = sweep
        self.config = config
    }
}

/// The body of `POST …/runs/{run}/log` and `…/finish`.
public struct WireRunSummaryChange: Codable, Sendable, Equatable {
    /// Metrics merged into the run's summary.
    public var summary: [String: JSONValue]?
    /// For finish: `finished` (the default), `failed` or `crashed`.
    public var state: String?

    /// Creates the body.
    public init(summary: [String: JSONValue]? = nil, state: String? = nil) {
        self.summary = summary
        self.state = state
    }
}

/// The body of `POST …/runs/{run}/uses`: the version a run used, in the run's project unless `project` names another.
public struct WireRunUse: Codable, Sendable, Equatable {
    /// `ENTITY/PROJECT`, or nil for the run's own project.
    public var project: String?
    public var artifact: String
    /// `latest`, `vN` or an alias.
    public var version: String

    /// Creates the body.
    public init(project: String? = nil, artifact: String, version: String) {
        self.project = project
        self.artifact = artifact
        self.version = version
    }
}

/// The body of `POST …/artifacts/{artifact}/pending/{distributedID}/finish`.
public struct WirePendingFinish: Codable, Sendable, Equatable {
    /// The run that finishes it, which becomes its producer.
    public var run: String?

    /// Creates the body.
    public init(run: String? = nil) { self.run = run }
}
