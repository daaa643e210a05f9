import Foundation

extension Store {
    /// Starts a run, or reopens the run `id` as `resume` says (the reference's `wandb.init(id:resume:)`).
    ///
    /// Without an id, one is generated: 8 lowercase base-36 characters.
    /// - Throws: `StoreError.runExists` / `.runNotFound` when `resume` forbids the case at hand,
    ///   `.runInAnotherProject` when the id is another project's run (ids are unique in a store, so it
    ///   can be neither started nor reopened here), `.invalidName` for a bad project, id or name,
    ///   `.invalidMetadata` for a config that is not a JSON object.
    public func startRun(
        project: String, id: String? = nil, resume: RunResume = .never, name: String? = nil, group: String? = nil,
        jobType: String? = nil, sweep: String? = nil, config: [String: JSONValue] = [:]
    ) throws -> Run {
        try NameRules.validateProject(project)
        let runID = try id.map(Store.validateRunID) ?? Store.generateRunID()
        for (kind, value) in [("run", name), ("group", group), ("job type", jobType), ("sweep", sweep)] {
            if let value { try Store.validateRunLabel(value, kind: kind) }
        }
        try Metadata.validate(config)
        if id != nil, let existing = try? catalog.run(id: runID), existing.project != project {
            throw StoreError.runInAnotherProject(id: runID)
        }
        let record = RunRecord(
            id: runID, project: project, name: name ?? runID, group: group, jobType: jobType, sweep: sweep,
            config: config)
        return Run(store: self, record: try catalog.startRun(record, resume: resume))
    }

    /// A handle on an existing run.
    /// - Throws: `StoreError.runNotFound`.
    public func run(id: String) throws -> Run {
        Run(store: self, record: try catalog.run(id: id))
    }

    /// The runs of a project, oldest first, optionally only those of a sweep and/or group.
    public func runs(in project: String, sweep: String? = nil, group: String? = nil) throws -> [RunRecord] {
        try catalog.runs(project: NameRules.validateProject(project), sweep: sweep, group: group)
    }

    /// A new run id: 8 random lowercase base-36 characters, like the reference's.
    public static func generateRunID() -> String {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        return String((0..<8).map { _ in alphabet.randomElement()! })
    }

    /// The rule of ``validateRunID(_:)`` as a regular expression, for the server's OpenAPI document.
    public static let runIDPattern = "^[A-Za-z0-9_.-]{1,64}$"

    /// Checks a run id (or a distributed id) given by hand: 1 to 64 letters, digits, '-', '_' or '.'.
    /// - Throws: `StoreError.invalidName`.
    @discardableResult
    public static func validateRunID(_ id: String) throws -> String {
        let allowed = id.unicodeScalars.allSatisfy {
            ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || "-_.".unicodeScalars.contains($0)
        }
        guard !id.isEmpty, id.count <= 64, allowed else {
            throw StoreError.invalidName(
                kind: "run id", value: id, rule: "may only contain 1 to 64 letters, digits, '-', '_' and '.'")
        }
        return id
    }

    /// The line-break rule of ``validateRunLabel(_:kind:)`` as a regular expression, for the server's
    /// OpenAPI document (which states the length as `minLength` 1 and `maxLength` 128: JSON Schema counts
    /// code points where the check counts characters, so a decomposed accent is the one difference).
    public static let runLabelPattern = #"^[^\n\r\x0b\x0c\x85\u2028\u2029]+$"#

    /// Checks a run's name, group, job type or sweep: one line, at most 128 characters.
    /// - Throws: `StoreError.invalidName` naming `kind`.
    public static func validateRunLabel(_ value: String, kind: String) throws {
        guard !value.isEmpty, value.count <= 128, !value.contains(where: \.isNewline) else {
            throw StoreError.invalidName(kind: kind, value: value, rule: "must be one line of 1 to 128 characters")
        }
    }
}
