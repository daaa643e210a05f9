import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui demo`: fills a store with a realistic example and opens the browser on it.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a demo store (datasets, model checkpoints of a sweep, code) and open the browser on it.",
        discussion: "A store that already holds the demo is opened as it is.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var display: DisplayOptions

    @Flag(help: "Build the demo store and exit without opening the browser.")
    var noOpen = false

    func run() throws {
        let store = try storeOptions.openStore()
        let built = try DemoStore(store: store).build()
        FileHandle.standardError.write(Data((built
            ? "built the demo store in \(store.directory.path)\n"
            : "the demo store is already in \(store.directory.path)\n").utf8))
        guard !noOpen else { return }
        let status = try display.openBrowser(on: StoreBrowser(store: store, cache: try storeOptions.openCache()))
        if status != 0 { throw ExitCode(status) }
    }
}
