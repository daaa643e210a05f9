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

    /// How long `/readyz` waits for the object store.
    static let readinessLimit: Duration = .seconds(3)

    /// 200 when the database and the object store answer, else 503 naming which does not.
    func readiness() async throws -> Response {
        var problems: [String] = []
        do {
            _ = try await accounts.entityExists("-")
        } catch {
            problems.append("database: \(error)")
        }
        do {
            _ = try await offload { [store] in try store.catalog.artifactType(project: "-", name: "-") }
        } catch {
            problems.append("catalog: \(error)")
        }
        // A bucket that stops answering would hold the probe for the S3 client's retries (minutes): a
        // readiness check must say "not ready" while the prober is still waiting.
        let objectsReachable = objectsReachable
        let objectProblem: String?
        do {
            objectProblem = try await withDeadline(Self.readinessLimit, overdue: { CancellationError() }) { await objectsReachable() }
        } catch {
            objectProblem = "no answer within \(Self.readinessLimit)"
        }
        if let problem = objectProblem { problems.append("object store: \(problem)") }
        guard problems.isEmpty else { throw APIError(.serviceUnavailable, problems.joined(separator: "; ")) }
        return try JSONResponse.make(["status": "ready"])
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
