import Foundation

/// Small JSON files in the client's cache directory, one per transfer that has not finished, each
/// holding the transfer's key and what a run of it again needs to resume; removed once it finishes.
/// Best effort throughout: a note that cannot be written or read only means the re-run moves
/// everything again. What `ResumableUploads` (a put's or push's upload on a server) and
/// `InterruptedPulls` (the packs a pull staged in the local store) keep.
struct UnfinishedTransfers<Key: Codable & Equatable & Sendable, Value: Codable & Sendable>: Sendable {
    private struct Entry: Codable {
        var key: Key
        var value: Value
    }

    /// The folder the notes are in.
    let directory: URL
    private let fileName: @Sendable (Key) -> String

    /// Notes in `folder` of `cacheDirectory`, the note of a key named by `fileName`.
    init(cacheDirectory: URL, folder: String, fileName: @escaping @Sendable (Key) -> String) {
        directory = cacheDirectory.appendingPathComponent(folder)
        self.fileName = fileName
    }

    /// What an earlier run of the transfer `key` left to resume from, if anything.
    func value(for key: Key) -> Value? {
        guard let data = FileManager.default.contents(atPath: file(key).path),
              let entry = try? JSONDecoder().decode(Entry.self, from: data), entry.key == key
        else { return nil }
        return entry.value
    }

    /// Remembers `value` for `key`, in place of what was remembered before.
    func remember(_ value: Value, for key: Key) {
        guard let data = try? JSONEncoder().encode(Entry(key: key, value: value)) else { return }
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? data.write(to: file(key), options: .atomic)
    }

    /// Forgets the transfer `key`, which finished.
    func forget(_ key: Key) {
        try? FileManager.default.removeItem(at: file(key))
    }

    private func file(_ key: Key) -> URL { directory.appendingPathComponent(fileName(key)) }
}
