import ArtifactStore
import ArtifactWire
import Foundation

/// Copies versions between two ends (local store → server, server → local store, server → server)
/// with their descriptions, metadata and aliases, the runs that logged and used them and so the
/// lineage edges between them. Only chunks the target lacks move, as stored records (reference
/// entries travel in the manifest; their bytes stay at their sources); a version the
/// target already holds (same digest) is not copied again, so a repeated copy changes nothing.
struct VersionCopier {
    /// One version's fate.
    struct Copied: Encodable {
        var source: String
        var target: String
        var digest: String
        var created: Bool
        var chunksSent: Int
        var bytesSent: Int64
    }

    /// An alias the target gives another version, left there.
    struct AliasConflict: Encodable {
        var alias: String
        var heldBy: String
        var wanted: String
    }

    /// An alias set on the target, on the version it now names there.
    struct AliasSet: Encodable {
        var alias: String
        var version: String
    }

    /// Pending versions of an artifact that were not copied.
    struct PendingLeftOut: Encodable {
        var artifact: String
        var count: Int
    }

    /// What a copy did: the version-number mapping and what moved.
    struct Report: Encodable {
        var createdProjects: [String] = []
        var versions: [Copied] = []
        var pendingLeftOut: [PendingLeftOut] = []
        var runs: [String] = []
        var runsLeftOut: [String] = []
        var aliasesSet: [AliasSet] = []
        var aliasConflicts: [AliasConflict] = []
        var chunksSent = 0
        var bytesSent: Int64 = 0
    }

    let source: any TransferEnd
    let target: any TransferEnd
    /// Move an alias the target gives another version instead of reporting it.
    let moveAliases: Bool

    /// Copies `artifact`'s committed versions (only `reference` when given), oldest first.
    ///
    /// A pending version is unfinished work (`put --upsert` writers may still add to it), so it is not
    /// copied: asking for one alone, or for an artifact that has nothing else, fails naming `finish`;
    /// beside committed versions the report names how many were left out.
    func copy(artifact: String, reference: String?, into report: inout Report) throws {
        let label = "\(source.projectName)/\(artifact)"
        let versions: [WireVersion]
        do {
            versions = try source.versions(of: artifact, reference: reference)
        } catch where reference?.lowercased() == "pending" && (try? source.pendingVersionCount(of: artifact)) ?? 0 > 0 {
            throw pendingRefusal(label)
        }
        if reference == nil {
            let pending = try source.pendingVersionCount(of: artifact)
            if pending > 0 && versions.isEmpty { throw pendingRefusal(label) }
            if pending > 0 { report.pendingLeftOut.append(PendingLeftOut(artifact: label, count: pending)) }
        }
        // An alias set before today's alias rule cannot be set on the target: say so before anything is copied.
        for version in versions {
            do {
                try Alias.validateManual(version.aliases.filter { !Alias.isManaged($0) })
            } catch {
                throw CommandFailure(message:
                    "cannot copy \(version.qualifiedName): \(error) (arttui alias rm removes it at the source)")
            }
        }
        if let created = try target.prepareProject(), !report.createdProjects.contains(created) {
            report.createdProjects.append(created)
        }
        var held = try targetVersions(artifact)
        var pairs: [(WireVersion, WireVersion)] = []
        for version in versions {
            let manifest = try source.manifest(of: version)
            if let existing = held.first(where: { $0.digest == version.digest }) {
                pairs.append((version, existing))
                report.versions.append(Copied(
                    source: version.qualifiedName, target: existing.qualifiedName, digest: version.digest, created: false,
                    chunksSent: 0, bytesSent: 0))
                continue
            }
            var producer = version.loggedBy
            if let runID = producer, try !copyRun(runID, into: &report) { producer = nil }
            let digests = ChunkUploader.chunksInFileOrder(
                manifest.files, chunksOf: Dictionary(manifest.contents.map { ($0.digest, $0.chunks) }, uniquingKeysWith: { first, _ in first }))
            let missing = try target.missingChunks(digests)
            var sizes: [String: Int] = [:]
            for content in manifest.contents where !content.chunks.isEmpty {
                for chunk in content.chunks { sizes[chunk] = Int(content.size) / content.chunks.count }
            }
            let request = CommitRequest(
                artifact: artifact, type: version.type, description: version.description, metadata: version.metadata,
                aliases: [], run: producer, files: manifest.files, contents: manifest.contents)
            let (commit, chunks, bytes) = try target.importVersion(
                request, sending: missing, size: { sizes[$0] ?? 4 << 20 },
                from: try source.recordSource(for: version, manifest: manifest))
            guard commit.version.digest == version.digest else {
                throw CommandFailure(message: "\(commit.version.qualifiedName) got digest \(commit.version.digest), not \(version.digest) as \(version.qualifiedName) has")
            }
            held.append(commit.version)
            pairs.append((version, commit.version))
            report.versions.append(Copied(
                source: version.qualifiedName, target: commit.version.qualifiedName, digest: version.digest, created: commit.created,
                chunksSent: chunks, bytesSent: bytes))
            report.chunksSent += chunks
            report.bytesSent += bytes
        }
        held = try targetVersions(artifact)
        for (version, copy) in pairs {
            for runID in try source.runsUsing(version) {
                if try copyRun(runID, into: &report) { try target.recordUse(runID: runID, of: copy) }
            }
            for alias in version.aliases where alias != Alias.latest {
                let holder = held.first { $0.aliases.contains(alias) }
                if holder?.version == copy.version { continue }
                if let holder, !moveAliases {
                    report.aliasConflicts.append(AliasConflict(alias: alias, heldBy: holder.qualifiedName, wanted: copy.qualifiedName))
                    continue
                }
                try target.setAlias(alias, on: copy)
                report.aliasesSet.append(AliasSet(alias: alias, version: copy.qualifiedName))
                for index in held.indices { held[index].aliases.removeAll { $0 == alias } }
                if let index = held.firstIndex(where: { $0.version == copy.version }) { held[index].aliases.append(alias) }
            }
        }
    }

