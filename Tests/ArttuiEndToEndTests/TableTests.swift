import Foundation
import ProcessTestSupport
import Testing

/// Table entries through the command line.
@Suite(.childProcesses) struct TableTests {
    @Test func csvAndJSONTablesShowAsAlignedText() async throws {
        let cli = try LineageCommandRunner()
        try cli.write("scores.csv", "name,score\nalpha,0.5\nbeta-long-name,12\ngamma,3\n")
        try cli.write("t.json", #"{"_type": "table", "columns": ["a"], "data": [[1], [2]]}"#)
        try await cli.ok("put", "--table", "scores=scores.csv", "--table", "small=t.json", "-n", "tb/tables")
        let shown = try await cli.ok("show", "tb/tables", "--table", "scores", "--limit", "2")
        #expect(shown.split(separator: "\n") == [
            "name            score",
            "alpha             0.5",
            "beta-long-name     12",
        ])
        let json = try await cli.json(cli.ok("show", "tb/tables", "--table", "small", "--json")) as! [String: Any]
        #expect(json["columns"] as! [String] == ["a"])
        let missing = try await cli.run("show", "tb/tables", "--table", "nope")
        #expect(missing.status != 0 && missing.stderr.contains("nope"))
    }
}
