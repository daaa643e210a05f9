import ArtifactStore
import ArtifactWire
import Foundation

/// A team server as a repository: each requirement is one or a few API requests, and each answer is
/// decoded from its `ArtifactWire` shape into the same core value the embedded store returns, so
/// commands print the same text and JSON (projects are `ENTITY/PROJECT`).
///
/// Safe to share between threads (the browser loads on workers): the client is, and the
/// one piece of state, the signed-in name, is behind a lock.
final class ServerRepository: ArtifactRepository, @unchecked Sendable {
    /// The connection to the server.
    let client: ServerClient
    /// The client's cache directory, where a put's stat cache and unfinished uploads live (nil: no uploads).
    let cacheDirectory: URL?
    private let lock = NSLock()
    private var cachedName: String?
    private var signedInName: String? {
        get { lock.withLock { cachedName } }
        set { lock.withLock { cachedName = newValue } }
    }

    /// A repository over `client`; `cacheDirectory` lets `finishPending` upload the files it adds.
    init(client: ServerClient, cacheDirectory: URL? = nil) {
        self.client = client
        self.cacheDirectory = cacheDirectory
    }

    var location: String { client.server.text }

    // MARK: Names

    /// The signed-in user's own entity, where an address without `ENTITY/` points (asked once).
    func defaultEntity() throws -> String {
        guard let name = try signedInEntity() else {
            throw CommandFailure(message: "not signed in to \(client.server), so there is no default entity: "
                + "write ENTITY/PROJECT/… or run arttui login \(client.server)")
        }
        return name
    }

    /// The signed-in user's own entity (asked once), nil when signed out. A refused token is reported
    /// as such (with its advice): only a caller without one lacks an entity.
    private func signedInEntity() throws -> String? {
        if let signedInName { return signedInName }
        let identity: WireIdentity
        do {
            identity = try client.whoami()
        } catch ServerError.unauthorized(_, _, .none) {
            return nil
        }
        signedInName = identity.name
        return identity.name
    }

    func address(_ text: String) throws -> ArtifactAddress {
        var address = try ArtifactAddress(parsing: text)
        address.entity = try address.entity ?? defaultEntity()
        return address
    }

    func artifactPath(_ text: String) throws -> ArtifactPath {
        var path = try ArtifactPath(parsing: text)
        path.entity = try path.entity ?? defaultEntity()
        return path
    }

    /// `PROJECT`, `PROJECT/NAME`, `ENTITY/PROJECT/NAME`; two parts name `ENTITY/PROJECT` when the
    /// caller can read such a project, else `PROJECT/NAME` of the default entity. A trailing `/`
    /// after `ENTITY/PROJECT/` names the whole project.
    func scope(_ text: String) throws -> ProjectScope {
        let (parts, wholeProject) = try ProjectScope.parts(of: text, entities: true)
        switch parts.count {
        case 1:
            try ProjectScope.checkNames(project: parts[0], name: nil, in: text)
            return ProjectScope(project: "\(try defaultEntity())/\(parts[0])")
        case 3:
            _ = try ServerNames.entity(parts[0], in: text)
            try ProjectScope.checkNames(project: parts[1], name: parts[2], in: text)
            return ProjectScope(project: "\(parts[0])/\(parts[1])", name: parts[2])
        default:
            // ENTITY/PROJECT or PROJECT/NAME: each part must at least be a project name.
            try ProjectScope.checkNames(project: parts[0], name: nil, in: text)
            try ProjectScope.checkNames(project: parts[1], name: nil, in: text)
            let project = ProjectScope(project: "\(parts[0])/\(parts[1])")
            if wholeProject { return project }
            do {
                _ = try projectRecord(project.project)
                return project
            } catch ServerError.notFound(let detail) {
                // Only "no such project" decides; an unreachable server must fail once, not twice.
                // Signed out there is no own entity: ENTITY/PROJECT is the only reading.
                guard let entity = try signedInEntity() else { throw ServerError.notFound(detail: detail) }
                let inOwnEntity = ProjectScope(project: "\(entity)/\(parts[0])", name: parts[1])
                do {
                    _ = try projectRecord(inOwnEntity.project)
                } catch ServerError.notFound {
                    // Neither reading exists: name the one the user most likely meant first.
                    throw ServerError.notFound(detail:
                        "project \"\(project.project)\" not found, nor a project \"\(inOwnEntity.project)\" to hold \"\(parts[1])\"")
                }
                return inOwnEntity
            }
        }
    }