    /// Creates the run on the target unless it is there; false when the target cannot have it (its id
    /// is another project's there, or the source no longer has it). The report names the runs created
    /// and those left out.
    private func copyRun(_ id: String, into report: inout Report) throws -> Bool {
        if report.runs.contains(id) { return true }
        if report.runsLeftOut.contains(id) { return false }
        guard let run = try source.run(id: id) else { return false }
        switch try target.ensureRun(run) {
        case .created:
            report.runs.append(id)
            return true
        case .present:
            return true
        case .elsewhere:
            report.runsLeftOut.append(id)
            return false
        }
    }

    private func targetVersions(_ artifact: String) throws -> [WireVersion] {
        do {
            return try target.versions(of: artifact, reference: nil)
        } catch ServerError.notFound {
            return []
        } catch StoreError.artifactNotFound {
            return []
        } catch StoreError.projectNotFound {
            return []
        }
    }

    /// Why a pending version is not copied, and what makes it copyable.
    private func pendingRefusal(_ artifact: String) -> CommandFailure {
        CommandFailure(message:
            "\(artifact) \(source.place) is pending, and a pending version is copied only once finished: "
                + "commit it with arttui finish -n \(artifact) --distributed-id ID, then copy again")
    }
}

extension VersionCopier.Report {
    /// The report as text: the mapping, conflicts and totals.
    func printText(verb: String) {
        for project in createdProjects { print("created project \(project) (private)") }
        for version in versions {
            let fate = version.created
                ? "copied, \(counted(version.chunksSent, "chunk")), \(ByteSize.format(version.bytesSent)) sent"
                : "already there"
            print("\(version.source) -> \(version.target) (\(fate))")
        }
        for set in aliasesSet { print("alias \(set.alias) → \(set.version)") }
        for pending in pendingLeftOut {
            print("\(pending.artifact): \(counted(pending.count, "pending version")) not copied "
                + "(unfinished: arttui finish commits one, then copy again)")
        }
        for run in runsLeftOut {
            print("run \(run) left out: the target has a run of that id in another project (its lineage is not copied)")
        }
        for conflict in aliasConflicts {
            print("alias \(conflict.alias) left on \(conflict.heldBy), not moved to \(conflict.wanted) (--move-aliases moves it)")
        }
        print("\(verb) \(counted(versions.count, "version")) (\(versions.count { $0.created }) new), "
            + "\(counted(runs.count, "run")), \(counted(chunksSent, "chunk")), \(ByteSize.format(bytesSent)) sent")
    }
}
