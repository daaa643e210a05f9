/// What `startRun` does when a run with the given id exists, as the reference's `resume=`.
public enum RunResume: String, Sendable, CaseIterable {
    /// Reopen the run if it exists, else start it.
    case allow
    /// Reopen the run; fail if there is none.
    case must
    /// Start the run; fail if one with that id exists.
    case never
}
