import ArtifactStore
import ArtifactWire
import Foundation

/// Reads a version's manifest from a team server a page of files at a time, so neither side holds
/// the JSON of a version of a million files at once. The first page resolves the reference (`latest`,
/// an alias); the others name the version it resolved to, so a put meanwhile cannot mix two versions.
struct ManifestPages {
    /// Files per page.
    static let filesPerPage = 20_000

    let client: ServerClient
    var filesPerPage = Self.filesPerPage

    /// The whole manifest of the version `versionPath` (`…/artifacts/NAME/versions/REFERENCE`) names.
    /// - Throws: `ServerError` as the server answers.
    func manifest(at versionPath: String) throws -> WireManifest {
        var manifest = try page(versionPath)
        // A server older than pages answers with every file at once, and says no offset.
        guard manifest.offset != nil, manifest.files.count == filesPerPage else {
            manifest.offset = nil
            return manifest
        }
        let versionsPath = versionPath[..<(versionPath.lastIndex(of: "/") ?? versionPath.endIndex)]
        let resolved = versionsPath + "/" + pathSegment(manifest.version.version)
        var contents = Dictionary(manifest.contents.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first })
        while true {
            // After the last path read: a page costs the server's catalog the same wherever it starts.
            let next = try page(resolved, after: manifest.files.last?.path)
            manifest.files += next.files
            for content in next.contents where contents[content.digest] == nil { contents[content.digest] = content }
            if next.files.count < filesPerPage { break }
        }
        manifest.contents = contents.values.sorted { $0.digest < $1.digest }
        manifest.offset = nil
        return manifest
    }

    /// A page of `filesPerPage` files: the first, or those after the path `after`. A paged answer says
    /// its offset (0), which a server older than pages does not.
    private func page(_ versionPath: String, after: String? = nil) throws -> WireManifest {
        try client.get(versionPath + "/manifest", query: [URLQueryItem(name: "limit", value: "\(filesPerPage)")]
            + (after.map { [URLQueryItem(name: "after", value: $0)] } ?? []))
    }
}
