import ArtifactStore
import ArtifactWire
import Foundation

/// A get from a team server: the version's files are written through the client's download cache
/// by the core's `FileRestorer`, as a local get writes them; only contents the cache lacks are
/// fetched, as chunk records checked against their digests.
struct RemoteGet {
    let client: ServerClient
    let project: RemoteProject
    /// Files fetched at once.
    var workers = 8

    /// The manifest of `artifact:reference`.
    func manifest(artifact: String, reference: String) throws -> WireManifest {
        try ManifestPages(client: client).manifest(at: project.versionPath(artifact: artifact, version: reference))
    }

    /// Writes the version `manifest` describes under `root`. Reference entries are fetched here, on the
    /// client, from their sources through `references` once the stored files are in place, each checked
    /// against its recorded checksum as a local get checks it (the server never reads them).
    func restore(
        _ manifest: WireManifest, to root: URL, cache: FileCache?, mode: LinkMode, cachePolicy: CachePolicy,
        references: ReferenceResolver, allowChanged: Bool, warn: (String) -> Void,
        progress: (@Sendable (TransferProgress) -> Void)?
    ) throws -> RestoreReport {
        let version = manifest.version
        let referenced = manifest.files.filter { !$0.isStored }
        // The manifest's own array when every file is stored (the usual case): a copy is 7 MiB per
        // 100,000 files, held through the whole restore beside the manifest.
        let files = referenced.isEmpty ? manifest.files : manifest.files.filter(\.isStored)
        var restorer = try FileRestorer(
            root: root, versionName: version.qualifiedName,
            owner: CacheOwner(project: version.project, artifact: version.name), cache: cache, mode: mode,
            cachePolicy: cachePolicy, workers: workers)
        // The fetcher reads ahead in the manifest's order: the workers go through it in that order too.
        restorer.neighbourRuns = false
        for file in manifest.files { try ManifestPath.validate(file.path) }
        try restorer.prepareDirectories(for: manifest.files.map(\.path))
        let contents = ContentsByDigest(manifest.contents)
        // What the cache holds is never asked for, so the fetcher's read-ahead leaves it out too.
        var wanted: [WireContent] = []
        for file in files {
            guard let content = contents[digest: file.digest] else { continue }
            if try restorer.cache?.holds(digest: file.digest, size: file.size) == true { continue }
            wanted.append(content)
        }
        let fetcher = ServerChunkFetcher(
            client: client, versionPath: project.versionPath(artifact: version.name, version: version.version),
            wanted: wanted)
        let counts = try restorer.restore(
            files, makeSource: { ServerContentSource(fetcher: fetcher, contents: contents) }, progress: progress)
        try ReferenceChecker(resolver: references).fetch(referenced, under: restorer.root, allowChanged: allowChanged, warn: warn)
        return RestoreReport(
            root: restorer.root, files: manifest.files.count, bytes: manifest.files.reduce(0) { $0 + $1.size },
            unchanged: counts.unchanged, fromCache: counts.fromCache, fromStore: counts.fromSource,
            fromReferences: referenced.count, addedToCache: counts.addedToCache)
    }
}
