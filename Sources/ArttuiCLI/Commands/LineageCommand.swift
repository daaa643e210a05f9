import ArgumentParser
import ArtifactStore
import ArtifactWire
import BrowserCore
import Foundation
import LineageLayout

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `arttui lineage PROJECT/NAME:REF`: the runs and versions around a version, drawn as a graph.
struct LineageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Draw the lineage of a version: the runs and versions upstream and downstream of it.",
        discussion: "Each edge is one hop: --up 2 from a model reaches the run that logged it and that run's inputs.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The version: PROJECT/NAME[:REF].", valueName: "project/name[:ref]"))
    var address: String

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Hops to follow upstream (toward what made it; default: 3).", valueName: "n"), transform: OptionNumbers.count.read)
    var up = 3

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Hops to follow downstream (toward what was made from it; default: 3).", valueName: "n"), transform: OptionNumbers.count.read)
    var down = 3

    @Flag(help: "Draw with ASCII characters only (the default when the locale is not UTF-8).")
    var ascii = false

    func run() throws {
        let store = try storeOptions.openRepository()
        let graph = try store.lineage(of: store.version(store.address(address)), upstream: up, downstream: down)
        if output.json { return try JSONOutput.print(WireLineage(graph)) }
        for line in Self.picture(of: graph, ascii: ascii || !Self.localeIsUTF8) { print(line) }
    }

    /// The lines `lineage` prints: the picture the browser's `L` view draws, measured the same way.
    static func picture(of graph: LineageGraph, ascii: Bool) -> [String] {
        LineageTextRenderer(
            ascii: ascii, measure: { DisplayWidth.width(of: $0) },
            characterWidth: { DisplayWidth.width(of: DisplayWidth.normalize($0)) }
        ).render(graph)
    }

    /// Whether the environment's locale writes UTF-8, as the browser decides it.
    static var localeIsUTF8: Bool {
        setlocale(LC_CTYPE, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "")
        return codeset == "UTF8"
    }
}