    func project(_ text: String) throws -> String {
        let path = try ServerProjectPath(parsing: text)
        return "\(try path.entity ?? defaultEntity())/\(path.project)"
    }

    func project(of path: ArtifactPath) -> String { "\(path.entity ?? signedInName ?? "")/\(path.project)" }

    // MARK: Routes

    /// `/api/v1/projects/ENTITY/PROJECT` for `ENTITY/PROJECT`.
    private func projectRoute(_ project: String) -> String {
        let parts = project.split(separator: "/", maxSplits: 1).map(String.init)
        return "/api/v1/projects/" + parts.map(pathSegment).joined(separator: "/")
    }

    private func artifactRoute(_ project: String, _ name: String) -> String {
        projectRoute(project) + "/artifacts/\(pathSegment(name))"
    }

    private func versionRoute(_ project: String, _ name: String, _ reference: String) -> String {
        artifactRoute(project, name) + "/versions/\(pathSegment(reference))"
    }

    private func versionRoute(_ version: ArtifactVersion) -> String {
        versionRoute(version.project, version.name, version.versionName)
    }

    // MARK: Reading

    func projects() throws -> [ProjectSummary] {
        try client.get("/api/v1/projects", as: [WireProject].self).sorted { $0.path < $1.path }.map(\.summary)
    }

    func artifacts(in project: String) throws -> [ArtifactSummary] {
        do {
            return try client.get(projectRoute(project) + "/artifacts", as: [WireArtifact].self).map(\.summary)
        } catch ServerError.notFound(let detail) {
            throw entityGivenAsProject(project) ?? ServerError.notFound(detail: detail)
        }
    }

    /// Why `ENTITY/NAME` is missing when NAME is itself an entity the caller can see (their own, a team
    /// of theirs, or the owner of a project they may read): `ls TEAM` reads TEAM as a project of the
    /// caller's own entity, and "project ME/TEAM not found" hides what they meant. Nil otherwise,
    /// also when the server cannot say.
    private func entityGivenAsProject(_ project: String) -> ServerError? {
        let parts = project.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let identity = try? client.whoami() else { return nil }
        let name = parts[1]
        let visible = identity.name == name || identity.teams.contains { $0.team == name }
            || ((try? client.get("/api/v1/projects", as: [WireProject].self))?.contains { $0.entity == name } ?? false)
        guard visible else { return nil }
        return .notFound(detail: "\"\(name)\" is an entity, not a project of \(parts[0]): "
            + "arttui --remote \(client.server) project ls \(name) lists its projects")
    }

    /// Pending versions come first, as locally; the server lists them only to those who may write to the project.
    func versions(of project: String, _ name: String, offset: Int, limit: Int, includePending: Bool) throws
        -> [ArtifactVersion]
    {
        try wireVersions(of: project, name, offset: offset, limit: limit, includePending: includePending).map(\.model)
    }

    /// Versions asked for in one request: the server's largest page.
    private static let pageSize = 1000

    func versionCount(of project: String, _ name: String) throws -> Int {
        try client.get(
            artifactRoute(project, name) + "/versions", query: [URLQueryItem(name: "limit", value: "1")],
            as: WireVersionPage.self
        ).total
    }

    func version(_ address: ArtifactAddress) throws -> ArtifactVersion {
        let project = "\(try address.entity ?? defaultEntity())/\(address.project)"
        return try wireVersion(project, address.name, address.reference.description).model
    }

    func files(of version: ArtifactVersion, offset: Int, limit: Int) throws -> [ManifestEntry] {
        let files = try manifest(version.project, version.name, version.versionName).files
        return Array(files.dropFirst(offset).prefix(limit))
    }

    func table(named name: String, in version: ArtifactVersion, limit: Int) throws -> Table {
        try Table.read(named: name, of: version.qualifiedName, files: files(of: version, offset: 0, limit: .max), limit: limit) {
            try contents(of: $0, in: version)
        }
    }

    /// One file's bytes from the server, checked against its digest.
    func contents(of file: ManifestEntry, in version: ArtifactVersion) throws -> Data {
        let data = try client.send(
            "GET", versionRoute(version) + "/contents/\(pathSegment(file.digest))", query: [], body: nil, wait: .afterWork)
        guard WireContent.digest(of: data) == file.digest else {
            throw StoreError.damagedFile(
                version: version.qualifiedName, path: file.path, detail: "the server sent bytes that do not hash to \(file.digest)")
        }
        return data
    }

