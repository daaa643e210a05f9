import ArtifactStore
import Foundation
import PostgresNIO

extension PostgresCatalog {
    /// The reads a server answers most, run from async code without blocking a thread and as prepared
    /// statements; each answers exactly what the `Catalog` method of the same name answers.
    public var nonBlocking: NonBlockingReads { NonBlockingReads(catalog: self) }

    /// See `nonBlocking`.
    ///
    /// A blocking catalog call from a request handler hops from the event loop to a thread pool, whose
    /// thread then waits on the connection's event loop, and back: four thread switches per statement,
    /// each a wait for a core when the machine is busy. These reads await the connection directly.
    public struct NonBlockingReads: Sendable {
        let catalog: PostgresCatalog

        /// As `Catalog.projects()`.
        public func projects() async throws -> [ProjectSummary] {
            try await catalog.pool.withConnection { session in
                try await session.rows(CatalogReadStatement.Projects.self, PostgresBindings())
                    .map(PostgresCatalog.projectSummary)
            }
        }

        /// As `Catalog.artifacts(project:)`.
        public func artifacts(project: String) async throws -> [ArtifactSummary] {
            try await catalog.pool.withConnection { session in
                let summaries = try await session.rows(CatalogReadStatement.Artifacts.self, catalog.binds(project))
                    .map { try PostgresCatalog.artifactSummary($0, project: project) }
                if summaries.isEmpty, try await session.rows(PostgresCatalog.projectIDQuery(project)).isEmpty {
                    throw StoreError.projectNotFound(project: project)
                }
                return summaries
            }
        }

        /// As `Catalog.versionPage(project:name:states:offset:limit:)`.
        public func versionPage(project: String, name: String, states: Set<VersionState>, offset: Int, limit: Int)
            async throws -> (versions: [ArtifactVersion], total: Int)
        {
            let page: (versions: [ArtifactVersion], total: Int)? = try await catalog.pool.withConnection { session in
                let bindings = catalog.binds(project, name, states.map(\.rawValue), limit, offset)
                let rows = states.contains(.pending)
                    ? try await session.rows(CatalogReadStatement.VersionPageWithPending.self, bindings)
                    : try await session.rows(CatalogReadStatement.VersionPage.self, bindings)
                guard let first = rows.first else { return nil }
                return (try PostgresCatalog.versionRecords(rows: rows), try first[17].decode(Int.self))
            }
            if let page { return page }
            // Nothing on this page: the blocking read names what is missing, or counts a page past the end.
            return try await PostgresConnectionPool.awaitingBlocking { [catalog] in
                try catalog.versionPage(project: project, name: name, states: states, offset: offset, limit: limit)
            }
        }

        /// As `Catalog.version(project:name:reference:)`.
        public func version(project: String, name: String, reference: ArtifactAddress.Reference) async throws
            -> ArtifactVersion
        {
            let found: ArtifactVersion? = try await catalog.pool.withConnection { session in
                let bindings = catalog.versionBinds(project, name, reference)
                let rows: [PostgresRandomAccessRow]
                switch reference {
                case .latest: rows = try await session.rows(CatalogReadStatement.LatestVersion.self, bindings)
                case .index: rows = try await session.rows(CatalogReadStatement.NumberedVersion.self, bindings)
                case .alias: rows = try await session.rows(CatalogReadStatement.AliasedVersion.self, bindings)
                }
                return try PostgresCatalog.versionRecords(rows: rows).first
            }
            if let found { return found }
            // Not found: the blocking read names the project, the artifact or the version that is missing.
            return try await PostgresConnectionPool.awaitingBlocking { [catalog] in
                try catalog.version(project: project, name: name, reference: reference)
            }
        }
    }
}
