import Testing
@testable import ArtifactStore

@Suite("Manifest paths")
struct ManifestPathTests {
    @Test(arguments: ["a", "a/b.c", ".hidden", "a/..b", "...", "a/b/c", "a..", "x/.y/z", "日本/データ.bin"])
    func acceptsRelativePaths(_ path: String) throws {
        try ManifestPath.validate(path)
    }

    @Test(arguments: [
        ("", "the path is empty"), ("/a", "the path is absolute"), ("a//b", "the path has an empty component"),
        ("a/", "the path has an empty component"), ("./a", "the path has a '.' component"),
        ("a/.", "the path has a '.' component"), ("../a", "the path has a '..' component"),
        ("a/../b", "the path has a '..' component"), ("a/..", "the path has a '..' component"),
        ("a\\b", "the path contains a backslash"), ("a\u{0}b", "the path contains a NUL byte"),
        (String(repeating: "x", count: 256), "a component is longer than 255 bytes"),
        (Array(repeating: "abcdefgh", count: 600).joined(separator: "/"), "the path is longer than 4096 bytes"),
    ])
    func refusesEscapesAndOddities(_ path: String, _ reason: String) {
        #expect(throws: StoreError.unsafePath(path: path, reason: reason)) { try ManifestPath.validate(path) }
    }
}