    func lineage(of version: ArtifactVersion, upstream: Int, downstream: Int) throws -> LineageGraph {
        try wireLineage(version.project, version.name, version.versionName, upstream: upstream, downstream: downstream).graph
    }

    // MARK: Searching

    /// One request: the server answers at most its largest page of versions and takes no offset,
    /// so a search wanting more that gets a full page says so rather than printing a cut list.
    func find(_ search: WireSearchQuery) throws -> [ArtifactVersion] {
        var sent = search
        sent.limit = min(search.limit ?? Self.pageSize, Self.pageSize)
        let versions = try client.get("/api/v1/versions", query: sent.queryItems, as: WireSearchResult.self).versions
        if versions.count == Self.pageSize, search.limit.map({ $0 > Self.pageSize }) ?? true {
            throw CommandFailure(message:
                "a server answers at most \(Self.pageSize) versions to find; narrow it with --where or ask --limit \(Self.pageSize - 1)")
        }
        return versions.map(\.model)
    }

    // MARK: Comparing

    /// Compares the two manifests here, as the local catalog compares them in SQL.
    func diff(from base: ArtifactVersion, to target: ArtifactVersion) throws -> VersionDiff {
        let baseFiles = try files(of: base, offset: 0, limit: .max)
        let targetFiles = try files(of: target, offset: 0, limit: .max)
        return VersionDiff(base: base, target: target, differences: .between(base: baseFiles, target: targetFiles))
    }

    func previousVersion(of version: ArtifactVersion) throws -> ArtifactVersion? {
        guard let index = version.index else { return nil }
        var offset = 0
        while true {
            let page = try versions(of: version.project, version.name, offset: offset, limit: Self.pageSize, includePending: false)
            if let previous = page.first(where: { ($0.index ?? -1) < index }) { return previous }
            if page.count < Self.pageSize { return nil }
            offset += page.count
        }
    }

    func patch(for change: FileChange, in diff: VersionDiff, sizeLimit: Int64) throws -> FilePatch? {
        try FilePatch.make(for: change, in: diff, sizeLimit: sizeLimit) { try contents(of: $0, in: $1) }
    }

    // MARK: Aliases and descriptions

    func addAlias(_ alias: String, to version: ArtifactVersion) throws -> ArtifactVersion? {
        let previous: ArtifactVersion?
        do {
            previous = try wireVersion(version.project, version.name, alias).model
        } catch ServerError.notFound {
            previous = nil
        }
        _ = try setAlias(alias, on: version.project, version.name, version.versionName)
        return previous?.index == version.index ? nil : previous
    }

    func removeAlias(_ alias: String, from artifact: ArtifactPath) throws -> ArtifactVersion {
        let project = "\(try artifact.entity ?? defaultEntity())/\(artifact.project)"
        let holder: WireVersion
        do {
            holder = try wireVersion(project, artifact.name, alias)
        } catch ServerError.notFound {
            throw StoreError.aliasNotFound(artifact: "\(project)/\(artifact.name)", alias: alias)
        }
        return try client.call(
            "DELETE", versionRoute(project, artifact.name, holder.version) + "/aliases/\(pathSegment(alias))",
            as: WireVersion.self
        ).model
    }

    func edit(_ version: ArtifactVersion, _ edit: VersionEdit) throws -> ArtifactVersion {
        let aliases = edit.addedAliases.isEmpty && edit.removedAliases.isEmpty
            ? nil
            : try VersionEdit.aliases(version.manualAliases, edit, version: version.qualifiedName)
        let change = WireVersionChange(description: edit.description, metadata: edit.metadata, aliases: aliases)
        return try client.send("PATCH", versionRoute(version), body: change, as: WireVersion.self).model
    }

    // MARK: Deleting

    func deletionPlan(_ version: ArtifactVersion) throws -> DeletionPlan {
        try client.get(versionRoute(version) + "/deletion-plan", as: WireDeletion.self).plan
    }

    func delete(_ version: ArtifactVersion, deleteAliases: Bool) throws -> DeletionPlan {
        try client.call(
            "DELETE", versionRoute(version), query: [URLQueryItem(name: "delete_aliases", value: "\(deleteAliases)")],
            as: WireDeletion.self, wait: .afterWork
        ).plan
    }

