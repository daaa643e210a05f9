/// How a cached file is placed at its destination in a checkout.
public enum LinkMode: String, Sendable, CaseIterable, Codable {
    /// A full, writable copy, checked against its digest while copying.
    case copy
    /// A hard link to the cache file: no bytes copied, read-only like the cache file.
    /// Falls back to a copy across file systems.
    case hardlink
    /// A symbolic link to the cache file: read-only, and dangling once the file is evicted.
    case symlink
}
