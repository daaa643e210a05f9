import ArgumentParser
import ArtifactStore
import ArtifactWire
import Foundation
import ReferenceSources

/// `arttui verify [PROJECT[/NAME[:REF]]]`: checks that every version can be restored.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the catalog against the stored packs; with --read-data, re-hash every stored byte.",
        discussion: """
            Each problem is printed with the versions it affects. Orphans (packs no version uses, partial \
            packs of dead writers, bytes of deleted chunks) are reclaimable, not damage: crashes leave them \
            by design, and --repair removes them. Exit status: 0 when there is no damage (reclaimable \
            orphans may remain; they are listed), 1 when damage was found (after --repair too: marking a \
            version damaged does not bring its bytes back), 2 when the store could not be read at all. \
            With --root DIR and a version, it checks instead that DIR holds exactly the version's files, \
            hashing each (exit status 1 when it does not).
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp(
        "What to check: a project, an artifact or one version (default: the whole store, orphans included).",
        valueName: "project[/name[:ref]]"))
    var scope: String?

    @Option(help: ArgumentHelp(
        "Instead, check that this directory holds exactly the files of the version given (hashing each).",
        valueName: "dir"))
    var root: String?

    @Flag(help: "Read and hash every stored byte, not only the chunk record headers.")
    var readData = false

    @Flag(help: "Check every reference at its source too: ETags by HEAD request, file:// and untagged http(s) by hashing.")
    var references = false

    @Flag(help: "Remove orphans, compact packs holding deleted bytes, and mark damaged versions (never deletes one).")
    var repair = false

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "With --repair, leave orphan packs younger than this alone: a running put may still commit them (default: 3600).",
        valueName: "seconds"), transform: OptionNumbers.count.read)
    var orphanGrace: Int = 3600

    func validate() throws {
        if root != nil {
            if scope == nil { throw ValidationError("--root needs the version to compare with: PROJECT/NAME[:REF]") }
            if readData || repair { throw ValidationError("--root checks a directory; it takes no --read-data or --repair") }
        }
    }

    func run() throws {
        if try storeOptions.server.selectedServer() != nil { return try verifyOnServer() }
        if let root, let scope { return try checkDirectory(root, against: scope) }
        let store: Store
        let report: VerificationReport
        do {
            store = try Store(directory: storeOptions.storeDirectory, create: false)
        } catch let error as StoreError {
            throw CommandFailure(message: error.description, status: 2)
        }
        let target = try store.verificationScope(resolveScope(in: store))
        var verifier = StoreVerifier(store: store)
        verifier.readData = readData
        verifier.orphanGracePeriod = TimeInterval(orphanGrace)
        if references { verifier.references = .standard() }
        do {
            let found = try verifier.verify(target)
            report = repair ? try verifier.repair(found, scope: target) : found
        } catch let error as StoreError {
            throw CommandFailure(message: error.description, status: 2)
        }
        try finish(report)
    }

    /// The server checks its own catalog against its bucket; repairs and reference checks stay with
    /// whoever runs the server.
    private func verifyOnServer() throws {
        if repair || references || root != nil {
            throw CommandFailure(message:
                "verify against a server only checks (with --read-data); --repair, --references and --root work on a local store")
        }
        let repository = try storeOptions.openRepository()
        try finish(repository.verify(resolveScope(in: repository), readData: readData), onServer: true)
    }

    /// Prints the report; damage is a finding, not a failure to run, so the status says so after it.
    /// `onServer`: the report came from a team server, where `--repair` does not run: it is not suggested.
    private func finish(_ report: VerificationReport, onServer: Bool = false) throws {
        if output.json {
            try JSONOutput.print(WireVerification(report: report))
        } else {
            printText(report, onServer: onServer)
        }
        if !report.isClean { Foundation.exit(1) }
    }

    private func resolveScope(in store: any ArtifactRepository) throws -> RepositoryVerifyScope? {
        guard let scope else { return nil }
        if scope.contains(":") {
            return .version(try store.version(store.address(scope)))
        }
        let parsed = try store.scope(scope)
        guard let name = parsed.name else {
            _ = try store.artifacts(in: parsed.project)
            return .project(parsed.project)
        }
        _ = try store.versionCount(of: parsed.project, name)
        return .artifact(project: parsed.project, name: name)
    }

    private func printText(_ report: VerificationReport, onServer: Bool) {
        for problem in report.problems {
            let affected = problem.versions.isEmpty ? "" : " (affects \(problem.versions.joined(separator: ", ")))"
            print("problem: \(problem.subject): \(problem.detail)\(affected)")
        }
        for orphan in report.reclaimable {
            let what: String
            switch orphan.kind {
            case .orphanPack: what = "no catalog row names it"
            case .stalePartial: what = "partial pack of a writer that is gone"
            case .deadBytes: what = "holds bytes of deleted chunks"
            case .emptiedPack: what = "emptied by a deletion the object store did not finish; the next rm or prune deletes it"
            }
            print("reclaimable: \(orphan.path): \(what), \(ByteSize.format(orphan.bytes)) (\(orphan.bytes) bytes)")
        }
        for repair in report.repairs {
            print("repair: \(repair.action) \(repair.subject): \(repair.detail)")
        }
        for name in report.markedDamaged where !report.damagedVersions.contains(name) {
            print("note: \(name) was marked damaged by an earlier --repair")
        }
        let checked = "checked \(counted(report.versionsChecked, "version")), \(counted(report.chunksChecked, "chunk")) in "
            + "\(counted(report.packsChecked, "pack")) (\(ByteSize.format(report.bytesRead)) read, "
            + (report.readData ? "every byte hashed)" : "record headers only; --read-data hashes every byte)")
            + (report.referencesChecked.map { ", \(counted($0, "reference")) checked at their sources" } ?? "")
        let damage = report.isClean
            ? "no damage"
            : "\(counted(report.problems.count, "problem")) affecting \(counted(report.damagedVersions.count, "version"))"
        var orphans = ""
        if !report.reclaimable.isEmpty {
            orphans = "; \(counted(report.reclaimable.count, "reclaimable orphan")) holding \(ByteSize.format(report.reclaimableBytes))"
                + (repair ? " found (see the repairs above)"
                    : onServer ? "" : " (arttui verify --repair removes them)")
        }
        print("\(checked): \(damage)\(orphans)")
    }
}
