import ArgumentParser
import ArtifactStore
import Foundation

/// `arttui cache size|cleanup`.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache", abstract: "Report and clean up the local file cache.",
        subcommands: [Size.self, Cleanup.self, UnlinkPending.self])

    /// `arttui cache size`.
    struct Size: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "size", abstract: "Print the cache's size.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Flag(help: "Break the size down by project and artifact (a file shared by two counts in each).")
        var byProject = false

        func run() throws {
            let report = try storeOptions.openCache().report(byProject: byProject)
            if output.json { return try JSONOutput.print(report) }
            print("\(ByteSize.format(report.bytes)) (\(report.bytes) bytes) in \(counted(report.files, "file")) at \(report.path)")
            for project in report.projects ?? [] {
                print("  \(project.project)  \(ByteSize.format(project.bytes)) in \(counted(project.files, "file"))")
                for artifact in project.artifacts {
                    print("    \(artifact.artifact)  \(ByteSize.format(artifact.bytes)) in \(counted(artifact.files, "file"))")
                }
            }
        }
    }

    /// `arttui cache cleanup SIZE`.
    struct Cleanup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cleanup",
            abstract: "Evict least-recently-used files until the cache holds at most SIZE.",
            discussion: "SIZE: bytes, or with a unit: K M G T and KiB MiB GiB TiB are binary, KB MB GB TB decimal.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: ArgumentHelp("The most the cache may hold afterwards, e.g. 1GB or 500MiB.", valueName: "size"))
        var size: String

        @Flag(help: "Print what would be freed and remove nothing.")
        var dryRun = false

        @Flag(help: "Unlink every evicted file before returning (by default a big cleanup unlinks them in the background).")
        var wait = false

        @Flag(help: "Also remove temporary files killed downloads left (those not written to for a minute).")
        var removeTemp = false

        /// `arguments` with a SIZE that starts like a negative number (`cache cleanup -5`) moved after a
        /// `--`, so it reaches SIZE and is refused as a size: the parser would read it as an unknown flag
        /// and report SIZE missing. Any other command line, and a value of a valued option, is left alone.
        static func passingNegativeSize(_ arguments: [String]) -> [String] {
            guard arguments.starts(with: ["cache", "cleanup"]), !arguments.contains("--"),
                  let index = arguments.indices.dropFirst(2).first(where: { index in
                      startsLikeNegativeNumber(arguments[index])
                          && !Arttui.valuedGlobalOptions.contains(arguments[index - 1])
                  })
            else { return arguments }
            var rest = arguments
            let size = rest.remove(at: index)
            return rest + ["--", size]
        }

        private static func startsLikeNegativeNumber(_ word: String) -> Bool {
            guard word.hasPrefix("-"), let next = word.dropFirst().first else { return false }
            return next.isASCII && (next.isNumber || next == ".")
        }

        func run() throws {
            let target = try ByteSize.parse(size)
            let cache = try storeOptions.openCache()
            // The evicted files no longer count, and are never served, once the cleanup commits.
            var result = try cache.cleanup(toAtMost: target, dryRun: dryRun, unlinkLater: !dryRun)
            // Opening the cache already removed those older than an hour: they count as removed, dry run or not.
            let onOpen = cache.temporariesRemovedOnOpen
            let recent = removeTemp ? try cache.removeTemporaries(olderThan: 60, dryRun: dryRun) : (files: 0, bytes: 0)
            if removeTemp {
                result.removedTemporaryFiles = onOpen.files + (dryRun ? 0 : recent.files)
                result.removedTemporaryBytes = onOpen.bytes + (dryRun ? 0 : recent.bytes)
            }
            if !dryRun {
                let background = !wait && result.removedFiles >= BackgroundUnlinker.threshold
                if !(background && BackgroundUnlinker.start(cacheDirectory: cache.directory)) {
                    try cache.unlinkPending()
                }
            }
            if output.json { return try JSONOutput.print(result) }
            let verb = dryRun ? "would free" : "freed"
            print("\(verb) \(ByteSize.format(result.freedBytes)) (\(result.freedBytes) bytes) in \(counted(result.removedFiles, "file"))"
                + "; cache \(dryRun ? "would hold" : "holds") \(ByteSize.format(result.remainingBytes)) in "
                + "\(counted(result.remainingFiles, "file"))" + (result.skippedPinnedFiles > 0
                    ? " (\(counted(result.skippedPinnedFiles, "file")) in use kept)" : ""))
            if removeTemp {
                print("removed \(counted(result.removedTemporaryFiles, "temporary file")) (\(ByteSize.format(result.removedTemporaryBytes)))"
                    + (dryRun ? "; would remove \(recent.files) more (\(ByteSize.format(recent.bytes)))" : ""))
            }
        }
    }

    /// `arttui cache unlink-pending`: what a big cleanup starts in the background.
    struct UnlinkPending: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unlink-pending", abstract: "Unlink the files evicted by a cleanup that are still on disk.",
            shouldDisplay: false)

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            try storeOptions.openCache().unlinkPending()
        }
    }
}
