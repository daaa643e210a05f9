import Foundation

/// A run as the catalog records it: one execution of a script that uses and logs artifact versions.
public struct RunRecord: Hashable, Sendable, Identifiable {
    /// Unique in the store: given, or 8 lowercase base-36 characters like the reference's.
    public var id: String
    /// The project the run belongs to.
    public var project: String
    /// A display name (the id when none was given).
    public var name: String
    /// Runs started together, such as parallel writers; `nil` when none.
    public var group: String?
    /// What kind of work the run does, such as `train` or `eval`.
    public var jobType: String?
    /// The sweep the run belongs to, if any.
    public var sweep: String?
    /// Hyperparameters and settings (a JSON object).
    public var config: [String: JSONValue]
    /// Final metrics (a JSON object), updated with `run log`.
    public var summary: [String: JSONValue]
    /// Running, finished, failed or crashed.
    public var state: RunState
    /// When the run started.
    public var startedAt: Date
    /// When it finished, if it has.
    public var finishedAt: Date?

    /// Creates a run record.
    public init(
        id: String, project: String, name: String, group: String? = nil, jobType: String? = nil,
        sweep: String? = nil, config: [String: JSONValue] = [:], summary: [String: JSONValue] = [:],
        state: RunState = .running, startedAt: Date = Date(), finishedAt: Date? = nil
    ) {
        self.id = id
        self.project = project
        self.name = name
        self.group = group
        self.jobType = jobType
        self.sweep = sweep
        self.config = config
        self.summary = summary
        self.state = state
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    /// A summary metric as a number, when it is one.
    public func metric(_ key: String) -> Double? {
        switch summary[key] {
        case .int(let value)?: return Double(value)
        case .double(let value)?: return value
        default: return nil
        }
    }
}
