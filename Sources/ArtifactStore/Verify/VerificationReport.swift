import Foundation

/// What `verify` found: the problems that lose data, the orphans that only waste space, and what
/// `--repair` did about them.
public struct VerificationReport: Sendable, Codable {
    /// Something that makes a version unrestorable, or a catalog that contradicts itself.
    public struct Problem: Sendable, Codable, Hashable {
        /// What kind of damage it is.
        public enum Kind: String, Sendable, Codable {
            /// The database engine finds its own file damaged.
            case catalogDamaged = "catalog-damaged"
            /// A version's rows do not add up to what it recorded (files, size or manifest digest).
            case versionIncomplete = "version-incomplete"
            /// A file content's chunk list is broken.
            case contentIncomplete = "content-incomplete"
            /// A pack the catalog lists is not in the storage or cannot be opened.
            case packMissing = "pack-missing"
            /// A pack's size differs from the one recorded.
            case packSize = "pack-size"
            /// A chunk's record header does not match the catalog.
            case chunkHeader = "chunk-header"
            /// A chunk's bytes do not hash to its digest.
            case chunkData = "chunk-data"
            /// What a reference entry points at no longer has its recorded checksum.
            case referenceChanged = "reference-changed"
            /// What a reference entry points at cannot be read.
            case referenceUnavailable = "reference-unavailable"

            /// Whether the problem is at a reference's source rather than in the store.
            public var concernsReference: Bool { self == .referenceChanged || self == .referenceUnavailable }
        }

        /// What kind of damage it is.
        public var kind: Kind
        /// The thing at fault: a chunk, pack, content, version or the catalog.
        public var subject: String
        /// What is wrong, in one line.
        public var detail: String
        /// The versions it makes unrestorable (in part), as `project/name:vN`; `*` for all.
        public var versions: [String]
        /// The pack it is in, when it is in one: `--repair` leaves that pack alone.
        public var pack: String? = nil
    }

    /// Bytes nothing needs: safe to remove, and left by crashes by design.
    public struct Reclaimable: Sendable, Codable, Hashable {
        /// Why the bytes are unneeded.
        public enum Kind: String, Sendable, Codable {
            /// A pack file no catalog row names (a crashed or still running `put`, an interrupted compaction).
            case orphanPack = "orphan-pack"
            /// A partial pack in `tmp/` whose writer is gone.
            case stalePartial = "stale-partial"
            /// A pack holding records of chunks that were deleted.
            case deadBytes = "dead-bytes"
            /// A pack a deletion emptied, still listed because the object store did not confirm deleting
            /// it (it failed or hung); its object may be gone already.
            case emptiedPack = "emptied-pack"
        }

        /// Why the bytes are unneeded.
        public var kind: Kind
        /// The pack key or file path.
        public var path: String
        /// How many bytes removing or compacting it frees.
        public var bytes: Int64
    }

    /// One thing `--repair` did.
    public struct Repair: Sendable, Codable, Hashable {
        /// `removed`, `compacted`, `marked-damaged` or `skipped`.
        public var action: String
        /// The pack, file or version.
        public var subject: String
        /// Why, or what came of it.
        public var detail: String
    }

    /// Whether every stored byte was read and hashed (`--read-data`) or only the record headers.
    public var readData: Bool
    /// Committed versions checked.
    public var versionsChecked = 0
    /// Chunks checked.
    public var chunksChecked = 0
    /// Packs opened.
    public var packsChecked = 0
    /// Bytes read from packs.
    public var bytesRead: Int64 = 0
    /// Reference entries checked at their sources (`verify --references`); nil when not asked.
    public var referencesChecked: Int?
    /// Versions `--repair` marked damaged before this run.
    public var markedDamaged: [String] = []
    /// Damage, each with the versions it affects.
    public var problems: [Problem] = []
    /// Orphans; only looked for when the whole store is verified.
    public var reclaimable: [Reclaimable] = []
    /// What `--repair` did; empty without it.
    public var repairs: [Repair] = []

    /// No damage (reclaimable orphans do not count: crashes leave them by design).
    public var isClean: Bool { problems.isEmpty }

    /// Every version some problem affects.
    public var damagedVersions: [String] { Array(Set(problems.flatMap(\.versions))).sorted() }

    /// Bytes the reclaimable orphans hold.
    public var reclaimableBytes: Int64 { reclaimable.reduce(0) { $0 + $1.bytes } }
}
