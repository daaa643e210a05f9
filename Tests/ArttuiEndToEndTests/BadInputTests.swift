import Foundation
import GRDB
import ProcessTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every kind of bad input the command line can get: each is refused with one line and a non-zero exit,
/// and leaves the store byte-for-byte unchanged.
@Suite(.serialized, .childProcesses)
struct BadInputTests {
    struct Case: CustomStringConvertible {
        var label: String
        var arguments: [String]
        var description: String { label }
    }

    @Test("bad input is refused with one line, a non-zero exit and an unchanged store")
    func table() async throws {
        let sandbox = try ReliabilitySandbox("badinput")
        defer { sandbox.remove() }
        let work = sandbox.work.path
        let data = try sandbox.makeTree("data", files: 2, size: 10_000, seed: 1)
        #expect(try await sandbox.run(["put", data.path, "-n", "p/a", "-a", "best"]).status == 0)
        let escapes = try await craftEscapingVersions(sandbox, from: data)
        let fixtures = try makeHostileFiles(in: sandbox.work)
        let readOnlyStore = mountReadOnlyCopy(of: sandbox.store, at: sandbox.root.appendingPathComponent("ro-store"))
        defer { if let readOnlyStore { _ = umount(readOnlyStore) } }
        let manyKeys = "{" + (0..<101).map { "\"k\($0)\": \($0)" }.joined(separator: ",") + "}"

        var cases: [Case] = escapes.map { Case(label: "manifest path \($0.path)", arguments: ["get", $0.address, "--root", "\(work)/out"]) }
        cases += [
            Case(label: "symlink leaving the put directory", arguments: ["put", fixtures.outwardLink, "-n", "p/a"]),
            Case(label: "fifo", arguments: ["put", fixtures.fifo, "-n", "p/a"]),
            Case(label: "device", arguments: ["put", "/dev/null", "-n", "p/a"]),
            Case(label: "non-UTF-8 file name", arguments: ["put", fixtures.nonUTF8, "-n", "p/a"]),
            Case(label: "very long path", arguments: ["put", fixtures.longPath, "-n", "p/a"]),
            Case(label: "missing file", arguments: ["put", "\(work)/nothing-here", "-n", "p/a"]),
        ]
        for name in ["p/", "/a", "p/a b", "p/..", "p/a/b/c", "p/\u{7}", "p#/a", "p/" + String(repeating: "x", count: 300)] {
            cases.append(Case(label: "name \(name.prefix(20))", arguments: ["put", data.path, "-n", name]))
        }
        for type in ["", "Bad Type!", String(repeating: "t", count: 200)] {
            cases.append(Case(label: "type \(type.prefix(20))", arguments: ["put", data.path, "-n", "p/a", "-t", type]))
        }
        for alias in ["latest", "v3", "a:b", "", "a/b", String(repeating: "a", count: 300)] {
            cases.append(Case(label: "alias \(alias.prefix(20))", arguments: ["put", data.path, "-n", "p/a", "-a", alias]))
        }
        for metadata in ["[1,2]", "{\"x\": NaN}", "{\"x\": Infinity}", "{\"x\": -Infinity}", manyKeys, "{\"x\":", "", "null", "@\(work)/nothing.json"] {
            cases.append(Case(label: "metadata \(metadata.prefix(20))", arguments: ["put", data.path, "-n", "p/a", "--metadata", metadata]))
        }
        for size in ["10X", "-1G", "+5", "", "1.", "GB", "1 2", "99999999999T", "1e3", "0x10", "5 MiBs", "١٢"] {
            cases.append(Case(label: "size \(size)", arguments: ["cache", "cleanup", size]))
        }
        cases += [
            Case(label: "ref v999", arguments: ["get", "p/a:v999", "--root", "\(work)/out"]),
            Case(label: "ref nope", arguments: ["get", "p/a:nope", "--root", "\(work)/out"]),
            Case(label: "ref too large", arguments: ["get", "p/a:v99999999999", "--root", "\(work)/out"]),
            Case(label: "rm unknown ref", arguments: ["rm", "p/a:v999"]),
            Case(label: "empty ref", arguments: ["show", "p/a:"]),
            Case(label: "unknown artifact", arguments: ["get", "p/zzz", "--root", "\(work)/out"]),
            Case(label: "not a store", arguments: ["ls", "--store", fixtures.notAStore]),
            Case(label: "verify not a store", arguments: ["verify", "--store", fixtures.notAStore]),
            Case(label: "two stores", arguments: ["ls", "--store", sandbox.store.path, "--store", fixtures.notAStore]),
            Case(label: "two caches", arguments: ["get", "p/a", "--cache-dir", "a", "--cache-dir", "b"]),
            Case(label: "verify bad scope", arguments: ["verify", "p/a/b/c"]),
            Case(label: "prune negative", arguments: ["prune", "p", "--keep-last", "-1"]),
        ]
        if let readOnlyStore {
            cases.append(Case(label: "read-only store", arguments: ["put", data.path, "-n", "p/a", "--store", readOnlyStore]))
            cases.append(Case(label: "read-only store rm", arguments: ["rm", "p/a:v0", "--delete-aliases", "--store", readOnlyStore]))
        }

        var baseline = ReliabilitySandbox.checksums(of: sandbox.store)
        for testCase in cases {
            let outcome = try await sandbox.run(testCase.arguments)
            #expect(outcome.status != 0, "\(testCase): must fail, got \(outcome) \(outcome.stdout)")
            #expect(outcome.stderrLines.count == 1 && outcome.stderr.hasPrefix("arttui: error: "),
                    "\(testCase): one error line, got \(outcome.stderr.debugDescription)")
            let now = ReliabilitySandbox.checksums(of: sandbox.store)
            let changed = Set(now.keys).union(baseline.keys).filter { now[$0] != baseline[$0] }.sorted()
            #expect(changed.isEmpty, "\(testCase): the store changed: \(changed)")
            baseline = now
        }
        #expect(!FileManager.default.fileExists(atPath: "\(work)/escape.bin"), "a crafted manifest wrote outside --root")
        #expect(!FileManager.default.fileExists(atPath: sandbox.root.appendingPathComponent("escape.bin").path))
        print("bad input: \(cases.count) cases refused")
    }

    /// Versions whose stored manifest names paths outside the restore root (as a tampered catalog would).
    private func craftEscapingVersions(_ sandbox: ReliabilitySandbox, from data: URL) async throws -> [(address: String, path: String)] {
        let paths = ["../escape.bin", "/tmp/arttui-absolute-escape.bin", "sub/../../escape.bin", "./x", "a//b"]
        var crafted: [(String, String)] = []
        for (index, path) in paths.enumerated() {
            let tree = try sandbox.makeTree("evil\(index)", files: 1, size: 1000, seed: UInt64(50 + index))
            #expect(try await sandbox.run(["put", tree.path, "-n", "p/evil\(index)"]).status == 0)
            try await sandbox.catalog().write { db in
                try db.execute(sql: """
                    UPDATE file SET path = ? WHERE versionId = (SELECT v.id FROM version v JOIN artifact a
                        ON a.id = v.artifactId WHERE a.name = ?)
                    """, arguments: [path, "evil\(index)"])
            }
            crafted.append(("p/evil\(index):v0", path))
        }
        return crafted
    }

    private struct HostileFiles {
        var outwardLink, fifo, nonUTF8, longPath, notAStore: String
    }

    private func makeHostileFiles(in work: URL) throws -> HostileFiles {
        let manager = FileManager.default
        func directory(_ name: String) throws -> String {
            let path = work.appendingPathComponent(name).path
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
            return path
        }
        let outward = try directory("outward")
        try manager.createSymbolicLink(atPath: outward + "/passwd", withDestinationPath: "/etc/passwd")
        let fifo = try directory("fifo")
        #expect(mkfifo(fifo + "/pipe", 0o644) == 0)
        let nonUTF8 = try directory("nonutf8")
        var name = Array((nonUTF8 + "/bad").utf8CString.dropLast())
        name += [CChar(bitPattern: 0xFF), CChar(bitPattern: 0xFE), 0]
        let fd = open(name, O_CREAT | O_WRONLY, 0o644)
        #expect(fd >= 0)
        close(fd)
        // Deeper than PATH_MAX: built one level at a time, relative to the level above.
        let root = try directory("long")
        var level = open(root, O_RDONLY | O_DIRECTORY)
        for _ in 0..<18 {
            let name = String(repeating: "d", count: 250)
            _ = mkdirat(level, name, 0o755)
            let next = openat(level, name, O_RDONLY | O_DIRECTORY)
            close(level)
            level = next
        }
        close(openat(level, "f", O_CREAT | O_WRONLY, 0o644))
        close(level)
        let notAStore = try directory("not-a-store")
        #expect(manager.createFile(atPath: notAStore + "/notes.txt", contents: Data("mine".utf8)))
        return HostileFiles(outwardLink: outward, fifo: fifo, nonUTF8: nonUTF8, longPath: root, notAStore: notAStore)
    }

    /// A read-only bind mount of the store (root only); nil where mounting is not allowed.
    private func mountReadOnlyCopy(of store: URL, at target: URL) -> String? {
        try? FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        guard mount(store.path, target.path, nil, UInt(MS_BIND), nil) == 0 else { return nil }
        guard mount(nil, target.path, nil, UInt(MS_BIND | MS_REMOUNT | MS_RDONLY), nil) == 0 else {
            _ = umount(target.path)
            return nil
        }
        return target.path
    }
}
