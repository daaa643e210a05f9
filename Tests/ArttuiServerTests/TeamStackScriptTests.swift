import Foundation
import ProcessTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `scripts/team-stack.sh`, the one command README's "Team mode" gives for a whole stack: a start that
/// fails stops what it had started, by process id, as its `stop` does.
@Suite(.enabled(if: PrivateServices.enabled), .childProcesses) struct TeamStackScriptTests {
    /// Whether something accepts connections on 127.0.0.1:`port` (a refused connect is nothing).
    static func listening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A server that cannot start (its port is taken) ended the start with `exit`, which the script's
    /// ERR trap does not see: PostgreSQL and SeaweedFS kept running and the next start was refused.
    @Test func aStartWhoseServerExitsLeavesNothingRunning() async throws {
        let taken = try LoopbackSocket.bound(listening: 16)
        defer { close(taken.descriptor) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("arttui-stack-\(UUID().uuidString)").path
        let postgresPort = try LoopbackSocket.freePort()
        let s3Port = try LoopbackSocket.freeConsecutivePorts(16)
        var environment = ProcessInfo.processInfo.environment
        environment["ARTTUI_STACK_DIR"] = directory
        environment["ARTTUI_STACK_PORT"] = "\(taken.port)"
        environment["ARTTUI_STACK_PG_PORT"] = "\(postgresPort)"
        environment["ARTTUI_STACK_S3_PORT"] = "\(s3Port)"
        environment["ARTTUI_SERVER_BIN"] = AdminCommandTests.binary.path
        environment["ARTTUI_SERVICES_VENV"] = PrivateServices.servicesVenv
        let script = PrivateServices.repository.appendingPathComponent("scripts/team-stack.sh").path
        let start = try await CapturedProcess.run("/bin/bash", [script, "start"], environment: environment, timeout: 180)
        let leftRunning = [postgresPort, s3Port].filter(Self.listening)
        let leftDirectory = FileManager.default.fileExists(atPath: directory)
        if leftDirectory {  // clean up what the script left, so a failure here leaves no services behind
            _ = try await CapturedProcess.run("/bin/bash", [script, "stop"], environment: environment, timeout: 180)
        }
        #expect(!start.timedOut && start.termination.status != 0, "\(start.stdout)")
        #expect(start.stdout.isEmpty, "nothing to eval from a failed start")
        #expect(start.stderr.contains("cannot listen on 127.0.0.1:\(taken.port): address already in use"), "\(start.stderr)")
        #expect(leftRunning == [], "still listening after the failed start")
        #expect(!leftDirectory, "\(directory) left behind")
    }
}
