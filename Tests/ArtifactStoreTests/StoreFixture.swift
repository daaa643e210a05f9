import Foundation
import StoreTestSupport
@testable import ArtifactStore

/// A fresh store, cache and scratch directory under a temporary directory, removed on deinit.
final class StoreFixture {
    let root: URL
    let store: Store
    let cache: FileCache

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        store = try Store(directory: root.appendingPathComponent("store"))
        cache = try FileCache(directory: root.appendingPathComponent("cache"))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Writes files (path → bytes) under `root/name` and returns that directory.
    @discardableResult
    func tree(_ name: String, _ files: [String: [UInt8]]) throws -> URL {
        try TestTree.write(files, at: root.appendingPathComponent(name))
    }

    /// Logs a directory as a version of `project/name`.
    @discardableResult
    func put(_ directory: URL, _ project: String = "proj", _ name: String = "data", aliases: [String] = [],
             type: String = "dataset") throws -> LogResult {
        var draft = ArtifactDraft(name: name, type: type, aliases: aliases)
        try draft.addDirectory(directory)
        return try store.log(draft, project: project)
    }

    /// Total bytes of the pack files on disk.
    func packBytes() throws -> Int64 { try store.packBytes() }

    /// Every file under a directory, path → content.
    func contents(of directory: URL) throws -> [String: Data] { try TestTree.contents(of: directory) }
}
