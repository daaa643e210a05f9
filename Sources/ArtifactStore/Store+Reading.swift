import Foundation

extension Store {
    /// All projects.
    public func projects() throws -> [ProjectSummary] { try catalog.projects() }

    /// The artifacts of a project.
    public func artifacts(in project: String) throws -> [ArtifactSummary] {
        try catalog.artifacts(project: NameRules.validateProject(project))
    }

    /// The committed versions of an artifact, newest first (pending ones first when asked for).
    public func versions(
        of project: String, _ name: String, offset: Int = 0, limit: Int = .max, includePending: Bool = false
    ) throws -> [ArtifactVersion] {
        try catalog.versions(
            project: project, name: name, states: includePending ? [.committed, .pending] : [.committed],
            offset: offset, limit: limit)
    }

    /// How many committed versions an artifact has.
    public func versionCount(of project: String, _ name: String) throws -> Int {
        try catalog.versionCount(project: project, name: name, states: [.committed])
    }

    /// Where committed version `index` sits among the artifact's versions, newest first (0 = newest).
    public func position(ofVersion index: Int, in project: String, _ name: String) throws -> Int? {
        try catalog.versionPosition(project: project, name: name, index: index)
    }

    /// The committed version an address points at.
    public func version(_ address: ArtifactAddress) throws -> ArtifactVersion {
        try catalog.version(project: address.project, name: address.name, reference: address.reference)
    }

    /// The committed version a textual address such as `project/name:v3` points at.
    public func version(_ address: String) throws -> ArtifactVersion {
        try version(ArtifactAddress(parsing: address))
    }

    /// A version by catalog id.
    public func version(id: Int64) throws -> ArtifactVersion { try catalog.version(id: id) }

    /// A version's files, by path.
    public func files(of version: ArtifactVersion, offset: Int = 0, limit: Int = .max) throws -> [ManifestEntry] {
        try catalog.manifest(versionID: version.id, offset: offset, limit: limit)
    }

    /// A handle on a version whose description, metadata and aliases can be changed and saved,
    /// like the reference's `api.artifact("project/name:alias")`.
    public func artifact(_ address: String) throws -> Artifact {
        Artifact(store: self, version: try version(address))
    }

    /// Points a hand-set alias at a version; returns the version it moved from, if another held it.
    @discardableResult
    public func addAlias(_ alias: String, to version: ArtifactVersion) throws -> ArtifactVersion? {
        try catalog.setAlias(Alias.validateManual(alias), versionID: version.id)
    }

    /// The version of `project/name` holding `alias`, if any.
    public func holder(of alias: String, in project: String, _ name: String) throws -> ArtifactVersion? {
        do {
            return try catalog.version(project: project, name: name, reference: .alias(alias))
        } catch StoreError.versionNotFound {
            return nil
        }
    }

    /// Removes a hand-set alias from a version.
    public func removeAlias(_ alias: String, from version: ArtifactVersion) throws {
        try catalog.removeAlias(alias, versionID: version.id)
    }

    /// Changes a version's description and/or metadata (`nil` leaves a field as it is).
    public func update(_ version: ArtifactVersion, description: String? = nil, metadata: [String: JSONValue]? = nil)
        throws
    {
        if let description { try NameRules.validateDescription(description) }
        if let metadata { try Metadata.validate(metadata) }
        try catalog.updateVersion(id: version.id, description: description, metadata: metadata)
    }
}
