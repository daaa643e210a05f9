import Foundation

/// Where the store and the cache live when the user does not say: `--store`, then `$ARTTUI_STORE`, then
/// `${XDG_DATA_HOME:-~/.local/share}/arttui`; `--cache-dir`, then `$ARTTUI_CACHE_DIR`, then
/// `${XDG_CACHE_HOME:-~/.cache}/arttui`.
public enum StoreLocation {
    /// The store directory to use.
    public static func store(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> URL
    {
        resolve(explicit: explicit, variable: environment["ARTTUI_STORE"],
                base: environment["XDG_DATA_HOME"], fallback: ".local/share", environment: environment)
    }

    /// The cache directory to use.
    public static func cache(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> URL
    {
        resolve(explicit: explicit, variable: environment["ARTTUI_CACHE_DIR"],
                base: environment["XDG_CACHE_HOME"], fallback: ".cache", environment: environment)
    }

    /// The directory of the user's configuration (remotes, credentials): `${XDG_CONFIG_HOME:-~/.config}/arttui`.
    public static func configuration(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        resolve(explicit: nil, variable: nil, base: environment["XDG_CONFIG_HOME"], fallback: ".config",
                environment: environment)
    }

    private static func resolve(
        explicit: String?, variable: String?, base: String?, fallback: String, environment: [String: String]
    ) -> URL {
        if let explicit, !explicit.isEmpty { return absolute(explicit) }
        if let variable, !variable.isEmpty { return absolute(variable) }
        // XDG says a relative XDG_* value is invalid and must be ignored.
        if let base, base.hasPrefix("/") { return URL(fileURLWithPath: base).appendingPathComponent("arttui") }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(fallback).appendingPathComponent("arttui")
    }

    private static func absolute(_ path: String) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        return URL(fileURLWithPath: expanded, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }
}