    func prune(_ scope: ProjectScope, keepLast: Int, dryRun: Bool) throws -> DeletionPlan {
        try client.send(
            "POST", projectRoute(scope.project) + "/prune",
            body: WirePruneRequest(artifact: scope.name, keepLast: keepLast, dryRun: dryRun), as: WireDeletion.self,
            wait: .afterWork
        ).plan
    }

    // MARK: Runs

    func runs(in project: String, sweep: String?, group: String?) throws -> [RunRecord] {
        var query: [URLQueryItem] = []
        if let sweep { query.append(URLQueryItem(name: "sweep", value: sweep)) }
        if let group { query.append(URLQueryItem(name: "group", value: group)) }
        return try client.get(projectRoute(project) + "/runs", query: query, as: [WireRun].self).map(\.record)
    }

    func runDetail(id: String) throws -> RunArtifacts {
        detail(try wireRunDetail(id: id))
    }

    private func detail(_ wire: WireRunDetail) -> RunArtifacts {
        RunArtifacts(record: wire.run.record, used: wire.usedVersions.map(\.model), logged: wire.loggedVersions.map(\.model))
    }

    /// The route of a run, found by its id (run ids are unique on a server).
    private func runRoute(_ id: String) throws -> String {
        let run = try runDetail(id: id).record
        return projectRoute(run.project) + "/runs/\(pathSegment(run.id))"
    }

    func startRun(in project: String, _ start: RunStartOptions) throws -> RunRecord {
        let body = WireRunStart(
            id: start.id, resume: start.resume.rawValue, name: start.name, group: start.group, jobType: start.jobType,
            sweep: start.sweep, config: start.config)
        return try client.send("POST", projectRoute(project) + "/runs", body: body, as: WireRun.self).record
    }

    func log(run id: String, summary: [String: JSONValue]) throws {
        _ = try client.send("POST", runRoute(id) + "/log", body: WireRunSummaryChange(summary: summary), as: WireRun.self)
    }

    func finish(run id: String, state: RunState, summary: [String: JSONValue]) throws {
        _ = try client.send(
            "POST", runRoute(id) + "/finish", body: WireRunSummaryChange(summary: summary, state: state.rawValue),
            as: WireRun.self)
    }

    func use(_ version: ArtifactVersion, run id: String) throws {
        let body = WireRunUse(project: version.project, artifact: version.name, version: version.versionName)
        _ = try client.send("POST", runRoute(id) + "/uses", body: body, as: WireVersion.self)
    }

    func sweepBest(project: String, sweep: String, metric: String, minimize: Bool) throws -> RunArtifacts {
        let best: WireSweepBest = try client.get(
            projectRoute(project) + "/sweeps/\(pathSegment(sweep))/best",
            query: [URLQueryItem(name: "metric", value: metric), URLQueryItem(name: "order", value: minimize ? "min" : "max")])
        return RunArtifacts(
            record: best.run.record, used: [],
            logged: best.artifacts.map(\.model).filter { $0.state == .committed })
    }

    // MARK: Pending versions

    /// Files in `draft` go into the pending version first, as `put --upsert` sends them (only chunks the
    /// server lacks), then the server commits it.
    func finishPending(_ draft: ArtifactDraft, project: String, distributedID: String) throws -> ArtifactVersion {
        if !draft.isEmpty {
            guard let cacheDirectory else {
                throw CommandFailure(message: "finish cannot add files here: no cache directory to upload from")
            }
            let parts = project.split(separator: "/", maxSplits: 1).map(String.init)
            let remote = RemoteProject(entity: parts[0], project: parts[1])
            _ = try RemotePut(
                client: client, project: remote, committer: try CommitSender(client: client, project: remote),
                cacheDirectory: cacheDirectory
            ).put(draft, distributedID: distributedID)
        }
        let route = artifactRoute(project, draft.name) + "/pending/\(pathSegment(distributedID))/finish"
        return try client.send(
            "POST", route, body: WirePendingFinish(run: draft.runID), as: WireVersion.self, wait: .afterWork).model
    }

    func discardPending(project: String, name: String, distributedID: String) throws -> DeletionPlan {
        try client.call(
            "DELETE", artifactRoute(project, name) + "/pending/\(pathSegment(distributedID))", as: WireDeletion.self,
            wait: .afterWork
        ).plan
    }

