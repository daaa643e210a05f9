import ArtifactStore
@testable import ArttuiServer
import Foundation
import Testing

/// The router registers exactly the operations `openapi.yaml` documents, no more and no fewer.
@Suite struct OpenAPIRoutesTests {
    /// `METHOD /path` for every operation in the document.
    static func documentedOperations() throws -> Set<String> {
        let text = try OpenAPIDocument.text()
        var operations = Set<String>()
        var path: String?
        var inPaths = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, !line.hasPrefix(" ") { break }
            if line.hasPrefix("  \"/"), line.hasSuffix("\":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(3).dropLast(2))
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "put", "post", "patch", "delete"].contains(method) {
                    operations.insert("\(method.uppercased()) \(path)")
                }
            }
        }
        return operations
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() throws {
        let store = try Store(directory: FileManager.default.temporaryDirectory
            .appendingPathComponent("openapi-routes-\(UUID().uuidString)"))
        defer { try? FileManager.default.removeItem(at: store.directory) }
        let api = ArttuiAPI(store: store, accounts: AccountStore.unconnected())
        let routed = Set(api.routes.map { "\($0.method.rawValue) \($0.openAPIPath)" })
        let documented = try Self.documentedOperations()
        #expect(documented.count > 20)
        #expect(routed.subtracting(documented).sorted() == [], "routed but not in openapi.yaml")
        #expect(documented.subtracting(routed).sorted() == [], "in openapi.yaml but not routed")
        #expect(routed.count == api.routes.count, "a route is registered twice")
    }
}
