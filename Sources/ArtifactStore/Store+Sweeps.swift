import Foundation

extension Store {
    /// The best run of a sweep by a numeric summary metric (highest, or lowest with `minimize`), as in
    /// the reference's "find an artifact from the best run in a sweep". Runs without the metric are skipped.
    /// - Throws: `StoreError.rankedRunNotFound` when no run of the sweep has the metric as a number.
    public func bestRun(project: String, sweep: String, metric: String, minimize: Bool = false) throws -> RunRecord {
        let scored = try runs(in: project, sweep: sweep).compactMap { run in run.metric(metric).map { (run, $0) } }
        // Ties go to the run that started first, so the answer does not change between calls.
        let best = scored.min { lhs, rhs in minimize ? lhs.1 < rhs.1 : lhs.1 > rhs.1 }
        guard let best else {
            throw StoreError.rankedRunNotFound(sweep: sweep, project: project, metric: metric)
        }
        return best.0
    }
}
