import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Checks a store's catalog against its storage, and with `readData` re-reads and re-hashes every
/// stored byte a version needs, as `restic check --read-data` does.
///
/// Safe while other processes put and delete: the catalog is read in one snapshot, and anything that
/// looks damaged is looked up again before it is reported, so a chunk a concurrent compaction moved
/// is not taken for a lost one.
///
/// ```swift
/// var verifier = StoreVerifier(store: store)
/// verifier.readData = true
/// let report = try verifier.verify(.store)
/// if !report.isClean { print(report.damagedVersions) }
/// ```
public struct StoreVerifier: Sendable {
    /// The store to check.
    public let store: Store
    /// Read and hash every chunk, not only its record header.
    public var readData = false
    /// `repair` leaves orphan packs younger than this alone: a `put` running now stores its packs
    /// before its version becomes visible, and they look orphaned until then.
    public var orphanGracePeriod: TimeInterval = 3600
    /// When set, every reference entry in scope is checked against its source too (`verify --references`).
    public var references: ReferenceResolver?

    /// Creates a verifier for `store`.
    public init(store: Store) {
        self.store = store
    }

    /// Checks the versions in `scope`; orphans only when the scope is the whole store.
    /// - Throws: `StoreError` when the catalog cannot be read at all.
    public func verify(_ scope: VerificationScope) throws -> VerificationReport {
        guard let catalog = store.catalog as? any InspectableCatalog else {
            throw StoreError.invalidArgument("this store's catalog does not support verify")
        }
        var report = VerificationReport(readData: readData)
        // Listed before the catalog is read: a pack stored after the listing cannot look missing.
        let listed = scope == .store ? try store.objects.list().filter { $0.key.hasPrefix("packs/") } : []
        for line in try catalog.integrityProblems() {
            report.problems.append(.init(kind: .catalogDamaged, subject: "catalog", detail: line, versions: ["*"]))
        }
        let inspection = try catalog.inspect(scope)
        let names = Dictionary(uniqueKeysWithValues: inspection.versions.map { ($0.id, $0.qualifiedName) })
        report.markedDamaged = inspection.versions.filter { $0.damage != nil }.map(\.qualifiedName)
        checkVersions(inspection, into: &report)
        if let references { checkReferences(inspection, resolver: references, into: &report) }
        for fault in inspection.contentFaults {
            report.problems.append(.init(
                kind: .contentIncomplete, subject: "content \(fault.digest.prefix(12))", detail: fault.detail,
                versions: versionNames(ofContents: [fault.digest], inspection, names)))
        }
        // A pack without chunks is one a deletion emptied whose object store did not confirm deleting
        // it: there is nothing in it to check, and its object may be gone already.
        let packsInScope = (scope == .store
            ? inspection.packs : inspection.packs.filter { Set(inspection.chunks.map(\.location.packKey)).contains($0.key) })
            .filter { $0.chunkCount > 0 }
        let storage = PackChecker(objects: store.objects, readData: readData)
        let result = try storage.check(chunks: inspection.chunks, packs: packsInScope)
        report.chunksChecked = inspection.chunks.count
        report.packsChecked = result.packsOpened
        report.bytesRead = result.bytesRead
        let confirmed = try confirm(result.faults, storage: storage, catalog: catalog)
        for fault in confirmed {
            report.problems.append(.init(
                kind: fault.kind, subject: fault.subject, detail: fault.detail,
                versions: versionNames(ofContents: fault.contents, inspection, names), pack: fault.pack))
        }
        if scope == .store {
            report.reclaimable = try orphans(listed: listed, catalog: catalog, packs: inspection.packs, result: result)
            let sizes = Dictionary(listed.map { ($0.key, $0.size) }, uniquingKeysWith: { first, _ in first })
            for pack in inspection.packs where pack.chunkCount == 0 {
                report.reclaimable.append(.init(kind: .emptiedPack, path: pack.key, bytes: sizes[pack.key] ?? 0))
            }
        }
        return report
    }

    /// Removes what `report` found reclaimable, compacts packs holding dead bytes and marks the
    /// damaged versions as such. Never deletes a version, and never touches a pack with a problem.
    public func repair(_ report: VerificationReport, scope: VerificationScope) throws -> VerificationReport {
        guard let catalog = store.catalog as? any InspectableCatalog else { return report }
        var report = report
        let damagedPacks = Set(report.problems.compactMap(\.pack))
        var toCompact = Set<String>()
        for orphan in report.reclaimable {
            switch orphan.kind {
            case .orphanPack:
                if let age = age(ofObject: orphan.path), age < orphanGracePeriod {
                    report.repairs.append(.init(
                        action: "skipped", subject: orphan.path,
                        detail: "written \(Int(age)) s ago; a running put may still commit it"))
                    continue
                }
                try store.objects.delete(key: orphan.path)
                report.repairs.append(.init(action: "removed", subject: orphan.path, detail: "orphan pack"))
            case .stalePartial:
                if removeIfAbandoned(orphan.path) {
                    report.repairs.append(.init(action: "removed", subject: orphan.path, detail: "stale partial pack"))
                }
            case .deadBytes:
                if !damagedPacks.contains(orphan.path) { toCompact.insert(orphan.path) }
            case .emptiedPack:
                try store.deleteEmptied(pack: orphan.path)
                report.repairs.append(.init(action: "removed", subject: orphan.path, detail: "pack emptied by a deletion"))
            }
        }
        store.compact(packs: toCompact)
        let stillListed = Set(try catalog.packs().map(\.key))
        for key in toCompact.sorted() {
            report.repairs.append(.init(
                action: "compacted", subject: key,
                detail: stillListed.contains(key) ? "not compacted; try again" : "live chunks moved to a new pack"))
        }
        // Mark every damaged version in scope, with the first problem that affects it.
        let inspection = try catalog.inspect(scope)
        var details: [Int64: String] = [:]
        for version in inspection.versions where version.state != .deleted {
            // A reference that changed at its source is not damage to the store.
            guard let problem = report.problems.first(where: {
                !$0.kind.concernsReference && $0.versions.contains(version.qualifiedName) || $0.versions == ["*"]
            }) else { continue }
            details[version.id] = "\(problem.subject): \(problem.detail)"
            report.repairs.append(.init(action: "marked-damaged", subject: version.qualifiedName, detail: details[version.id]!))
        }
        if !details.isEmpty { try catalog.markDamaged(details) }
        return report
    }

