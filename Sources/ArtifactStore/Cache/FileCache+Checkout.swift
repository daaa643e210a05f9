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
    /// - `hardlink` and `symlink` check the stat signature first (hashing again when it
    ///   changed), then link; the result is read-only, as the cache file is. A hard link
    ///   that the file system refuses (another device, …) falls back to a copy.
    ///
    /// - Returns: false when the cache does not hold the file intact: build the file from
    ///   the store instead (and ``insert(digest:size:owner:write:)`` it).
    /// - Throws: `StoreError.io` when the destination cannot be written.
    public func copy(
        digest: String, size: Int64, to destination: URL, mode: LinkMode, owner: CacheOwner? = nil
    ) throws -> Bool {
        try Self.validate(digest)
        switch mode {
        case .copy:
            return try copyChecking(digest: digest, size: size, to: destination, owner: owner)
        case .hardlink, .symlink:
            guard try verifiedSignature(digest: digest, size: size) != nil else { return false }
            let source = objectPath(digest)
            let temporary = Self.temporaryPath(beside: destination)
            let linked = mode == .hardlink ? link(source, temporary) : symlink(source, temporary)
            if linked != 0 {
                let code = errno
                if mode == .hardlink && [EXDEV, EPERM, EMLINK, ENOTSUP, EOPNOTSUPP].contains(code) {
                    return try copyChecking(digest: digest, size: size, to: destination, owner: owner)
                }
                throw systemError(mode == .hardlink ? "hard-link" : "symlink", destination.path, code: code)
            }
            defer { unlink(temporary) }  // rename leaves it when destination is already this very file
            if rename(temporary, destination.path) != 0 {
                throw systemError("move into place", destination.path)
            }
            // A new hard link changes the cache file's ctime; record the signature now so the
            // next use need not hash the file again.
            let signature = mode == .hardlink ? try FileSignature.of(path: source) : nil
            let touched = try recordUse(digest: digest, signature: signature, owner: owner)
            if !touched && mode == .symlink {
                // Evicted meanwhile (it was not pinned): the link would dangle.
                try removeFileIfPresent(destination.path)
                return false
            }
            return true
        }
    }

    /// Copies the cached file to `destination`, hashing on the way; evicts it on a mismatch.
    private func copyChecking(digest: String, size: Int64, to destination: URL, owner: CacheOwner?) throws -> Bool {
        guard let entry = try index.pool.read({ try CacheIndex.entry($0, digest: digest) }) else { return false }
        let source = objectPath(digest)
        guard entry.size == size, let input = try? openFile(source, O_RDONLY, operation: "open") else {
            try evict(digest: digest)
            return false
        }
        defer { close(input) }

        let temporary = Self.temporaryPath(beside: destination)
        let output = try openFile(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o666, operation: "create")
        var placed = false
        defer { if !placed { unlink(temporary) } }
        let copied: (digest: String, size: Int64)
        do {
            copied = try hashFile(input, path: source) { try writeAll(output, $0, path: temporary) }
        } catch {
            close(output)
            throw error
        }
        close(output)
        guard copied.digest == digest, copied.size == size else {
            try evict(digest: digest)
            return false
        }
        if rename(temporary, destination.path) != 0 {
            throw systemError("move into place", destination.path)
        }
        placed = true

        var signature = try FileSignature.of(descriptor: input, path: source)
        if signature != entry.signature {
            // Content checked just now; make it read-only again in case someone chmod'ed it.
            _ = fchmod(input, 0o444)
            signature = try FileSignature.of(descriptor: input, path: source)
        }
        _ = try recordUse(digest: digest, signature: signature, owner: owner)
        return true
    }

    /// A hidden name next to `destination` for writing it before an atomic rename.
    static func temporaryPath(beside destination: URL) -> String {
        destination.deletingLastPathComponent().path + "/.\(destination.lastPathComponent).arttui-\(UUID().uuidString).part"
    }
}
