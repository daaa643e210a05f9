#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

extension FileCache {
    /// Places the cached file with this digest at `destination` (replacing what is there),
    /// as a checked copy or a link. The destination's directory must exist.
    ///
    /// - `copy` hashes while copying; a mismatch removes the partial destination and the
    ///   cache entry and returns false.
    /// - `hardlink` and `symlink` check the stat signature (hashing again when it changed) and
    ///   link; the result is read-only, as the cache file is. A hard link is made first and its
    ///   inode checked against the index after (one `stat`), and undone when that check fails. A
    ///   hard link that the file system refuses (another device, …) falls back to a copy.
    ///
    /// - Returns: false when the cache does not hold the file intact: build the file from
    ///   the store instead (and ``insert(digest:size:owner:copyTo:write:)`` it).
    /// - Throws: `StoreError.io` when the destination cannot be written.
    public func copy(
        digest: String, size: Int64, to destination: URL, mode: LinkMode, owner: CacheOwner? = nil
    ) throws -> Bool {
        try copy(digest: digest, size: size, toPath: destination.path, mode: mode, owner: owner)
    }

    /// ``copy(digest:size:to:mode:owner:)`` with the destination as a path.
    func copy(digest: String, size: Int64, toPath destination: String, mode: LinkMode, owner: CacheOwner?) throws -> Bool {
        try Self.validate(digest)
        switch mode {
        case .copy:
            return try copyChecking(digest: digest, size: size, to: destination, owner: owner)
        case .hardlink, .symlink:
            if mode == .hardlink, try linkTrustingTheIndex(digest: digest, size: size, to: destination, owner: owner) {
                return true
            }
            guard try verifiedSignature(digest: digest, size: size) != nil else { return false }
            let source = objectPath(digest)
            let makeLink = { (path: String) in mode == .hardlink ? link(source, path) : symlink(source, path) }
            let linked = try Self.place(destination, makeLink)
            if linked != 0 {
                let code = errno
                if mode == .hardlink && [EXDEV, EPERM, EMLINK, ENOTSUP, EOPNOTSUPP].contains(code) {
                    return try copyChecking(digest: digest, size: size, to: destination, owner: owner)
                }
                throw systemError(mode == .hardlink ? "hard-link" : "symlink", destination, code: code)
            }
            // A new hard link changes the cache file's ctime; record the signature now so the
            // next use need not hash the file again.
            let signature = mode == .hardlink ? try FileSignature.of(path: source) : nil
            let touched = try recordUse(digest: digest, signature: signature, owner: owner)
            if !touched && mode == .symlink {
                // Evicted meanwhile (it was not pinned): the link would dangle.
                try removeFileIfPresent(destination)
                return false
            }
            return true
        }
    }

    /// Makes a link at `destination` with `makeLink`: straight there when nothing is there (a fresh
    /// restore); otherwise beside it and renamed over it, so what was there is replaced in one step.
    /// Returns `makeLink`'s result, with `errno` set when it failed.
    private static func place(_ destination: String, _ makeLink: (String) -> Int32) throws -> Int32 {
        var linked = makeLink(destination)
        if linked != 0 && errno == EEXIST {
            let temporary = PendingFile.temporaryPath(beside: destination)
            linked = makeLink(temporary)
            if linked == 0 {
                defer { unlink(temporary) }  // rename leaves it when destination is already this very file
                if rename(temporary, destination) != 0 {
                    throw systemError("move into place", destination)
                }
            }
        }
        return linked
    }

    /// The hard link of a file the index holds, with one `stat` instead of two: link first, then
    /// check the linked inode against the index's row (inode, size and mtime as recorded, ctime no
    /// older). The link itself moves the ctime, so the check after it also yields the signature to
    /// record. False, with the destination removed again, when anything differs or the link fails:
    /// the caller then checks (hashing if need be) and links the long way.
    private func linkTrustingTheIndex(digest: String, size: Int64, to destination: String, owner: CacheOwner?) throws -> Bool {
        guard let entry = try knownEntry(digest: digest), entry.size == size else { return false }
        let source = objectPath(digest)
        guard try Self.place(destination, { link(source, $0) }) == 0 else { return false }
        let recorded = entry.signature
        guard let linked = try FileSignature.of(path: destination), linked.inode == recorded.inode,
              linked.size == recorded.size, linked.modifiedNs == recorded.modifiedNs,
              linked.changedNs >= recorded.changedNs
        else {
            try removeFileIfPresent(destination)
            return false
        }
        _ = try recordUse(digest: digest, signature: linked, owner: owner)
        return true
    }

    /// Copies the cached file to `destination`, hashing on the way; evicts it on a mismatch.
    private func copyChecking(digest: String, size: Int64, to destination: String, owner: CacheOwner?) throws -> Bool {
        guard let entry = try knownEntry(digest: digest) else { return false }
        let source = objectPath(digest)
        guard entry.size == size, let input = try? openFile(source, O_RDONLY, operation: "open") else {
            try evict(digest: digest)
            return false
        }
        defer { close(input) }

        let output = try PendingFile.create(toBecome: destination, mode: 0o666)
        defer { output.close() }
        let copied = try hashFile(input, path: source) { try writeAll(output.fd, $0, path: destination) }
        guard copied.digest == digest, copied.size == size else {
            try evict(digest: digest)
            return false
        }
        try output.place(at: destination)

        var signature = try FileSignature.of(descriptor: input, path: source)
        if signature != entry.signature {
            // Content checked just now; make it read-only again in case someone chmod'ed it.
            _ = fchmod(input, 0o444)
            signature = try FileSignature.of(descriptor: input, path: source)
        }
        _ = try recordUse(digest: digest, signature: signature, owner: owner)
        return true
    }
}
