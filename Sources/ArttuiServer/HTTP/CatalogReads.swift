import ArtifactStore
import ArtifactStorePostgres

/// The catalog reads a server answers most, awaited: PostgreSQL's run without blocking a thread
/// (`PostgresCatalog.NonBlockingReads`), any other catalog's run its blocking calls off the
/// cooperative threads. Each answers exactly what the `Catalog` method of the same name answers.
protocol CatalogReads: Sendable {
    /// As `Catalog.projects()`.
    func projects() async throws -> [ProjectSummary]
    /// As `Catalog.artifacts(project:)`.
    func artifacts(project: String) async throws -> [ArtifactSummary]
    /// As `Catalog.versionPage(project:name:states:offset:limit:)`.
    func versionPage(project: String, name: String, states: Set<VersionState>, offset: Int, limit: Int)
        async throws -> (versions: [ArtifactVersion], total: Int)
    /// As `Catalog.version(project:name:reference:)`.
    func version(project: String, name: String, reference: ArtifactAddress.Reference) async throws -> ArtifactVersion
}

extension PostgresCatalog.NonBlockingReads: CatalogReads {}

/// A blocking catalog's reads, each run on `BlockingCalls.threads`.
struct OffloadedCatalogReads: CatalogReads {
    let catalog: any Catalog

    func projects() async throws -> [ProjectSummary] {
        try await offload { [catalog] in try catalog.projects() }
    }

    func artifacts(project: String) async throws -> [ArtifactSummary] {
        try await offload { [catalog] in try catalog.artifacts(project: project) }
    }

    func versionPage(project: String, name: String, states: Set<VersionState>, offset: Int, limit: Int)
        async throws -> (versions: [ArtifactVersion], total: Int)
    {
        try await offload { [catalog] in
            try catalog.versionPage(project: project, name: name, states: states, offset: offset, limit: limit)
        }
    }

    func version(project: String, name: String, reference: ArtifactAddress.Reference) async throws -> ArtifactVersion {
        try await offload { [catalog] in try catalog.version(project: project, name: name, reference: reference) }
    }
}
