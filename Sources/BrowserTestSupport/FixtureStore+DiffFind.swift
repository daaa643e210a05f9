import ArtifactStore
import BrowserCore
import Foundation

/// Diffs and searches over the fixture: file lists compared by path and digest in memory (the fixture has no
/// catalog), synthetic text for the patches of text files, and `find` expressions parsed by the real parser.
extension FixtureStore {
    public func previousVersion(versionID: Int64) throws -> ArtifactVersion? {
        let version = try version(id: versionID)
        guard let offset = try versionOffset(project: version.project, artifact: version.name, index: version.index ?? -1)
        else { return nil }
        return try versions(project: version.project, artifact: version.name, offset: offset + 1, limit: 1).first
    }

    public func diff(baseID: Int64, targetID: Int64) throws -> VersionDiff {
        let base = try version(id: baseID)
        let target = try version(id: targetID)
        let old = Dictionary(uniqueKeysWithValues: try files(versionID: baseID, offset: 0, limit: .max).map { ($0.path, $0) })
        let new = Dictionary(uniqueKeysWithValues: try files(versionID: targetID, offset: 0, limit: .max).map { ($0.path, $0) })
        let added = new.values.filter { old[$0.path] == nil }.sorted { $0.path < $1.path }
        let removed = old.values.filter { new[$0.path] == nil }.sorted { $0.path < $1.path }
        let modified = new.values.compactMap { entry -> FileChange? in
            guard let before = old[entry.path], before.digest != entry.digest else { return nil }
            return FileChange(kind: .modified, base: before, target: entry)
        }.sorted { $0.path < $1.path }
        return VersionDiff(base: base, target: target,
                           differences: FileDifferences(added: added, removed: removed, modified: modified))
    }

    public func patch(for change: FileChange, in diff: VersionDiff) throws -> FilePatch? {
        if change.kind == .renamed { return .renamed }
        func content(_ entry: ManifestEntry?, _ version: ArtifactVersion) -> Data? {
            guard let entry else { return nil }
            let isText = [".py", ".json", ".md", ".txt"].contains { entry.path.hasSuffix($0) }
            guard isText else { return Data([0, 1, 2]) + Data(entry.digest.utf8) }
            let lines = (0..<8).map { "line \($0) of \(entry.path)" } + ["digest \(entry.digest.prefix(12))"]
            return Data((lines.joined(separator: "\n") + "\n").utf8)
        }
        return FilePatch.make(old: content(change.base, diff.base), new: content(change.target, diff.target),
                              oldPath: change.base?.path, newPath: change.target?.path)
    }

    public func find(_ search: BrowserSearch) throws -> [ArtifactVersion] {
        let query = search.query
        var found: [ArtifactVersion] = []
        for project in try projects() where query.project == nil || query.project == project.name {
            for artifact in try artifacts(project: project.name) {
                let all = try versions(project: project.name, artifact: artifact.name, offset: 0, limit: .max)
                found += all.filter { version in query.conditions.allSatisfy { Self.holds($0, for: version) } }
            }
        }
        found.sort { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        return Array(found.prefix(query.limit ?? .max))
    }

    /// A stand-in for the catalog's SQL, enough for the fixture's own metadata (numbers, strings, objects).
    static func holds(_ expression: QueryExpression, for version: ArtifactVersion) -> Bool {
        switch expression {
        case .and(let a, let b): return holds(a, for: version) && holds(b, for: version)
        case .or(let a, let b): return holds(a, for: version) || holds(b, for: version)
        case .not(let a): return !holds(a, for: version)
        case .exists(let field): return value(field, in: version) != nil
        case .contains(let field, let needle):
            guard case .string(let text)? = value(field, in: version), case .string(let part) = needle else { return false }
            return text.contains(part)
        case .comparison(let field, let comparison, let literal):
            guard let actual = value(field, in: version) else { return false }
            let order: ComparisonResult
            switch (actual, literal) {
            case (.int(let a), .number(let b)): order = compare(Double(a), b)
            case (.double(let a), .number(let b)): order = compare(a, b)
            case (.int(let a), .size(let b)): order = compare(Double(a), Double(b))
            case (.string(let a), .string(let b)): order = a < b ? .orderedAscending : a == b ? .orderedSame : .orderedDescending
            default: return false
            }
            switch comparison {
            case .equal: return order == .orderedSame
            case .notEqual: return order != .orderedSame
            case .less: return order == .orderedAscending
            case .lessOrEqual: return order != .orderedDescending
            case .greater: return order == .orderedDescending
            case .greaterOrEqual: return order != .orderedAscending
            }
        }
    }

    private static func compare(_ a: Double, _ b: Double) -> ComparisonResult {
        a < b ? .orderedAscending : a == b ? .orderedSame : .orderedDescending
    }

    private static func value(_ field: QueryField, in version: ArtifactVersion) -> JSONValue? {
        switch field {
        case .size: return .int(version.size)
        case .files: return .int(Int64(version.fileCount))
        case .created: return .double(version.createdAt.timeIntervalSince1970)
        case .metadata(let keys):
            var current: JSONValue? = .object(version.metadata)
            for key in keys {
                guard case .object(let object)? = current else { return nil }
                current = object[key]
            }
            return current
        }
    }

    /// A stable 64-hex-digit digest of `text` (FNV-1a, repeated): fixture files need distinct, repeatable digests.
    static func fixtureDigest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return String(repeating: String(format: "%016llx", hash), count: 4)
    }
}
