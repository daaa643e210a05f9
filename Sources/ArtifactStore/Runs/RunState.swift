/// Where a run is in its life.
public enum RunState: String, Codable, Sendable, CaseIterable {
    /// Started and not finished (or reopened with `resume`).
    case running
    /// Finished normally.
    case finished
    /// Finished with an error the run reported.
    case failed
    /// Stopped without finishing.
    case crashed
}
