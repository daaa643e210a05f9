import ArtifactWire
import Foundation
import ProcessTestSupport
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `arttui put --remote` sends chunks while it is still reading files: what that overlap could break.
/// A file that changes while it is read and sent fails the put, leaving nothing visible, and the put run
/// again sends only what the server has not staged yet.
@Suite(.enabled(if: TwoServersEnvironment.enabled), .serialized, .childProcesses) struct StreamedPutTests {
    typealias Scratch = TransferCommandTests.Scratch

    /// Rewrites `length` bytes at `offset` of the file at `path` with new random bytes every millisecond
    /// until stopped: a file being written to while a put reads it.
    final class Rewriter: Sendable {
        private let stopped = Atomic<Bool>(false)
        private let done = DispatchSemaphore(value: 0)

        init(_ path: String, offset: Int, length: Int) {
            let descriptor = open(path, O_WRONLY)
            precondition(descriptor >= 0, "cannot open \(path)")
            Thread.detachNewThread { [self] in
                while !stopped.load(ordering: .relaxed) {
                    let bytes = [UInt8](TransferCommandTests.random(length))
                    _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, length, off_t(offset)) }
                    usleep(1000)
                }
                close(descriptor)
                done.signal()
            }
        }

        func stop() {
            stopped.store(true, ordering: .relaxed)
            done.wait()
        }
    }

    /// The distinct chunks of `artifact`'s v0 in `root/shared`, and those of its file `path`.
    static func chunks(_ scratch: Scratch, _ artifact: String, file path: String) async throws -> (all: Int64, file: Int64) {
        let (status, body) = try await scratch.client.send(
            "GET", "/api/v1/projects/root/shared/artifacts/\(artifact)/versions/v0/manifest")
        try #require(status == 200)
        let manifest = try JSONDecoder().decode(WireManifest.self, from: body)
        let digest = try #require(manifest.files.first { $0.path == path }?.digest)
        let content = try #require(manifest.contents.first { $0.digest == digest })
        return (Int64(Set(manifest.contents.flatMap(\.chunks)).count), Int64(Set(content.chunks).count))
    }

    @Test func aFileRewrittenWhileItIsReadAndSentFailsThePutAndTheRerunSendsOnlyWhatWasNotStaged() async throws {
        try await TransferCommandTests.withServer { scratch in
            let remote = scratch.server.absoluteString
            // Over two of a reading thread's batches (8 MiB each), so chunks go out before the file ends.
            try scratch.tree("data", ["big.bin": TransferCommandTests.random(24 << 20)])
            let before = try await scratch.metric("arttui_upload_chunks_total")
            let rewriter = Rewriter(scratch.path("data/big.bin"), offset: 20 << 20, length: 4096)
            let errors = try await scratch.fails(["put", "data", "-n", "root/shared/big", "--remote", remote])
            rewriter.stop()
            OutageStack.expectOneLine(errors, naming: "big.bin")
            #expect(errors.contains("changed"), "\(errors)")
            let (status, _) = try await scratch.client.send("GET", "/api/v1/projects/root/shared/artifacts/big/versions")
            #expect(status == 404, "nothing of the failed put is visible")
            let staged = try await scratch.metric("arttui_upload_chunks_total") - before
            try #require(staged > 0, "no chunk of the first 16 MiB went out while the file was read")

            try await scratch.ok(["put", "data", "-n", "root/shared/big", "--remote", remote])
            let resent = try await scratch.metric("arttui_upload_chunks_total") - before - staged
            let (total, _) = try await Self.chunks(scratch, "big", file: "big.bin")
            print("rewritten file: \(staged) chunks staged by the failed put, \(resent) sent by the re-run, \(total) in all")
            #expect(resent < total, "chunks staged by the failed put are not sent again")
            _ = try await scratch.json(["get", "root/shared/big", "--root", "out", "--remote", remote])
            #expect(try scratch.contents("out") == scratch.contents("data"))
        }
    }

    @Test func aPutThatFailsOnItsLastFileStagesTheOthersAndTheRerunSendsOnlyThatFile() async throws {
        try await TransferCommandTests.withServer { scratch in
            let remote = scratch.server.absoluteString
            // The two large files are read first (largest first, one per core here), the small one
            // last; it changes all the time, so the put fails when it reads it.
            try scratch.tree("data", [
                "a.bin": TransferCommandTests.random(12 << 20), "b.bin": TransferCommandTests.random(12 << 20),
                "c.bin": TransferCommandTests.random(12 << 20), "z.txt": Data(count: 1000),
            ])
            let before = try await scratch.metric("arttui_upload_chunks_total")
            let rewriter = Rewriter(scratch.path("data/z.txt"), offset: 0, length: 1000)
            let errors = try await scratch.fails(["put", "data", "-n", "root/shared/mixed", "--remote", remote])
            rewriter.stop()
            OutageStack.expectOneLine(errors, naming: "z.txt")
            let (status, _) = try await scratch.client.send("GET", "/api/v1/projects/root/shared/artifacts/mixed/versions")
            #expect(status == 404, "nothing of the failed put is visible")
            let staged = try await scratch.metric("arttui_upload_chunks_total") - before

            try await scratch.ok(["put", "data", "-n", "root/shared/mixed", "--remote", remote])
            let resent = try await scratch.metric("arttui_upload_chunks_total") - before - staged
            let (total, small) = try await Self.chunks(scratch, "mixed", file: "z.txt")
            print("failed last file: \(staged) chunks staged, \(resent) sent by the re-run, \(total) in all")
            #expect(staged == total - small, "every chunk of the files read whole before the failure was staged")
            #expect(resent == small, "the re-run sends only the changed file's chunk")
            _ = try await scratch.json(["get", "root/shared/mixed", "--root", "out", "--remote", remote])
            #expect(try scratch.contents("out") == scratch.contents("data"))
        }
    }
}
