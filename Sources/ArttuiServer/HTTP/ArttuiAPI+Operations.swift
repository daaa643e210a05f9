import ArtifactStore
import ArtifactWire
import Foundation
import Hummingbird
import NIOCore

extension ArttuiAPI {
    var operationRoutes: [APIRoute] {
        [
            APIRoute(method: .get, path: "/healthz") { _, _ in
                try JSONResponse.make(["status": "ok"])
            },
            APIRoute(method: .get, path: "/readyz") { _, _ in
                try await readiness()
            },
            APIRoute(method: .get, path: "/metrics") { _, _ in
                var headers = HTTPFields()
                headers[.contentType] = "text/plain; version=0.0.4"
                return Response(
                    status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: MetricsRecorder.shared.render())))
            },
            APIRoute(method: .get, path: "/openapi.yaml") { _, _ in
                var headers = HTTPFields()
                headers[.contentType] = "application/yaml"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try OpenAPIDocument.text())))
            },
            APIRoute(method: .get, path: "/api/v1/whoami") { _, context in
                let caller = try signedIn(context)
                return try JSONResponse.make(WireIdentity(
                    name: caller.name, admin: caller.isAdmin,
                    teams: caller.roles.map { WireIdentity.Membership(team: $0.key, role: $0.value.rawValue) }.sorted { $0.team < $1.team }))
            },
        ]
    }

    /// How long `/readyz` waits for each service.
    static let readinessLimit: Duration = .seconds(3)

    /// 200 when the database and the object store answer, else 503 naming which does not.
    ///
    /// The checks run at once, each bounded by `readinessLimit`: one after the other, a probe of a hung
    /// PostgreSQL waited for the account query and then for the catalog's connection (7.3 s), past the
    /// 5 s the server promises; a bucket that stops answering would hold its check for the S3 client's
    /// retries.
    func readiness() async throws -> Response {
        let (accounts, store, objectsReachable) = (accounts, store, objectsReachable)
        async let database = Self.problem {
            _ = try await accounts.entityExists("-")
            return nil
        }
        async let catalog = Self.problem {
            _ = try await offload { try store.catalog.artifactType(project: "-", name: "-") }
            return nil
        }
        async let objects = Self.problem { await objectsReachable() }
        let problems = [("database", await database), ("catalog", await catalog), ("object store", await objects)]
            .compactMap { service, problem in problem.map { "\(service): \($0)" } }
        guard problems.isEmpty else { throw APIError(.serviceUnavailable, problems.joined(separator: "; ")) }
        var response = try JSONResponse.make(["status": "ready"])
        // The answer is about this moment: no cache between the probe and the server may keep it.
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// What `check` found wrong (its answer, or its error), or "no answer within" the limit.
    private static func problem(_ check: @escaping @Sendable () async throws -> String?) async -> String? {
        struct Overdue: Error {}
        do {
            return try await withDeadline(readinessLimit, overdue: { Overdue() }, check)
        } catch is Overdue {
            return "no answer within \(readinessLimit)"
        } catch {
            return "\(error)"
        }
    }
}

/// The OpenAPI document committed with the server.
public enum OpenAPIDocument {
    /// Its text.
    public static func text() throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw APIError(.internalServerError, "openapi.yaml is missing from the server's resources")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
