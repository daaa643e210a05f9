import ArgumentParser
import ArtifactStore
import ArtifactWire
import Foundation
import ReferenceSources

/// `arttui put PATH... -n PROJECT/NAME`: stores files and directories as a new version.
struct PutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Store files and directories as a new version of an artifact.",
        discussion: """
            A directory's contents go in relative to it; a file goes in under its own name. \
            Content equal to the newest version makes no new version: the aliases given are applied to it. \
            --reference records a file:// file or tree, an http(s):// URL or an s3://BUCKET/KEY-OR-PREFIX \
            without copying it: its size and checksum go in the version, and get fetches and checks it.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var writer: PutWriterOptions

    @Option(name: [.customShort("n"), .customLong("name")], help: ArgumentHelp(
        "The artifact: PROJECT/NAME (an ENTITY/ prefix is accepted and ignored).", valueName: "project/name"))
    var name: String

    @Option(name: [.customShort("t"), .long], help: "The artifact's type (default: the artifact's own, dataset for a new one).")
    var type: String?

    @Option(name: [.customShort("a"), .customLong("alias")], help: "An alias for the new version (repeatable).")
    var aliases: [String] = []

    @Option(name: [.customShort("d"), .long], help: "A description of the version.")
    var description: String = ""

    @Option(help: ArgumentHelp("Metadata: a JSON object, or @FILE to read one.", valueName: "json|@file"))
    var metadata: String?

    @Flag(help: "Add the files to the pending version shared by parallel writers (see finish).")
    var upsert = false

    @Option(name: .customLong("reference"), help: ArgumentHelp(
        "Record what URI names instead of storing it: file://, http(s)://, s3:// (repeatable); NAME=URI "
            + "places an object at NAME, a tree's or prefix's objects under the folder NAME.",
        valueName: "[name=]uri"))
    var references: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Refuse a --reference naming more objects than this (nothing is stored then; default: 10000).", valueName: "n"),
            transform: OptionNumbers.limit.read)
    var maxObjects = 10_000

    @Flag(help: "Record references without a checksum: the digest is the URI, so changes behind it go unseen.")
    var noChecksum = false

    @Option(help: ArgumentHelp(
        "A symbolic link leaving a directory: refuse, follow (store its target) or reference (record file://).",
        valueName: "refuse|follow|reference"))
    var symlinks: SymlinkPolicy = .refuse

    @Argument(help: "Files and directories to store.")
    var paths: [String] = []

    func run() throws {
        let path = try ArtifactPath(parsing: name)
        if let type { try NameRules.validateType(type) }
        // Before anything is read or sent: a remote put would otherwise upload every chunk first.
        try Alias.validateManual(aliases)
        let metadataObject = try metadata.map(MetadataArgument.read) ?? [:]
        var draft = ArtifactDraft(
            name: path.name, type: type ?? "dataset", description: description, metadata: metadataObject,
            aliases: aliases)
        draft.symlinks = symlinks
        for item in paths { try draft.add(URL(fileURLWithPath: item)) }
        if !references.isEmpty {
            let resolver = ReferenceResolver.standard()
            for reference in references {
                let (name, uri) = ReferenceResolver.namedURI(reference)
                try draft.addReferences(resolver.list(uri, at: name, checksum: !noChecksum, maxObjects: maxObjects))
            }
        }
        try writer.addEntries(to: &draft)
        guard !draft.isEmpty else {
            // Folders alone make no entries (a version holds files); saying "give directories" to a
            // user who gave one sent them looking for a typo.
            if !paths.isEmpty {
                let named = paths.map { EscapedText.oneLine($0) }.joined(separator: ", ")
                throw ValidationError("nothing to store: \(named) \(paths.count == 1 ? "holds" : "hold") "
                    + "no files (empty folders are not stored)")
            }
            throw ValidationError("give files, directories, --reference, --entry or --table to store")
        }
        if let server = try storeOptions.server.selectedServer() { return try putRemotely(draft, to: server) }
        let store = try storeOptions.openStore()
        // Like finish, a put that names no type adds to the artifact as it is: a second put of a model
        // checkpoint should not need -t model again.
        if type == nil, let existing = try store.catalog.artifactType(project: path.project, name: path.name) {
            draft.type = existing
        }
        let run = try writer.openRun(in: store)
        draft.runID = run?.id
        if upsert { return try upsert(draft, project: path.project, store: store, run: run) }
        let progress = ProgressLine(verb: "storing")
        let result = try store.log(draft, project: path.project, progress: progress?.update)
        progress?.finish()
        if !result.created { warnOfUnapplied(draft, on: result.version) }
        if output.json {
            try JSONOutput.print(PutResultJSON(created: result.created, version: JSONOutput.Version(result.version)))
            return
        }
        let version = result.version
        if result.created {
            print("created \(version.qualifiedName) (\(counted(version.fileCount, "file")), \(ByteSize.format(version.size)); "
                + "\(ByteSize.format(version.addedBytes)) added to the store)")
        } else {
            print("no changes: \(version.qualifiedName) already holds this content")
            if !aliases.isEmpty { print("aliases \(aliases.joined(separator: ", ")) now on \(version.qualifiedName)") }
        }
    }

    /// An unchanged put makes no version, so a -d or --metadata differing from the version's was not
    /// stored anywhere, and a --run is not recorded as its producer: say so (the reference drops them
    /// silently), and how to apply what can be.
    /// - Parameter server: the server the put went to, which the suggested edit must name too.
    private func warnOfUnapplied(_ draft: ArtifactDraft, on version: ArtifactVersion, server: ServerURL? = nil) {
        let qualifiedName = version.qualifiedName
        var unapplied: [(what: String, flag: String)] = []
        if !draft.description.isEmpty, draft.description != version.description { unapplied.append(("description", "-d TEXT")) }
        if metadata != nil, draft.metadata != version.metadata { unapplied.append(("metadata", "--metadata JSON")) }
        var lines: [String] = []
        if !unapplied.isEmpty {
            lines.append("the \(unapplied.map(\.what).joined(separator: " and ")) given \(unapplied.count == 1 ? "was" : "were") "
                + "not applied: no new version was made and \(qualifiedName) keeps its own "
                + "(arttui \(server.map { "--remote \($0) " } ?? "")edit \(qualifiedName) "
                + "\(unapplied.map(\.flag).joined(separator: " ")) changes them)")
        }
        // A version has one producer: a second run putting the same content would otherwise vanish from
        // the lineage (and from sweep best) without a word.
        if let runID = draft.runID, runID != version.loggedBy {
            lines.append("no new version was made, so run \(runID) is not recorded as logging \(qualifiedName) "
                + (version.loggedBy.map { "(its producer stays run \($0))" } ?? "(it has no producer run)"))
        }
        for line in lines { FileHandle.standardError.write(Data("arttui: warning: \(line)\n".utf8)) }
    }
}

extension SymlinkPolicy: ExpressibleByArgument {}

extension PutCommand {
    private func upsert(_ draft: ArtifactDraft, project: String, store: Store, run: Run?) throws {
        let distributedID = try writer.sharedID(run: run)
        let version = try store.upsert(draft, project: project, distributedID: distributedID)
        if output.json { return try JSONOutput.print(JSONOutput.Version(version)) }
        print("added \(counted(draft.fileCount, "file")) to the pending version of \(project)/\(draft.name) "
            + "(distributed id \(distributedID), \(counted(version.fileCount, "file")) so far)")
    }
}

extension PutCommand {
    /// The same put against a team server: `-n [ENTITY/]PROJECT/NAME`.
    private func putRemotely(_ draft: ArtifactDraft, to server: ServerURL) throws {
        let address = try ServerArtifactAddress(parsing: name)
        guard address.reference == nil else {
            throw ValidationError("-n takes [ENTITY/]PROJECT/NAME without a version, not \(name)")
        }
        let client = try storeOptions.server.client(for: server)
        let project = try RemoteProject.of(address, client: client)
        // Before anything is asked or created: a part size that cannot be used changes nothing.
        let committer = try CommitSender(client: client, project: project)
        // An artifact's newest version shows its project exists: a put to an existing artifact asks one
        // question before cutting, not two.
        let newest = upsert ? nil : try RemotePut.newestVersion(of: draft.name, in: project, client: client)
        if newest == nil, try ServerRepository(client: client).ensureProject("\(project)") {
            FileHandle.standardError.write(Data("arttui: created project \(project) (private) on \(client.server)\n".utf8))
        }
        var draft = draft
        draft.runID = writer.runID
        if type == nil, let existing = try existingType(of: draft.name, in: project, newest: newest, client: client) {
            draft.type = existing
        }
        let distributedID = upsert ? try remoteSharedID(client: client) : nil
        let result = try RemotePut(
            client: client, project: project, committer: committer, cacheDirectory: storeOptions.cacheDirectory,
            newest: newest
        ).put(draft, distributedID: distributedID)
        let version = result.commit.version
        let qualifiedName = version.qualifiedName
        if !upsert, !result.commit.created { warnOfUnapplied(draft, on: version.model, server: client.server) }
        if upsert {
            if output.json { return try JSONOutput.print(version) }
            print("added \(counted(draft.fileCount, "file")) to the pending version of \(version.project)/\(version.name) "
                + "(distributed id \(distributedID ?? ""), \(counted(version.fileCount, "file")) so far)")
            return
        }
        if output.json {
            try JSONOutput.print(PutResultJSON(created: result.commit.created, version: version))
            return
        }
        if result.commit.created {
            print("created \(qualifiedName) (\(counted(version.fileCount, "file")), \(ByteSize.format(version.size)); "
                + "\(ByteSize.format(version.addedBytes)) added to the store)")
        } else {
            print("no changes: \(qualifiedName) already holds this content")
            if !aliases.isEmpty { print("aliases \(aliases.joined(separator: ", ")) now on \(qualifiedName)") }
        }
    }

    /// The artifact's own type on the server, which a put without `-t` keeps as the local put does
    /// (`Catalog.artifactType`): its newest version's, else, with none committed (an upsert asks for
    /// none, and every version may have been deleted), the artifact's as the project lists it; nil for
    /// an artifact not there yet.
    private func existingType(of artifact: String, in project: RemoteProject, newest: WireVersion?,
                              client: ServerClient) throws -> String? {
        if let newest { return newest.type }
        do {
            let artifacts = try client.get(project.apiPath + "/artifacts", as: [WireArtifact].self)
            return artifacts.first { $0.name == artifact }?.type
        } catch ServerError.notFound {
            return nil
        }
    }

    /// `--distributed-id`, else the group of the `--run` on the server.
    private func remoteSharedID(client: ServerClient) throws -> String {
        if let id = writer.distributedID { return id }
        if let runID = writer.runID {
            if let group = try ServerRepository(client: client).wireRunDetail(id: runID).run.group { return group }
        }
        throw StoreError.invalidArgument("give --distributed-id, or a --run that has a group")
    }
}

private struct PutResultJSON: Encodable {
    var created: Bool
    var version: JSONOutput.Version

    func encode(to encoder: Encoder) throws {
        try version.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(created, forKey: .created)
    }

    enum Key: String, CodingKey { case created }
}

/// Reads `--metadata` and `--set` values: JSON text, or `@FILE`.
enum MetadataArgument {
    static func read(_ argument: String) throws -> [String: JSONValue] {
        try Metadata.parse(text(argument))
    }

    /// `read` for an object that is not metadata (`--config`, `--summary`): an error names the option,
    /// not "metadata", which the user never typed.
    static func read(_ argument: String, for option: String) throws -> [String: JSONValue] {
        do {
            return try read(argument)
        } catch StoreError.invalidMetadata(let reason) {
            throw StoreError.invalidArgument("\(option) \(reason)")
        }
    }

    static func text(_ argument: String) throws -> String {
        guard argument.hasPrefix("@") else { return argument }
        let path = String(argument.dropFirst())
        return String(decoding: try NamedFile.contents(atPath: path, operation: "read metadata from"), as: UTF8.self)
    }
}
