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

    /// The numbers keep-last takes, here and on the `:` line, as `arttui prune --keep-last` takes them.
    static let keepLastRule = NumberRule<Int>.wholeNumber(from: 0)

    /// The keep-last value typed, or nil when it is not a number.
    var keepLastValue: Int? {
        keepLast.text.isEmpty ? 0 : try? Self.keepLastRule.read(keepLast.text)
    }

    /// Why the keep-last text is refused (`keep-last must be a whole number of 0 or more, got x`), or nil.
    var keepLastRefusal: String? {
        guard !keepLast.text.isEmpty else { return nil }
        do throws(InvalidNumber) {
            _ = try Self.keepLastRule.read(keepLast.text)
            return nil
        } catch {
            return error.naming("keep-last")
        }
    }
}
