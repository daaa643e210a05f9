import Foundation
import ProcessTestSupport
import Testing

/// The table of refused command lines (`RefusedCommandLine`), against a local store: each is refused
/// with exactly its one line and a non-zero exit, and leaves the store as it was.
@Suite("refused command lines", .childProcesses)
struct RefusedCommandLineTests {
    @Test("every numeric option refuses a bad number naming the option and the value")
    func numericOptions() async throws {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("d", sampleTree(seed: 71))
        try await sandbox.ok(["put", source.path, "-n", "p/a"])
        try await expectRefused(RefusedCommandLine.numericOptions(address: "p/a", project: "p"), in: sandbox)
        // The environment's timeout, read by the same rule before any connection (nothing listens on port 9).
        for value in ["-1", "0", "never"] {
            let result = try await sandbox.run(["whoami", "--remote", "http://127.0.0.1:9"], locations: false,
                                               environment: ["ARTTUI_TIMEOUT": value])
            #expect(result.status != 0)
            #expect(result.stderr == "arttui: error: $ARTTUI_TIMEOUT must be a number of seconds more than 0 and at most 3600, got \(value)\n")
        }
    }

    @Test("bad addresses, metadata, names and files are refused naming what is wrong")
    func badInput() async throws {
        let sandbox = try Sandbox()
        let source = try sandbox.writeTree("d", sampleTree(seed: 72))
        try await sandbox.ok(["put", source.path, "-n", "p/a"])
        let missing = sandbox.path("nothing-here").path
        try await expectRefused(RefusedCommandLine.badInput(address: "p/a", directory: source.path, missing: missing), in: sandbox)
    }

    private func expectRefused(_ cases: [RefusedCommandLine], in sandbox: Sandbox) async throws {
        let before = try DirectorySnapshot(sandbox.store)
        for refused in cases {
            let result = try await sandbox.run(refused.arguments)
            #expect(result.status != 0, "\(refused) must fail: \(result)")
            #expect(result.stderr == refused.message + "\n", "\(refused)")
        }
        let differences = try DirectorySnapshot(sandbox.store).differences(from: before)
        #expect(differences == [], "a refused command changed the store: \(differences)")
    }
}
