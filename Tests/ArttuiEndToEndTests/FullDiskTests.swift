import Foundation
import ProcessTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A store on a full file system: `put` and `get` fail with one line naming the cause, no partial version
/// appears, the store verifies clean, and the next `put` works once space is freed.
///
/// Runs on a 6 MiB tmpfs when mounting is allowed (root); elsewhere the same disk-full error is injected
/// with `ARTTUI_FAULT=write:N:ENOSPC`.
@Suite(.serialized, .childProcesses)
struct FullDiskTests {
    @Test("a full disk fails put and get cleanly, and the store recovers once space is freed")
    func fullDisk() async throws {
        let sandbox = try ReliabilitySandbox("fulldisk")
        defer { sandbox.remove() }
        let disk = sandbox.root.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        let mounted = mount("tmpfs", disk.path, "tmpfs", 0, "size=6m") == 0
        defer { if mounted { _ = umount(disk.path) } }
        let store = disk.appendingPathComponent("store").path
        let small = try sandbox.makeTree("small", files: 2, size: 200_000, seed: 1)
        #expect(try await sandbox.run(["put", small.path, "-n", "p/a", "--store", store]).status == 0)

        let large = try sandbox.makeTree("large", files: 3, size: 3_000_000, seed: 2)
        let full = try await sandbox.run(["put", large.path, "-n", "p/a", "--store", store], fault: mounted ? nil : "write:1:ENOSPC")
        #expect(full.status != 0 && full.stderrLines.count == 1, "\(full)")
        #expect(full.stderr.contains("No space left on device"), "the error names the cause: \(full)")
        #expect(try await sandbox.run(["ls", "p/a", "--store", store]).stdout.contains("v1") == false, "no partial version")
        let verify = try await sandbox.run(["verify", "--read-data", "--store", store])
        #expect(verify.status == 0, "\(verify.stdout)")

        // get onto the full disk: fill what is left, then restore there.
        let filler = disk.appendingPathComponent("filler").path
        if mounted { fill(filler) }
        let get = try await sandbox.run(
            ["get", "p/a:v0", "--store", store, "--cache-dir", disk.appendingPathComponent("cache").path,
             "--root", disk.appendingPathComponent("out").path],
            fault: mounted ? nil : "write:1:ENOSPC")
        #expect(get.status != 0 && get.stderrLines.count == 1 && get.stderr.contains("No space left on device"), "\(get)")
        try? FileManager.default.removeItem(atPath: filler)
        try? FileManager.default.removeItem(at: disk.appendingPathComponent("out"))
        try? FileManager.default.removeItem(at: disk.appendingPathComponent("cache"))

        let medium = try sandbox.makeTree("medium", files: 2, size: 1_000_000, seed: 3)
        let next = try await sandbox.run(["put", medium.path, "-n", "p/a", "--store", store])
        #expect(next.status == 0, "put works once space is freed: \(next)")
        let (restored, sums) = try await sandbox.restore("p/a:v1", extra: ["--store", store])
        #expect(restored.status == 0 && sums == ReliabilitySandbox.checksums(of: medium))
        #expect(try await sandbox.run(["verify", "--read-data", "--store", store]).status == 0)
        print("full disk: \(mounted ? "6 MiB tmpfs" : "injected ENOSPC")")
    }

    private func fill(_ path: String) {
        let fd = open(path, O_CREAT | O_WRONLY, 0o644)
        defer { close(fd) }
        let block = [UInt8](repeating: 1, count: 64 << 10)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
    }
}
