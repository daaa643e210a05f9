import ArtifactStore
import ArtifactWire
import Foundation
import ProcessTestSupport
import Testing

/// PostgreSQL going away while `arttui-server` runs, hung (SIGSTOP of the postmaster and its backends)
/// or crashed (`pg_ctl stop -m immediate`: every connection drops): requests are answered 503 naming the
/// database within 5 s, `/readyz` says so, commands fail with one line, a failed put leaves no version,
/// and once the database is back the same server, not restarted, serves again.
///
/// The answers are timed in this process: its tests run on threads of their own (`.blockingCalls`), so a
/// cooperative pool held by the synchronous suites beside it (a waiter once resumed 84 s late) does not
/// add to what the server took.
@Suite(.enabled(if: PrivateServices.enabled), .serialized, .childProcesses, .blockingCalls) struct DatabaseOutageTests {
    @Test func theDatabaseStoppedIsAnswered503AndTheSameServerServesOnceItIsBack() async throws {
        try await OutageStack.withStack { services, client, scratch in
            let remote = scratch.server.absoluteString
            try await OutageStack.firstVersionAndSecondTree(scratch, size: 2 << 20)

            services.freeze(try services.postgresProcesses())
            // Past the server's cache of tokens and projects (1 s), so every request asks the database.
            try await Task.sleep(for: .milliseconds(1_100))
            async let readiness = OutageStack.readiness(client)
            async let listing = OutageStack.timed(client, "GET", "/api/v1/projects/root/shared/artifacts/data/versions")
            let (putSeconds, putError) = try await OutageStack.expectFailure(
                scratch, ["put", "second", "-n", "root/shared/data"], naming: "database")
            let readyAnswer = try await readiness
            let listAnswer = try await listing
            OutageStack.expectUnavailable(readyAnswer, naming: "database")
            OutageStack.expectUnavailable(listAnswer, naming: "database")
            let (getSeconds, _) = try await OutageStack.expectFailure(
                scratch, ["get", "root/shared/data", "--root", "out"], naming: "database")
            print("database stopped: /readyz \(readyAnswer), listing \(listAnswer); put failed after "
                + "\(String(format: "%.2f", putSeconds)) s, get after \(String(format: "%.2f", getSeconds)) s: "
                + putError)

            services.thawAll()
            let back = try await OutageStack.untilReady(client)
            print("database back: ready after \(String(format: "%.2f", back)) s")
            let (_, before) = try await client.send("GET", "/api/v1/projects/root/shared/artifacts/data/versions")
            #expect(try JSONDecoder().decode(WireVersionPage.self, from: before).total == 1, "the failed put left no version")
            try await scratch.ok(["put", "second", "-n", "root/shared/data", "--remote", remote])
            try await scratch.ok(["get", "root/shared/data", "--root", "out", "--remote", remote])
            #expect(try scratch.contents("out").keys.sorted() == ["b.bin"])
            let (_, after) = try await client.send("GET", "/api/v1/projects/root/shared/artifacts/data/versions")
            #expect(try JSONDecoder().decode(WireVersionPage.self, from: after).total == 2)
            try await OutageStack.expectVerifyClean(client)
        }
    }

    @Test func theDatabaseStoppedDuringAPutFailsItAndTheRerunSendsOnlyWhatIsMissing() async throws {
        try await OutageStack.withStack { services, client, scratch in
            // The client waits up to 10 s here, so the server's 503 decides what it says: with its default
            // 4.5 s stall limit, a pack the server had finished reading a moment before PostgreSQL stopped
            // gives the client's own "did not answer" first whenever the 503 is 1.5 s late (load 10).
            let (put, before) = try await OutageStack.putUnderWay(scratch, clientTimeout: 10)
            let (_, created) = try await client.send("POST", "/api/v1/projects/root/shared/uploads")
            let upload = try JSONDecoder().decode(UploadCreated.self, from: created).upload
            let prepared = PreparedUpload(files: ["x.bin": TransferCommandTests.random(16 << 20)])
            services.freeze(try services.postgresProcesses())
            let stopped = ContinuousClock.now
            // A pack as big as the client's, sent beside it.
            async let pack = OutageStack.timed(
                client, "PUT", "/api/v1/projects/root/shared/uploads/\(upload)/packs", bytes: prepared.pack(prepared.chunkOrder))
            let failed = await put.finish(timeout: 120)
            let seconds = OutageStack.since(stopped)
            let packAnswer = try await pack
            OutageStack.expectUnavailable(packAnswer, naming: "database")
            #expect(!failed.timedOut && !failed.termination.succeeded, "\(failed.stdout)")
            OutageStack.expectOneLine(failed.stderr, naming: "database")
            #expect(seconds < 10, "the put failed \(seconds) s after the database stopped")
            print("database stopped mid-put: pack \(packAnswer); put failed after \(String(format: "%.2f", seconds)) s: "
                + failed.stderr.trimmingCharacters(in: .whitespacesAndNewlines))

            services.thawAll()
            _ = try await OutageStack.untilReady(client)
            let (listed, _) = try await client.send("GET", "/api/v1/projects/root/shared/artifacts/big/versions")
            #expect(listed == 404, "nothing of the interrupted put is visible")
            let (staged, resent, total) = try await OutageStack.rerunPut(scratch, client, countBefore: before)
            print("database back: \(staged) chunks staged before the stop, \(resent) sent by the re-run, \(total) in all")
            // Packs whose record PostgreSQL received before it stopped are staged once it runs again (the
            // server had answered 503 and counted none of them): the re-run may send fewer than the count
            // says were missing, never a chunk counted as staged.
            #expect(staged + resent <= total, "the re-run sends no chunk staged before")
            #expect(resent < total)
            try await OutageStack.expectVerifyClean(client)
        }
    }

    @Test func theDatabaseCrashedAndRestartedIsAnswered503ThenServedByTheSameServer() async throws {
        try await OutageStack.withStack { services, client, scratch in
            let remote = scratch.server.absoluteString
            try await OutageStack.firstVersionAndSecondTree(scratch, size: 1 << 20)

            try await services.crashPostgres()
            try await Task.sleep(for: .milliseconds(1_100))
            let readiness = try await OutageStack.readiness(client)
            let listing = try await OutageStack.timed(client, "GET", "/api/v1/projects/root/shared/artifacts/data/versions")
            OutageStack.expectUnavailable(readiness, naming: "database")
            OutageStack.expectUnavailable(listing, naming: "database")
            let (_, putError) = try await OutageStack.expectFailure(
                scratch, ["put", "second", "-n", "root/shared/data"], naming: "database")
            print("database crashed: /readyz \(readiness), listing \(listing); put: \(putError)")

            try await services.startPostgres()
            let back = try await OutageStack.untilReady(client)
            print("database restarted: ready after \(String(format: "%.2f", back)) s")
            let rerun = try await scratch.ok(["put", "second", "-n", "root/shared/data", "--remote", remote])
            let (_, after) = try await client.send("GET", "/api/v1/projects/root/shared/artifacts/data/versions")
            let page = try JSONDecoder().decode(WireVersionPage.self, from: after)
            #expect(page.versions.compactMap(\.index).sorted() == [0, 1], "\(rerun) \(String(decoding: after, as: UTF8.self))")
            try await OutageStack.expectVerifyClean(client)
        }
    }
}
