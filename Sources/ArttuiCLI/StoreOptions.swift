import ArgumentParser
import ArtifactStore
import Foundation

/// `--store` and `--cache-dir`, shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("store"), help: ArgumentHelp(
        "The store directory (default: $ARTTUI_STORE, else ${XDG_DATA_HOME:-~/.local/share}/arttui).",
        valueName: "dir"))
    var stores: [String] = []

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp(
        "The cache directory (default: $ARTTUI_CACHE_DIR, else ${XDG_CACHE_HOME:-~/.cache}/arttui).",
        valueName: "dir"))
    var cacheDirectories: [String] = []

    @OptionGroup var server: ServerOptions

    func validate() throws {
        if stores.count > 1 { throw ValidationError("--store given \(stores.count) times; give one store") }
        if cacheDirectories.count > 1 {
            throw ValidationError("--cache-dir given \(cacheDirectories.count) times; give one cache directory")
        }
    }

    /// The store directory after resolution.
    var storeDirectory: URL { StoreLocation.store(explicit: stores.first) }

    /// The cache directory after resolution.
    var cacheDirectory: URL { StoreLocation.cache(explicit: cacheDirectories.first) }

    /// Opens the store, creating it on first use. Refused when a server is selected: a command that
    /// does not yet speak to servers must not quietly work on the local store instead.
    func openStore() throws -> Store {
        try refuseServer()
        return try Store(directory: storeDirectory)
    }

    /// The repository the command works on: the team server selected with `--remote` or
    /// `$ARTTUI_REMOTE`, else the local store (created on first use).
    func openRepository() throws -> any ArtifactRepository {
        if let remote = try server.selectedServer() {
            return ServerRepository(client: try server.client(for: remote), cacheDirectory: cacheDirectory)
        }
        return try Store(directory: storeDirectory)
    }

    /// Refuses to go on when a server is selected (`--remote`, `$ARTTUI_REMOTE`).
    func refuseServer() throws {
        if let remote = try server.selectedServer() {
            throw CommandFailure(message:
                "this command does not work against a server yet (\(remote)); drop --remote or unset $ARTTUI_REMOTE")
        }
    }

    /// Opens the cache, creating it on first use.
    func openCache() throws -> FileCache { try FileCache(directory: cacheDirectory) }
}

/// `--json`.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON instead of text.")
    var json = false
}
