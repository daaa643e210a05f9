import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui diff A [B]`: what changed from version B to version A.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two versions: files, metadata, description and aliases.",
        discussion: """
            Shows what changed from B to A. B defaults to the version before A; it may be a version or alias of \
            A's artifact (v2, best) or the full address of any version (project/other:v1). Files are compared by \
            content digest in the catalog, never by reading them: added, removed, modified (with both sizes) and \
            renamed (same content at a new path). Metadata keys are compared one by one, nested keys shown with \
            dots (train.lr).

            --patch adds a unified diff for each added, removed or modified text file of at most \
            \(FilePatch.defaultSizeLimit) bytes (text: UTF-8 without NUL bytes); binary and larger files say so.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The newer version: PROJECT/NAME[:REF].", valueName: "a"))
    var address: String

    @Argument(help: ArgumentHelp(
        "The version to compare with: REF of the same artifact, or PROJECT/NAME[:REF] (default: the version before A).",
        valueName: "b"))
    var base: String?

    @Flag(help: "Print only the counts: files by change, bytes, metadata keys, description, aliases.")
    var stat = false

    @Flag(help: "Add a unified diff for each changed text file.")
    var patch = false

    func run() throws {
        let store = try storeOptions.openRepository()
        let targetAddress = try store.address(address)
        let target = try store.version(targetAddress)
        let baseVersion = try resolveBase(of: target, address: targetAddress, in: store)
        let diff = try store.diff(from: baseVersion, to: target)
        var patches: [String: FilePatch?] = [:]
        if patch && !stat {
            for change in diff.files where change.kind != .renamed { patches[change.path] = try store.patch(for: change, in: diff, sizeLimit: FilePatch.defaultSizeLimit) }
        }
        if output.json {
            return try JSONOutput.print(DiffJSON(diff, includeFiles: !stat, patches: patches))
        }
        print(DiffText.render(diff, stat: stat, patches: patches), terminator: "")
    }

    /// B as given, or the version before A.
    private func resolveBase(of target: ArtifactVersion, address: ArtifactAddress, in store: any ArtifactRepository) throws
        -> ArtifactVersion
    {
        guard let base else {
            guard let previous = try store.previousVersion(of: target) else {
                throw StoreError.invalidArgument(
                    "\(target.qualifiedName) is the first version of \(target.project)/\(target.name); "
                        + "name a version to compare it with")
            }
            return previous
        }
        if base.contains("/") { return try store.version(store.address(base)) }
        do {
            return try store.version(store.address("\(address.path):\(base)"))
        } catch StoreError.invalidAddress(_, let reason) {
            throw StoreError.invalidAddress(text: base, reason: reason)
        }
    }
}
