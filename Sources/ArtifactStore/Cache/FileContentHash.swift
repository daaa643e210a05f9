import Crypto

/// Reads an open file to its end, hashing it (SHA-256) and handing each block to `forward`.
///
/// Used to re-check a cached file whose signature changed, and to copy a cached file out
/// while checking it. Returns the lowercase hex digest and the number of bytes read.
func hashFile(
    _ fd: Int32, path: String, forward: ((UnsafeRawBufferPointer) throws -> Void)? = nil
) throws -> (digest: String, size: Int64) {
    var hasher = SHA256()
    var size: Int64 = 0
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    while true {
        let count = try readSome(fd, into: buffer, path: path)
        if count == 0 { break }
        let block = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
        hasher.update(bufferPointer: block)
        try forward?(block)
        size += Int64(count)
    }
    return (hasher.finalize().hexString, size)
}
