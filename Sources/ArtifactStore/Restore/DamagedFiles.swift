import Foundation

extension StoreError {
    /// Whether this error is about one damaged file of a version (so the other files can still be restored).
    var isDamagedFile: Bool {
        if case .damagedFile = self { return true }
        return false
    }

    /// Whether this error says stored or cached bytes are missing or wrong.
    var isCorruptData: Bool {
        if case .corruptData = self { return true }
        return false
    }
}

extension Store {
    /// One error for all the damaged files of a restore: the first by path, saying how many more there are.
    static func summarize(_ damaged: [StoreError]) -> StoreError? {
        let files = damaged.compactMap { error -> (version: String, path: String, detail: String)? in
            guard case let .damagedFile(version, path, detail) = error else { return nil }
            return (version, path, detail)
        }.sorted { $0.path < $1.path }
        guard let first = files.first else { return nil }
        guard files.count > 1 else { return damaged[0] }
        return .damagedFile(
            version: first.version, path: first.path,
            detail: "\(first.detail) (and \(files.count - 1) more damaged files; the other files were restored)")
    }
}
