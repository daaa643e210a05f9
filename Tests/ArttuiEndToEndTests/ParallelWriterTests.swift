import Foundation
import ProcessTestSupport
import Testing

/// The FAQ's distributed writers: separate processes upserting into one pending version.
@Suite(.childProcesses) struct ParallelWriterTests {
    @Test func fiveWriterProcessesAndOneFinishGiveOneVersionWithEveryPart() async throws {
        let cli = try LineageCommandRunner()
        var writers: [RunningCommand] = []
        for index in 0..<5 {
            let part = try cli.write(
                "w\(index)/parts/table_\(index).table.json",
                #"{"_type": "table", "columns": ["a", "b", "c"], "data": [[\#(index), \#(index * 2), \#(1 << index)]]}"#)
            _ = part
            let run = try await cli.ok("run", "start", "-p", "dist", "--group", "writer-group-1")
            writers.append(try cli.start([
                "put", "w\(index)", "-n", "dist/parallel-artifact", "--upsert", "--run", run,
            ]))
        }
        for writer in writers {
            let output = await cli.finish(writer)
            #expect(output.status == 0, "\(output.stderr)")
        }
        #expect(try await cli.ok("ls", "dist/parallel-artifact").contains("no versions"))
        #expect(try await cli.ok("ls", "dist/parallel-artifact", "--pending").contains("pending"))
        #expect(try await cli.run("get", "dist/parallel-artifact:latest").status != 0)

        let finisher = try await cli.ok("run", "start", "-p", "dist", "--group", "writer-group-1")
        try await cli.ok("finish", "-n", "dist/parallel-artifact", "--run", finisher,
                         "--partitioned-table", "distributed_table=parts")
        let versions = try await cli.json(cli.ok("ls", "dist/parallel-artifact", "--pending", "--json")) as! [[String: Any]]
        #expect(versions.count == 1)
        #expect(versions.first?["version"] as? String == "v0")
        #expect(versions.first?["fileCount"] as? Int == 6)

        let table = try await cli.json(cli.ok(
            "show", "dist/parallel-artifact", "--table", "distributed_table", "--json")) as! [String: Any]
        #expect(table["data"] as! [[Int]] == (0..<5).map { [$0, $0 * 2, 1 << $0] })

        // After a finish, the same id starts a new pending version.
        try cli.write("late/parts/table_9.table.json", #"{"columns": ["a", "b", "c"], "data": []}"#)
        try await cli.ok("put", "late", "-n", "dist/parallel-artifact", "--upsert", "--distributed-id", "writer-group-1")
        let pending = try await cli.json(cli.ok("ls", "dist/parallel-artifact", "--pending", "--json")) as! [[String: Any]]
        #expect(pending.map { $0["version"] as! String } == ["pending", "v0"])
    }

    @Test func conflictingPathsAreRefusedAndDiscardFreesTheBytes() async throws {
        let cli = try LineageCommandRunner()
        try cli.write("a/x.txt", "one")
        try cli.write("b/x.txt", "two")
        try cli.write("c/x.txt", "one")
        try await cli.ok("put", "a", "-n", "d/p", "--upsert", "--distributed-id", "g")
        let conflict = try await cli.run("put", "b", "-n", "d/p", "--upsert", "--distributed-id", "g")
        #expect(conflict.status != 0 && conflict.stderr.contains("\"x.txt\""))
        try await cli.ok("put", "c", "-n", "d/p", "--upsert", "--distributed-id", "g")
        let discarded = try await cli.ok("finish", "-n", "d/p", "--distributed-id", "g", "--discard")
        #expect(discarded.contains("freed"))
        #expect(try await cli.run("finish", "-n", "d/p", "--distributed-id", "g").status != 0)
    }
}