    // MARK: Catalog consistency

    /// A committed version's rows must add up to what it recorded when it was committed in one step.
    private func checkVersions(_ inspection: CatalogInspection, into report: inout VerificationReport) {
        for version in inspection.versions {
            switch version.state {
            case .pending:
                continue
            case .deleted:
                if !version.files.isEmpty {
                    report.problems.append(.init(
                        kind: .versionIncomplete, subject: "version \(version.qualifiedName)",
                        detail: "is deleted but still holds \(version.files.count) files", versions: []))
                }
            case .committed:
                report.versionsChecked += 1
                let size = version.files.reduce(Int64(0)) { $0 + $1.size }
                var faults: [String] = []
                if version.files.count != version.recordedFileCount {
                    faults.append("has \(version.files.count) files, recorded \(version.recordedFileCount)")
                }
                if size != version.recordedSize { faults.append("holds \(size) bytes, recorded \(version.recordedSize)") }
                if Store.manifestDigest(version.files) != version.recordedDigest {
                    faults.append("its files do not hash to its manifest digest")
                }
                if !faults.isEmpty {
                    report.problems.append(.init(
                        kind: .versionIncomplete, subject: "version \(version.qualifiedName)",
                        detail: faults.joined(separator: "; "), versions: [version.qualifiedName]))
                }
            }
        }
    }

    private func versionNames(ofContents contents: [String], _ inspection: CatalogInspection, _ names: [Int64: String])
        -> [String]
    {
        var ids = Set<Int64>()
        for content in contents { ids.formUnion(inspection.contentUsers[content] ?? []) }
        return ids.compactMap { names[$0] }.sorted()
    }

    // MARK: Storage

    /// Looks each fault up again: a chunk deleted or moved since the snapshot is not damage.
    private func confirm(_ faults: [PackChecker.Fault], storage: PackChecker, catalog: any InspectableCatalog) throws
        -> [PackChecker.Fault]
    {
        guard !faults.isEmpty else { return [] }
        let packs = Dictionary(try catalog.packs().map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var confirmed: [PackChecker.Fault] = []
        for fault in faults {
            var fault = fault
            if fault.chunks.isEmpty {
                // A pack-level fault: stands if the catalog still lists the pack.
                if let pack = fault.pack, packs[pack] != nil { confirmed.append(fault) }
                continue
            }
            var stillBad: [CatalogInspection.Chunk] = []
            for chunk in fault.chunks {
                guard let now = try catalog.location(ofChunk: chunk.digest) else { continue }
                if now == chunk.location {
                    stillBad.append(chunk)
                    continue
                }
                var moved = chunk
                moved.location = now
                let size = packs[now.packKey]?.size ?? 0
                let again = try storage.check(
                    chunks: [moved], packs: [.init(key: now.packKey, size: size, liveBytes: size, chunkCount: 1)])
                if !again.faults.isEmpty { stillBad.append(moved) }
            }
            guard !stillBad.isEmpty else { continue }
            fault.chunks = stillBad
            fault.contents = Array(Set(stillBad.flatMap(\.contents)))
            confirmed.append(fault)
        }
        return confirmed
    }

    private func orphans(
        listed: [ObjectInfo], catalog: any InspectableCatalog, packs: [CatalogInspection.Pack], result: PackChecker.Result
    ) throws -> [VerificationReport.Reclaimable] {
        var found: [VerificationReport.Reclaimable] = []
        // Read after the listing: a pack committed meanwhile is in the catalog by now.
        let known = Set(try catalog.packs().map(\.key))
        for object in listed where !known.contains(object.key) {
            found.append(.init(kind: .orphanPack, path: object.key, bytes: object.size))
        }
        let staging = store.objects.stagingDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: staging.path)) ?? []
        where name.hasSuffix(".pack.partial") {
            let path = staging.appendingPathComponent(name).path
            guard isAbandoned(path) else { continue }
            let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int64) ?? 0
            found.append(.init(kind: .stalePartial, path: path, bytes: size))
        }
        for pack in packs where pack.liveBytes < pack.size && result.diskSizes[pack.key] == pack.size {
            found.append(.init(kind: .deadBytes, path: pack.key, bytes: pack.size - pack.liveBytes))
        }
        return found
    }

    /// Seconds since an object was written, when the object store is a local directory.
    private func age(ofObject key: String) -> TimeInterval? {
        guard let local = store.objects as? LocalObjectStore else { return nil }
        let path = local.root.appendingPathComponent(key).path
        guard let modified = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        else { return nil }
        return Date().timeIntervalSince(modified)
    }

    /// A partial pack is abandoned when no writer holds its lock.
    private func isAbandoned(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return flock(fd, LOCK_EX | LOCK_NB) == 0
    }

    private func removeIfAbandoned(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return false }
        return unlink(path) == 0
    }
}
