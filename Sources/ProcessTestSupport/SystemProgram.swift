import Foundation

/// Programs of the system that some tests drive (`tmux`, `openssl`, `curl`, `python3`); a test that
/// needs a missing one says that it was skipped.
public enum SystemProgram {
    /// The program's path in a directory of `$PATH` (unset: /usr/local/bin, /usr/bin, /bin), nil when
    /// it is in none.
    public static func path(_ name: String) -> String? {
        let directories = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return directories.split(separator: ":").lazy.map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