    // MARK: Answers in the API's shapes

    // Push and pull copy versions, manifests and runs in these shapes; the methods above decode them
    // into core values. Either way each endpoint has this one client.

    /// The project `ENTITY/PROJECT`.
    func projectRecord(_ project: String) throws -> WireProject {
        try client.get(projectRoute(project))
    }

    /// Makes sure `ENTITY/PROJECT` exists, creating it private when it does not, as a first put to a
    /// local store creates its project.
    /// - Returns: whether it was created.
    func ensureProject(_ project: String) throws -> Bool {
        do {
            _ = try projectRecord(project)
            return false
        } catch ServerError.notFound {
            _ = try createProject(project, visibility: .private)
            return true
        }
    }

    /// Creates `ENTITY/PROJECT` with `visibility`.
    func createProject(_ project: String, visibility: ProjectVisibility) throws -> WireProject {
        let parts = project.split(separator: "/", maxSplits: 1).map(String.init)
        return try client.send(
            "POST", "/api/v1/projects",
            body: WireProjectCreation(entity: parts[0], name: parts[1], visibility: visibility.rawValue))
    }

    /// An artifact's committed versions (pending ones first with `includePending`), newest first, from
    /// `offset` on, at most `limit`, a page at a time.
    func wireVersions(of project: String, _ name: String, offset: Int, limit: Int, includePending: Bool = false) throws
        -> [WireVersion]
    {
        var versions: [WireVersion] = []
        while versions.count < limit {
            var query = [URLQueryItem(name: "offset", value: "\(offset + versions.count)"),
                         URLQueryItem(name: "limit", value: "\(min(limit - versions.count, Self.pageSize))")]
            if includePending { query.append(URLQueryItem(name: "include_pending", value: "true")) }
            let page: WireVersionPage = try client.get(artifactRoute(project, name) + "/versions", query: query)
            versions += page.versions
            if page.versions.isEmpty || offset + versions.count >= page.total { break }
        }
        return versions
    }

    /// The version `reference` (`vN`, an alias or `latest`) names.
    func wireVersion(_ project: String, _ name: String, _ reference: String) throws -> WireVersion {
        try client.get(versionRoute(project, name, reference))
    }

    /// A version's files and every content's chunk list.
    func manifest(_ project: String, _ name: String, _ reference: String) throws -> WireManifest {
        try ManifestPages(client: client).manifest(at: versionRoute(project, name, reference))
    }

    /// The runs and versions `upstream` and `downstream` hops around a version.
    func wireLineage(_ project: String, _ name: String, _ reference: String, upstream: Int, downstream: Int) throws
        -> WireLineage
    {
        try client.get(
            versionRoute(project, name, reference) + "/lineage",
            query: [URLQueryItem(name: "up", value: "\(upstream)"), URLQueryItem(name: "down", value: "\(downstream)")])
    }

    /// A run by its id (unique on a server), with the versions it used and logged.
    func wireRunDetail(id: String) throws -> WireRunDetail {
        try client.get("/api/v1/runs/\(pathSegment(id))")
    }

    /// Gives a hand-set alias to a version, moving it from any other version of the artifact.
    func setAlias(_ alias: String, on project: String, _ name: String, _ reference: String) throws -> WireVersion {
        try client.call("PUT", versionRoute(project, name, reference) + "/aliases/\(pathSegment(alias))")
    }

    // MARK: Checking

    func verify(_ scope: RepositoryVerifyScope?, readData: Bool) throws -> VerificationReport {
        let readDataItem = URLQueryItem(name: "read_data", value: "\(readData)")
        let (route, query): (String, [URLQueryItem])
        switch scope {
        case nil:
            (route, query) = ("/api/v1/verify", [readDataItem])
        case .project(let project)?:
            (route, query) = (projectRoute(project) + "/verify", [readDataItem])
        case .artifact(let project, let name)?:
            (route, query) = (projectRoute(project) + "/verify", [URLQueryItem(name: "artifact", value: name), readDataItem])
        case .version(let version)?:
            (route, query) = (projectRoute(version.project) + "/verify", [
                URLQueryItem(name: "artifact", value: version.name),
                URLQueryItem(name: "version", value: version.versionName), readDataItem,
            ])
        }
        return try client.get(route, query: query, as: VerificationReport.self, wait: .afterWork)
    }
}
