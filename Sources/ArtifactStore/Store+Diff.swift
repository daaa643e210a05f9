import Foundation

extension Store {
    /// What changed from `base` to `target`: files (by digest, in the catalog), metadata, description, aliases.
    /// - Throws: ``CatalogCapabilityError`` when the catalog cannot compare versions; `StoreError.catalog`.
    public func diff(from base: ArtifactVersion, to target: ArtifactVersion) throws -> VersionDiff {
        guard let comparison = catalog as? any VersionComparison else {
            throw CatalogCapabilityError(operation: "diff", catalog: String(describing: type(of: catalog)))
        }
        let differences = try comparison.fileDifferences(base: base.id, target: target.id)
        return VersionDiff(base: base, target: target, differences: differences)
    }

    /// The committed version of the same artifact numbered just below `version` (deleted numbers are skipped),
    /// or nil when `version` is the first.
    public func previousVersion(of version: ArtifactVersion) throws -> ArtifactVersion? {
        guard let position = try position(ofVersion: version.index ?? -1, in: version.project, version.name) else {
            return nil
        }
        return try versions(of: version.project, version.name, offset: position + 1, limit: 1).first
    }

    /// A change as a unified diff, reading both sides from the store; files over `sizeLimit` bytes and
    /// non-text files are reported as such, unread.
    public func patch(
        for change: FileChange, in diff: VersionDiff, sizeLimit: Int64 = FilePatch.defaultSizeLimit
    ) throws -> FilePatch? {
        try FilePatch.make(for: change, in: diff, sizeLimit: sizeLimit) { try contents(of: $0, in: $1) }
    }
}
