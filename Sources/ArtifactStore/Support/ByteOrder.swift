#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ordering of strings by their UTF-8 bytes: SQLite's `BINARY` order, and the order of manifest
/// lines in a version's digest.
enum ByteOrder {
    /// Whether `a` sorts before `b` byte by byte; a prefix sorts first.
    static func precedes(_ a: String, _ b: String) -> Bool {
        // Native strings are contiguous UTF-8: one memcmp on the borrowed bytes. Sorting 20,000
        // paths spent a sixth of an unchanged put in the retains and releases of copying both
        // strings into variables for the mutating `withUTF8`, so that is only the fallback.
        let fast = a.utf8.withContiguousStorageIfAvailable { left in
            b.utf8.withContiguousStorageIfAvailable { right in compare(left, right) }
        }
        if let fast, let result = fast { return result }
        var a = a, b = b
        return a.withUTF8 { left in b.withUTF8 { right in compare(left, right) } }
    }

    private static func compare(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(left.count, right.count)
        let order = common == 0 ? 0 : memcmp(left.baseAddress!, right.baseAddress!, common)
        return order != 0 ? order < 0 : left.count < right.count
    }
}
