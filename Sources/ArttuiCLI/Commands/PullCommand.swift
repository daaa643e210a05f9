import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui pull ENTITY/PROJECT/NAME[:REF]... --from REMOTE [--into PROJECT]`: copies versions from a
/// team server into the local store (or the server `--remote` selects).
struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Copy versions, their runs and lineage from a team server.",
        discussion: """
            ADDRESS is [ENTITY/]PROJECT/NAME (every version) or ...:REF (one). The versions go to the local \
            store, or to the server --remote selects. Only chunks the target lacks are fetched, as stored, \
            without cutting files again; a version already there is left alone, so pulling again changes \
            nothing. An alias the target gives another version is reported and left there unless \
            --move-aliases. Without --into, versions go to the same project name.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("Versions to pull: [ENTITY/]PROJECT/NAME[:REF].", valueName: "address"))
    var addresses: [String]

    @Option(name: .customLong("from"), help: ArgumentHelp("The server to pull from: a remote's name or an address.", valueName: "remote"))
    var sourceRemote: String

    @Option(name: .customLong("into"), help: ArgumentHelp(
        "The project to pull into (ENTITY/PROJECT when the target is a server).", valueName: "project"))
    var into: String?

    @Flag(help: "Move an alias the target gives another version to the pulled one.")
    var moveAliases = false

    func run() throws {
        let sourceClient = try storeOptions.server.client(for: try ServerOptions.resolve(sourceRemote))
        let targetServer = try storeOptions.server.selectedServer()
        let targetClient = try targetServer.map { try storeOptions.server.client(for: $0) }
        if targetClient == nil, let into { _ = try NameRules.validateProject(into) }
        let store = targetClient == nil ? try Store(directory: storeOptions.storeDirectory) : nil
        var report = VersionCopier.Report()
        for text in addresses {
            let address = try ServerArtifactAddress(parsing: text)
            let source = try ServerTransferEnd(
                client: sourceClient, project: try RemoteProject.of(address, client: sourceClient),
                cacheDirectory: storeOptions.cacheDirectory)
            let target: any TransferEnd
            if let targetClient {
                let project = try into.map { try RemoteProject.of(ServerProjectPath(parsing: $0), client: targetClient) }
                    ?? RemoteProject(entity: try targetClient.whoami().name, project: address.project)
                target = try ServerTransferEnd(
                    client: targetClient, project: project, cacheDirectory: storeOptions.cacheDirectory)
            } else {
                target = LocalTransferEnd(
                    store: store!, project: into ?? address.project, cacheDirectory: storeOptions.cacheDirectory)
            }
            let copier = VersionCopier(source: source, target: target, moveAliases: moveAliases)
            try copier.copy(artifact: address.name, reference: address.reference, into: &report)
        }
        if output.json { return try JSONOutput.print(report) }
        report.printText(verb: "pulled")
    }
}
