import Foundation
import ProcessTestSupport
import Testing

/// Every numeric option of `arttui-server` refuses a bad number with one line naming the option and the
/// value, and exit status 64, before touching a database: the words `arttui` uses for its own.
@Suite(.childProcesses) struct ServerNumericOptionTests {
    @Test func badNumbersAreRefusedInOneLine() async throws {
        let timeout = "must be a number of seconds more than 0 and at most 3600"
        let cases: [([String], String)] = [
            (["serve", "--upload-expiry", "-1"], "--upload-expiry must be a whole number from 1 to 31536000, got -1"),
            (["serve", "--upload-expiry", "0"], "--upload-expiry must be a whole number from 1 to 31536000, got 0"),
            (["serve", "--upload-expiry", "1d"], "--upload-expiry must be a whole number from 1 to 31536000, got 1d"),
            (["serve", "--upload-expiry", "31536001"], "--upload-expiry must be a whole number from 1 to 31536000, got 31536001"),
            (["serve", "--upload-expiry", "9300000000000"], "--upload-expiry must be a whole number from 1 to 31536000, got 9300000000000"),
            (["serve", "--cache-ttl", "-0.5"], "--cache-ttl must be a number of seconds from 0 to 60, got -0.5"),
            (["serve", "--cache-ttl", "61"], "--cache-ttl must be a number of seconds from 0 to 60, got 61"),
            (["serve", "--database-timeout", "0"], "--database-timeout \(timeout), got 0"),
            (["migrate", "--database-timeout", "nan"], "--database-timeout \(timeout), got nan"),
            (["serve", "--s3-timeout", "-3"], "--s3-timeout \(timeout), got -3"),
            (["serve", "--s3-timeout", "1e999"], "--s3-timeout \(timeout), got 1e999"),
            // Finite, but past what a count of milliseconds holds: refused, not an overflow trap.
            (["serve", "--database-timeout", "1e300"], "--database-timeout \(timeout), got 1e300"),
            (["migrate", "--database-timeout", "3601"], "--database-timeout \(timeout), got 3601"),
            (["serve", "--s3-timeout", "99999999999999999999"], "--s3-timeout \(timeout), got 99999999999999999999"),
        ]
        // The environment's settings are refused before a database is asked (this one is unreachable).
        let environmentCases: [([String: String], String)] = [
            (["ARTTUI_CACHE_TTL": "abc"], "ARTTUI_CACHE_TTL must be a number of seconds from 0 to 60, got abc"),
            (["ARTTUI_S3_TIMEOUT": "-1"], "ARTTUI_S3_TIMEOUT \(timeout), got -1"),
            (["ARTTUI_DATABASE_TIMEOUT": "0"], "ARTTUI_DATABASE_TIMEOUT \(timeout), got 0"),
            (["ARTTUI_DATABASE_TIMEOUT": "1e300"], "ARTTUI_DATABASE_TIMEOUT \(timeout), got 1e300"),
            (["ARTTUI_S3_TIMEOUT": "1e16"], "ARTTUI_S3_TIMEOUT \(timeout), got 1e16"),
        ]
        let outputs = FileManager.default.temporaryDirectory.appendingPathComponent("server-numbers-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outputs) }
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ARTTUI_") }
        for (arguments, message) in cases {
            let run = try await CapturedProcess.run(
                AdminCommandTests.binary.path, arguments, environment: environment, outputs: outputs, timeout: 30)
            #expect(run.termination.status == 64, "\(arguments): \(run.stderr)")
            #expect(run.stderr == "arttui-server: error: \(message)\n", "\(arguments)")
        }
        for (variables, message) in environmentCases {
            let run = try await CapturedProcess.run(
                AdminCommandTests.binary.path, ["serve", "--database-url", "postgres://nobody@127.0.0.1:9/none"],
                environment: environment.merging(variables) { $1 }, outputs: outputs, timeout: 30)
            #expect(run.termination.status == 1, "\(variables): \(run.stderr)")
            #expect(run.stderr == "arttui-server: error: $\(message)\n", "\(variables)")
        }
        // An empty variable counts as unset, as every other setting's: the server goes on to the next
        // setting, the bucket (none is given here).
        for name in ["ARTTUI_CACHE_TTL", "ARTTUI_S3_TIMEOUT", "ARTTUI_DATABASE_TIMEOUT"] {
            let run = try await CapturedProcess.run(
                AdminCommandTests.binary.path, ["serve", "--database-url", "postgres://nobody@127.0.0.1:9/none"],
                environment: environment.merging([name: ""]) { $1 }, outputs: outputs, timeout: 30)
            #expect(run.termination.status == 1, "\(name): \(run.stderr)")
            #expect(run.stderr.hasPrefix("arttui-server: error: $ARTTUI_S3_BUCKET is not set") && !run.stderr.contains(name), "\(name): \(run.stderr)")
        }
    }
}
