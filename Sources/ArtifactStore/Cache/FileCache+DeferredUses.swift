import Foundation
import Synchronization

/// Uses of cached files noted in memory while a `get` runs.
struct DeferredUses {
    /// Open `deferringUses` scopes; uses are written when the last one ends.
    var depth = 0
    /// The newest use of each file: the signature to record (after a hard link) and who used it.
    var uses: [String: (signature: FileSignature?, owners: Set<CacheOwner>)] = [:]
}

extension FileCache {
    /// Runs `body` noting each use of a cached file in memory, and writes them all to the index in one
    /// transaction at the end, instead of one transaction per file.
    ///
    /// Only for callers that pinned the files they use (as `get` does): a deferred use cannot notice
    /// that an unpinned file was evicted meanwhile.
    public func deferringUses<T>(_ body: () throws -> T) throws -> T {
        deferredUses.withLock { $0.depth += 1 }
        let result: T
        do {
            result = try body()
        } catch {
            try? flushDeferredUses()
            throw error
        }
        try flushDeferredUses()
        return result
    }

    /// Marks a file used now, or notes the use for the end of `deferringUses`.
    /// Returns false when the file's row is gone (it was evicted), which only an immediate use can tell.
    func recordUse(digest: String, signature: FileSignature?, owner: CacheOwner?) throws -> Bool {
        let deferred = deferredUses.withLock { state -> Bool in
            guard state.depth > 0 else { return false }
            var use = state.uses[digest] ?? (nil, [])
            if let signature { use.signature = signature }
            if let owner { use.owners.insert(owner) }
            state.uses[digest] = use
            return true
        }
        if deferred { return true }
        return try index.pool.write { db in
            try CacheIndex.touch(db, digest: digest, signature: signature, owner: owner)
        }
    }

    private func flushDeferredUses() throws {
        let uses = deferredUses.withLock { state -> [String: (signature: FileSignature?, owners: Set<CacheOwner>)] in
            state.depth -= 1
            guard state.depth == 0 else { return [:] }
            defer { state.uses = [:] }
            return state.uses
        }
        guard !uses.isEmpty else { return }
        try index.pool.write { db in
            for (digest, use) in uses.sorted(by: { $0.key < $1.key }) {
                if use.owners.isEmpty {
                    try CacheIndex.touch(db, digest: digest, signature: use.signature, owner: nil)
                }
                for owner in use.owners {
                    try CacheIndex.touch(db, digest: digest, signature: use.signature, owner: owner)
                }
            }
        }
    }
}
