/// Whether a download adds the files it builds from the store to the cache.
///
/// Files the cache already holds are used by ``always`` and ``auto`` alike; the policies differ in
/// what a cache miss costs. A cache entry must never change when someone edits a downloaded
/// copy, so a writable copy and its cache entry cannot share one inode: the entry is either a
/// reflink clone (the file system shares the blocks and copies them on write) or a second copy.
public enum CachePolicy: String, Sendable, CaseIterable, Codable {
    /// Every file built from the store is added: by a reflink clone of the written file where
    /// the file system supports one (Btrfs, XFS, …), else by copying it, which writes every byte twice.
    case always
    /// A file built from the store is added when that costs no second write (a reflink clone, or
    /// a link mode, where the link is the cache file) or when it is small (at most
    /// ``autoCopyLimit``), so that a copy costs little. On a file system without reflinks (ext4) a
    /// copying download writes each byte of a larger file once and does not cache it.
    case auto
    /// The cache is neither read nor filled: every file is built from the store. Link modes, which
    /// link to cache files, refuse it.
    case never

    /// The largest file that ``auto`` copies into the cache where no reflink clone is possible:
    /// above it, the second write costs more than the per-file work it saves a later download.
    public static let autoCopyLimit: Int64 = 1 << 20
}
