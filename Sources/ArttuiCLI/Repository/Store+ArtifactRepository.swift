import ArtifactStore
import ArtifactWire
import Foundation

/// The embedded store is the local repository: each requirement is the store's own operation.
extension Store: ArtifactRepository {
    var location: String { directory.path }

    func address(_ text: String) throws -> ArtifactAddress { try ArtifactAddress(parsing: text) }

    func artifactPath(_ text: String) throws -> ArtifactPath { try ArtifactPath(parsing: text) }

    func scope(_ text: String) throws -> ProjectScope { try ProjectScope(parsing: text) }

    func project(_ text: String) throws -> String {
        try NameRules.validateProject(text)
        return text
    }

    func project(of path: ArtifactPath) -> String { path.project }

    func find(_ search: WireSearchQuery) throws -> [ArtifactVersion] {
        var query = try search.versionQuery()
        query.project = search.project
        return try find(query)
    }

    func removeAlias(_ alias: String, from artifact: ArtifactPath) throws -> ArtifactVersion {
        guard let holder = try holder(of: alias, in: artifact.project, artifact.name) else {
            throw StoreError.aliasNotFound(artifact: "\(artifact.project)/\(artifact.name)", alias: alias)
        }
        try removeAlias(alias, from: holder)
        return holder
    }

    func edit(_ version: ArtifactVersion, _ edit: VersionEdit) throws -> ArtifactVersion {
        let artifact = try artifact(version.qualifiedName)
        if let description = edit.description { artifact.description = description }
        if let metadata = edit.metadata { artifact.metadata = metadata }
        artifact.aliases = try VersionEdit.aliases(artifact.aliases, edit, version: version.qualifiedName)
        try artifact.save()
        return artifact.version
    }

    func deletionPlan(_ version: ArtifactVersion) throws -> DeletionPlan { try deletionPlan([version]) }

    func delete(_ version: ArtifactVersion, deleteAliases: Bool) throws -> DeletionPlan {
        try delete([version], deleteAliases: deleteAliases)
    }

    func prune(_ scope: ProjectScope, keepLast: Int, dryRun: Bool) throws -> DeletionPlan {
        dryRun
            ? try prunePlan(project: scope.project, artifact: scope.name, keepLast: keepLast)
            : try prune(project: scope.project, artifact: scope.name, keepLast: keepLast)
    }

    func runDetail(id: String) throws -> RunArtifacts {
        let run: Run = try run(id: id)
        return RunArtifacts(record: run.record, used: try run.usedArtifacts(), logged: try run.loggedArtifacts())
    }

    func startRun(in project: String, _ start: RunStartOptions) throws -> RunRecord {
        try startRun(
            project: project, id: start.id, resume: start.resume, name: start.name, group: start.group,
            jobType: start.jobType, sweep: start.sweep, config: start.config
        ).record
    }

    func log(run id: String, summary: [String: JSONValue]) throws {
        let run: Run = try run(id: id)
        try run.log(summary)
    }

    func finish(run id: String, state: RunState, summary: [String: JSONValue]) throws {
        let run: Run = try run(id: id)
        try run.finish(state: state, summary: summary)
    }

    func use(_ version: ArtifactVersion, run id: String) throws {
        let run: Run = try run(id: id)
        try run.useArtifact(version)
    }

    func sweepBest(project: String, sweep: String, metric: String, minimize: Bool) throws -> RunArtifacts {
        let best = try bestRun(project: project, sweep: sweep, metric: metric, minimize: minimize)
        return RunArtifacts(record: best, used: [], logged: try loggedArtifacts(of: best).filter { $0.state == .committed })
    }

    func verify(_ scope: RepositoryVerifyScope?, readData: Bool) throws -> VerificationReport {
        var verifier = StoreVerifier(store: self)
        verifier.readData = readData
        return try verifier.verify(verificationScope(scope))
    }

    /// The core's scope for a repository scope.
    func verificationScope(_ scope: RepositoryVerifyScope?) -> VerificationScope {
        switch scope {
        case nil: .store
        case .project(let project)?: .project(project)
        case .artifact(let project, let name)?: .artifact(project: project, name: name)
        case .version(let version)?: .version(id: version.id)
        }
    }
}

extension VersionEdit {
    /// The aliases `current` becomes under `edit`; a removal must name an alias the version has.
    static func aliases(_ current: [String], _ edit: VersionEdit, version: String) throws -> [String] {
        var aliases = current
        for alias in edit.removedAliases {
            guard let index = aliases.firstIndex(where: { Alias.key($0) == Alias.key(alias) }) else {
                throw StoreError.aliasNotFound(artifact: version, alias: alias)
            }
            aliases.remove(at: index)
        }
        for alias in edit.addedAliases where !aliases.contains(where: { Alias.key($0) == Alias.key(alias) }) {
            aliases.append(alias)
        }
        return aliases
    }
}
