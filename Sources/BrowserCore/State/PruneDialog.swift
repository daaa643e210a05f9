import ArtifactStore
/// `P`: the prune menu for an artifact, or for every artifact of a project.
public struct PruneDialog: Hashable, Sendable {
    /// The project.
    public var project: String
    /// The artifact, or nil for the whole project.
    public var artifact: String?
    /// Keep the newest N versions of each artifact even when unaliased; empty means 0.
    public var keepLast = TextField()
    /// What would go, for the `keepLast` the preview was computed for.
    public var preview: DeletionPlan?
    /// The keep-last value the shown preview belongs to.
    public var previewKeepLast: Int?
    /// Why the keep-last text is refused, shown in place.
    public var error: String?
    /// 0 = keep-last field, 1 = Yes, 2 = No. Starts on No.
    public var focus = 2

    /// What is pruned: `project/artifact` or `project (all artifacts)`.
    public var subject: String {
        artifact.map { "\(project)/\($0)" } ?? "\(project) (all artifacts)"
    }

    /// The keep-last text read by the rule `arttui prune --keep-last` and the `:` line use (empty is 0).
    private var keepLastReading: Result<Int, InvalidNumber> {
        keepLast.text.isEmpty ? .success(0) : Result { () throws(InvalidNumber) in try NumberRule.count.read(keepLast.text) }
    }

    /// The keep-last value typed, or nil when it is not a number.
    var keepLastValue: Int? { try? keepLastReading.get() }

    /// Why the keep-last text is refused (`keep-last must be a whole number of 0 or more, got x`), or nil.
    var keepLastRefusal: String? {
        guard case .failure(let refusal) = keepLastReading else { return nil }
        return refusal.naming("keep-last")
    }
}
