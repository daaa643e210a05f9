#if canImport(Glibc)
import Glibc
#endif
import ArtifactStore
import Foundation

/// Starts `arttui cache unlink-pending` as a detached process, so that `cache cleanup` returns as
/// soon as its evictions are committed while the evicted files are unlinked behind it.
enum BackgroundUnlinker {
    /// Below this many files, unlinking in the foreground is quicker than starting a process.
    static let threshold = 2_000

    /// Starts the unlinker for the cache in `directory`; false when it could not be started (the
    /// caller then unlinks in the foreground).
    static func start(cacheDirectory directory: URL) -> Bool {
        #if os(Linux)
        let executable = "/proc/self/exe"
        #else
        let executable = CommandLine.arguments[0]
        #endif
        let arguments = [executable, "--cache-dir", directory.path, "cache", "unlink-pending"]
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        guard posix_spawn_file_actions_init(&actions) == 0 else { return false }
        defer { posix_spawn_file_actions_destroy(&actions) }
        guard posix_spawnattr_init(&attributes) == 0 else { return false }
        defer { posix_spawnattr_destroy(&attributes) }
        for descriptor: Int32 in 0...2 {
            posix_spawn_file_actions_addopen(
                &actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        // Its own session: a Ctrl-C in the terminal that ran the cleanup does not stop it.
        posix_spawnattr_setflags(&attributes, Int16(spawnSetSID))
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        return posix_spawn(&pid, executable, &actions, &attributes, argv, environ) == 0
    }

    /// `POSIX_SPAWN_SETSID` (glibc), a macro Swift does not import.
    private static let spawnSetSID: Int32 = 0x80
}
