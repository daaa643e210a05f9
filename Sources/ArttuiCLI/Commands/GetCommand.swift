import ArgumentParser
import ArtifactStore
import ArtifactWire
import Foundation
import ReferenceSources

/// `arttui get PROJECT/NAME[:REF]`: writes a version's files to a directory.
struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Download a version's files into a directory, every byte checked.",
        discussion: "Without --root the files land in ./artifacts/NAME:vN.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The version: PROJECT/NAME[:REF], REF an alias, vN or latest.",
                                 valueName: "project/name[:ref]"))
    var address: String

    @Option(help: ArgumentHelp("The directory to write into.", valueName: "dir"))
    var root: String?

    @Option(name: .customLong("run"), help: "The run that uses the version (recorded for lineage).")
    var runID: String?

    @Option(help: "How files are placed: copy, hardlink or symlink (linked files are read-only).")
    var link: LinkMode = .copy

    @Option(name: .customLong("cache"), help: ArgumentHelp(
        "Whether files fetched from the store are added to the cache: always (the default; a reflink clone "
            + "where the file system can, else a copy), auto (a clone, else only files up to 1 MiB) or never "
            + "(the cache is not used).",
        valueName: "policy"))
    var cachePolicy: CachePolicy = .always

    @Option(name: .customLong("path"), help: ArgumentHelp(
        "Download only this file of the version (repeatable); the version must have it.", valueName: "path"))
    var paths: [String] = []

    /// The files asked for, or nil for all of them.
    private var selectedPaths: [String]? { paths.isEmpty ? nil : paths }

    @Flag(help: "Download a reference whose source changed since it was recorded (a warning says so).")
    var allowChanged = false

    func validate() throws {
        if cachePolicy == .never && link != .copy {
            throw ValidationError("--link \(link.rawValue) links to cache files; it cannot be used with --cache never")
        }
    }

    /// The download cache, unopened with `--cache never`.
    private func openCache() throws -> FileCache? {
        cachePolicy == .never ? nil : try storeOptions.openCache()
    }

    func run() throws {
        if let server = try storeOptions.server.selectedServer() { return try getRemotely(from: server) }
        let parsed = try ArtifactAddress(parsing: address)
        let store = try storeOptions.openStore()
        let version = try store.version(parsed)
        if let runID { try store.run(id: runID).useArtifact(version) }
        let cache = try openCache()
        let destination = URL(fileURLWithPath: root ?? version.defaultDownloadDirectory)
        let report = try restoring(verb: "restoring") { warn, progress in
            try store.download(
                version, to: destination, cache: cache, mode: link, cachePolicy: cachePolicy, paths: selectedPaths,
                references: .standard(),
                allowChanged: allowChanged, warn: warn, progress: progress)
        }
        try printReport(report, version: version.qualifiedName)
    }

    /// Runs a restore with a progress line, and warnings and a changed reference said as a get says them.
    private func restoring(
        verb: String,
        _ body: (_ warn: (String) -> Void, _ progress: (@Sendable (TransferProgress) -> Void)?) throws -> RestoreReport
    ) throws -> RestoreReport {
        let progress = ProgressLine(verb: verb)
        let report: RestoreReport
        do {
            report = try body({
                progress?.finish()
                FileHandle.standardError.write(Data("arttui: \($0)\n".utf8))
            }, progress?.update)
        } catch let error as StoreError {
            progress?.finish()
            guard case .referenceChanged = error else { throw error }
            throw CommandFailure(message: "\(error) (--allow-changed takes it anyway)")
        } catch {
            progress?.finish()
            throw error
        }
        progress?.finish()
        return report
    }

    private func printReport(_ report: RestoreReport, version qualifiedName: String) throws {
        if output.json {
            try JSONOutput.print(GetResultJSON(version: qualifiedName, report: report))
            return
        }
        print("downloaded \(qualifiedName) to \(report.root) (\(counted(report.files, "file")), "
            + "\(ByteSize.format(report.bytes)): \(report.fromStore) from the store, \(report.fromCache) from the cache, "
            + "\(report.unchanged) already there"
            + (report.fromReferences > 0 ? ", \(report.fromReferences) from references)" : ")"))
    }
}

extension GetCommand {
    /// The same get from a team server: `[ENTITY/]PROJECT/NAME[:REF]`.
    private func getRemotely(from server: ServerURL) throws {
        let parsed = try ServerArtifactAddress(parsing: address)
        let client = try storeOptions.server.client(for: server)
        let project = try RemoteProject.of(parsed, client: client)
        let transfer = RemoteGet(client: client, project: project)
        var manifest = try transfer.manifest(artifact: parsed.name, reference: parsed.reference ?? "latest")
        let version = manifest.version
        manifest.files = try ManifestSelection.entries(
            manifest.files, at: selectedPaths, of: version.qualifiedName)
        if let runID {
            try ServerRepository(client: client).use(version.model, run: runID)
        }
        let cache = try openCache()
        let destination = URL(fileURLWithPath: root ?? "artifacts/\(version.name):\(version.version)")
        let report = try restoring(verb: "downloading") { warn, progress in
            try transfer.restore(
                manifest, to: destination, cache: cache, mode: link, cachePolicy: cachePolicy, references: .standard(),
                allowChanged: allowChanged, warn: warn, progress: progress)
        }
        try printReport(report, version: version.qualifiedName)
    }
}

extension LinkMode: ExpressibleByArgument {}
extension CachePolicy: ExpressibleByArgument {}

private struct GetResultJSON: Encodable {
    var version: String
    var report: RestoreReport

    func encode(to encoder: Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(version, forKey: .version)
    }

    enum Key: String, CodingKey { case version }
}
