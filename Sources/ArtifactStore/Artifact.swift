import Foundation

/// A version opened for editing, shaped like the reference's `Artifact`: change `description`,
/// `metadata` or `aliases`, then `save()`.
///
/// ```swift
/// let artifact = try store.artifact("car-vision-project/bike-dataset:latest")
/// artifact.description = "My new description"
/// artifact.metadata["oldKey"] = .string("new value")
/// artifact.aliases.append("best")
/// try artifact.save()
/// ```
public final class Artifact {
    /// The store it belongs to.
    public let store: Store
    /// The version as last loaded or saved.
    public private(set) var version: ArtifactVersion
    /// The description to save.
    public var description: String
    /// The metadata to save.
    public var metadata: [String: JSONValue]
    /// The aliases to save, `latest` included if the version has it (it cannot be added or removed).
    public var aliases: [String]

    init(store: Store, version: ArtifactVersion) {
        self.store = store
        self.version = version
        self.description = version.description
        self.metadata = version.metadata
        self.aliases = version.aliases
    }

    /// Persists the changed description, metadata and aliases.
    /// - Throws: `StoreError` for an invalid alias or metadata, or `latest` added or removed by hand;
    ///   nothing is changed then.
    public func save() throws {
        let wanted = aliases.filter { $0 != Alias.latest }
        let current = version.manualAliases
        if aliases.contains(Alias.latest) != version.aliases.contains(Alias.latest) {
            throw StoreError.invalidAlias(alias: Alias.latest, rule: "is managed by the store and cannot be set by hand")
        }
        try Alias.validateManual(wanted, keeping: current)
        try Metadata.validate(metadata)
        try NameRules.validateDescription(description)
        let wantedKeys = Set(wanted.map(Alias.key))
        for alias in current where !wantedKeys.contains(Alias.key(alias)) {
            try store.removeAlias(alias, from: version)
        }
        let currentKeys = Set(current.map(Alias.key))
        for alias in wanted where !currentKeys.contains(Alias.key(alias)) {
            try store.addAlias(alias, to: version)
        }
        try store.update(
            version,
            description: description == version.description ? nil : description,
            metadata: metadata == version.metadata ? nil : metadata)
        try reload()
    }

    /// Re-reads the version from the catalog, discarding unsaved changes.
    public func reload() throws {
        version = try store.version(id: version.id)
        description = version.description
        metadata = version.metadata
        aliases = version.aliases
    }

    /// The version's files.
    public func files() throws -> [ManifestEntry] { try store.files(of: version) }

    /// Deletes the version; refused while it has hand-set aliases unless `deleteAliases`.
    @discardableResult
    public func delete(deleteAliases: Bool = false) throws -> DeletionPlan {
        try store.delete([version], deleteAliases: deleteAliases)
    }
}
