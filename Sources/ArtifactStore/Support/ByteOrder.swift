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
        var a = a, b = b
        // Native strings are contiguous UTF-8: one memcmp instead of a loop over UTF8View elements.
        return a.withUTF8 { left in
            b.withUTF8 { right in
                let common = min(left.count, right.count)
                let order = common == 0 ? 0 : memcmp(left.baseAddress!, right.baseAddress!, common)
                return order != 0 ? order < 0 : left.count < right.count
            }
        }
    }
}
