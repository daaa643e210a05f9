import ArtifactStore
import ArtifactWire
import Foundation
import ProcessTestSupport
import Testing

/// The bucket going away while `arttui-server` runs (SeaweedFS stopped with SIGSTOP: it keeps its
/// connections and answers nothing): requests are answered 503 naming the object store within 5 s,
/// `/readyz` says so, commands fail with one line, nothing half-done is visible, and once the bucket is
/// back the same server serves again and a re-run put sends only what is missing.
///
/// The answers are timed in this process: its tests run on threads of their own (`.blockingCalls`), so a
/// cooperative pool held by the synchronous suites beside it (a waiter once resumed 84 s late) does not
/// add to what the server took.
@Suite(.enabled(if: PrivateServices.enabled), .serialized, .childProcesses, .blockingCalls) struct BucketOutageTests {
    @Test func theBucketStoppedDuringAPutAndAGetIsAnswered503AndTheRerunSendsOnlyWhatIsMissing() async throws {
        try await OutageStack.withStack { services, client, scratch in
            let remote = scratch.server.absoluteString
            try scratch.tree("small", ["a.bin": TransferCommandTests.random(3 << 20)])
            try await scratch.ok(["put", "small", "-n", "root/shared/small", "--remote", remote])
            let content = try await OutageStack.firstContent(client, "small")
            let (put, before) = try await OutageStack.putUnderWay(scratch)

            services.freeze(try services.seaweedProcesses())
            let stopped = ContinuousClock.now
            async let readiness = OutageStack.readiness(client)
            async let read = OutageStack.timed(
                client, "GET", "/api/v1/projects/root/shared/artifacts/small/versions/v0/contents/\(content)")
            let failedPut = await put.finish(timeout: 120)
            let putSeconds = OutageStack.since(stopped)
            let readyAnswer = try await readiness
            let readAnswer = try await read
            OutageStack.expectUnavailable(readyAnswer, naming: "object store")
            OutageStack.expectUnavailable(readAnswer, naming: "object store")
            #expect(!failedPut.timedOut && !failedPut.termination.succeeded, "\(failedPut.stdout)")
            OutageStack.expectOneLine(failedPut.stderr, naming: "object store")
            #expect(putSeconds < 10, "the put failed \(putSeconds) s after the bucket stopped")

            // A new pack, and a get through the command line.
            let (_, created) = try await client.send("POST", "/api/v1/projects/root/shared/uploads")
            let upload = try JSONDecoder().decode(UploadCreated.self, from: created).upload
            let prepared = PreparedUpload(files: ["x.bin": TransferCommandTests.random(1 << 20)])
            let pack = try await OutageStack.timed(
                client, "PUT", "/api/v1/projects/root/shared/uploads/\(upload)/packs", bytes: prepared.pack(prepared.chunkOrder))
            OutageStack.expectUnavailable(pack, naming: "object store")
            let (getSeconds, _) = try await OutageStack.expectFailure(
                scratch, ["get", "root/shared/small", "--root", "out"], naming: "object store")
            let (listed, _) = try await client.send("GET", "/api/v1/projects/root/shared/artifacts/big/versions")
            #expect(listed == 404, "nothing of the interrupted put is visible")
            print("bucket stopped: /readyz \(readyAnswer), read \(readAnswer), pack \(pack); put failed after "
                + "\(String(format: "%.2f", putSeconds)) s, get after \(String(format: "%.2f", getSeconds)) s: "
                + failedPut.stderr.trimmingCharacters(in: .whitespacesAndNewlines))

            services.thawAll()
            let back = try await OutageStack.untilReady(client)
            let (staged, resent, total) = try await OutageStack.rerunPut(scratch, client, countBefore: before)
            print("bucket back: ready after \(String(format: "%.2f", back)) s; \(staged) chunks staged before the stop, "
                + "\(resent) sent by the re-run, \(total) in all")
            #expect(staged + resent == total, "the re-run sends exactly the chunks not staged before")
            #expect(resent < total)
            let (_, versions) = try await client.send("GET", "/api/v1/projects/root/shared/artifacts/big/versions")
            #expect(try JSONDecoder().decode(WireVersionPage.self, from: versions).total == 1)
            try await scratch.ok(["get", "root/shared/small", "--root", "out", "--remote", remote])
            try await OutageStack.expectVerifyClean(client)
        }
    }

    @Test func aGetWhoseAnswerTheBucketBreaksOffNamesTheObjectStoreAndTheRerunFetchesTheRest() async throws {
        try await OutageStack.withStack { services, client, scratch in
            let remote = scratch.server.absoluteString
            // Small files, fetched in batches that read several packs each: SeaweedFS is killed while the
            // server streams an answer whose status (200) is already out, which it then breaks off.
            var files: [String: Data] = [:]
            for index in 0..<48 { files["f\(index).bin"] = TransferCommandTests.random(2 << 20) }
            try scratch.tree("many", files)
            try await scratch.ok(["put", "many", "-n", "root/shared/many", "--remote", remote])
            let before = try await scratch.metric("arttui_chunk_records_sent_bytes_total")
            let get = try scratch.start(["get", "root/shared/many", "--root", "out", "--remote", remote], cache: "reader")
            for _ in 0..<1_200 {
                if try await scratch.metric("arttui_chunk_records_sent_bytes_total") > before + (12 << 20) { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            try #require(get.process.isRunning, "the get ended before the bucket stopped")
            try services.killSeaweed()
            let stopped = ContinuousClock.now
            let failed = await get.finish(timeout: 120)
            let seconds = OutageStack.since(stopped)
            #expect(!failed.timedOut && !failed.termination.succeeded, "\(failed.stdout)")
            OutageStack.expectOneLine(failed.stderr, naming: "object store")
            #expect(seconds < 10, "the get failed \(seconds) s after the bucket stopped")
            print("bucket stopped mid-get: failed after \(String(format: "%.2f", seconds)) s: "
                + failed.stderr.trimmingCharacters(in: .whitespacesAndNewlines))

            try await services.startSeaweed()
            _ = try await OutageStack.untilReady(client)
            let resumed = try await scratch.metric("arttui_chunk_records_sent_bytes_total")
            // A SeaweedFS started again answers its S3 port (and the server's readiness probe) before its
            // volume server has told its master where the volumes are: reads of the packs fail with its 500
            // for a few seconds, named as the object store's, and the user runs the get again.
            for attempt in 1...20 {
                let rerun = await (try scratch.start(
                    ["get", "root/shared/many", "--root", "out", "--remote", remote], cache: "reader")).finish(timeout: 120)
                if rerun.termination.succeeded { break }
                OutageStack.expectOneLine(rerun.stderr, naming: "object store")
                try #require(attempt < 20, "the re-run still fails: \(rerun.stderr)")
                try await Task.sleep(for: .seconds(1))
            }
            let fetched = try await scratch.metric("arttui_chunk_records_sent_bytes_total") - resumed
            #expect(try scratch.contents("out") == scratch.contents("many"))
            #expect(fetched < 96 << 20, "the re-run fetched only the files the first run did not finish (\(fetched) bytes)")
        }
    }

    @Test func aDeletionWhileTheBucketIsStoppedIsDoneWithin5sAndTheNextOneFreesItsSpace() async throws {
        try await OutageStack.withStack { services, client, scratch in
            let remote = scratch.server.absoluteString
            // Several packs, each of which the deletion must free in the bucket.
            try scratch.tree("data", ["big.bin": TransferCommandTests.random(64 << 20)])
            try await scratch.ok(["put", "data", "-n", "root/shared/big", "--remote", remote])
            try scratch.tree("small", ["a.bin": TransferCommandTests.random(1 << 20)])
            try await scratch.ok(["put", "small", "-n", "root/shared/small", "--remote", remote])

            services.freeze(try services.seaweedProcesses())
            let start = ContinuousClock.now
            let (status, _, errors) = try await scratch.run(["rm", "root/shared/big:v0", "--remote", remote])
            let seconds = OutageStack.since(start)
            #expect(status == 0, "the deletion is done in the catalog: \(errors)")
            OutageStack.expectOneLine(errors, naming: "object store")
            #expect(seconds < OutageStack.answerLimit, "rm took \(seconds) s")
            print("bucket stopped: rm of a 64 MiB version took \(String(format: "%.2f", seconds)) s: "
                + errors.trimmingCharacters(in: .whitespacesAndNewlines))
            let (_, listed) = try await client.send("GET", "/api/v1/projects/root/shared/artifacts/big/versions")
            #expect(try JSONDecoder().decode(WireVersionPage.self, from: listed).total == 0, "the deleted version is gone")

            services.thawAll()
            _ = try await OutageStack.untilReady(client)
            let (_, verified) = try await client.send("GET", "/api/v1/verify")
            let left = try JSONDecoder().decode(VerificationReport.self, from: verified)
            #expect(left.isClean && !left.reclaimable.isEmpty, "the packs not freed are reclaimable, not damage")
            try await scratch.ok(["rm", "root/shared/small:v0", "--remote", remote])
            let (_, after) = try await client.send("GET", "/api/v1/verify?read_data=true")
            let report = try JSONDecoder().decode(VerificationReport.self, from: after)
            #expect(report.isClean && report.reclaimable.isEmpty, "\(report.reclaimable)")
        }
    }
}
