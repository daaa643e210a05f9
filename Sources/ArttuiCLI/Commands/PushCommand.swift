import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui push ADDRESS... --to REMOTE [--into ENTITY/PROJECT]`: copies versions to a team server.
struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Copy versions, their runs and lineage to a team server.",
        discussion: """
            ADDRESS is PROJECT/NAME (every version) or PROJECT/NAME:REF (one) in the local store, or on the \
            server --remote selects. Only chunks the target lacks are sent; a version it already holds is \
            left alone, so pushing again changes nothing. An alias the target gives another version is \
            reported and left there unless --move-aliases. Without --into, versions go to the same project \
            name under the signed-in user.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("Versions to push: PROJECT/NAME[:REF].", valueName: "address"))
    var addresses: [String]

    @Option(name: .customLong("to"), help: ArgumentHelp("The server to push to: a remote's name or an address.", valueName: "remote"))
    var target: String

    @Option(name: .customLong("into"), help: ArgumentHelp("The project on the server.", valueName: "entity/project"))
    var into: String?

    @Flag(help: "Move an alias the target gives another version to the pushed one.")
    var moveAliases = false

    func run() throws {
        let targetServer = try ServerOptions.resolve(target)
        let targetClient = try storeOptions.server.client(for: targetServer)
        let sourceServer = try storeOptions.server.selectedServer()
        let sourceClient = try sourceServer.map { try storeOptions.server.client(for: $0) }
        let store = sourceClient == nil ? try Store(directory: storeOptions.storeDirectory) : nil
        var report = VersionCopier.Report()
        for text in addresses {
            let (source, artifact, reference, projectName): (any TransferEnd, String, String?, String)
            if let sourceClient {
                let address = try ServerArtifactAddress(parsing: text)
                source = try ServerTransferEnd(
                    client: sourceClient, project: try RemoteProject.of(address, client: sourceClient),
                    cacheDirectory: storeOptions.cacheDirectory)
                (artifact, reference, projectName) = (address.name, address.reference, address.project)
            } else {
                let address = try ArtifactAddress(parsing: text)
                source = LocalTransferEnd(store: store!, project: address.project, cacheDirectory: storeOptions.cacheDirectory)
                (artifact, reference, projectName) = (
                    address.name, text.contains(":") ? address.reference.description : nil, address.project)
            }
            let project = try into.map { try RemoteProject.of(ServerProjectPath(parsing: $0), client: targetClient) }
                ?? RemoteProject(entity: try targetClient.whoami().name, project: projectName)
            let target = try ServerTransferEnd(
                client: targetClient, project: project, cacheDirectory: storeOptions.cacheDirectory)
            let copier = VersionCopier(source: source, target: target, moveAliases: moveAliases)
            try copier.copy(artifact: artifact, reference: reference, into: &report)
        }
        if output.json { return try JSONOutput.print(report) }
        report.printText(verb: "pushed")
    }
}
