#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Failures injected on purpose, to prove that a store survives them: `ARTTUI_FAULT=POINT:N[:EFFECT]`
/// makes the Nth call at POINT fail (or the process die), so tests can stop an operation at an exact step.
///
/// POINT is `write`, `fsync`, `rename` (the POSIX wrappers in `Support/`), `commit` (a catalog write
/// transaction, just before it commits), `part` (a client's put or push to a team server, just before it
/// sends each part of a commit too large for one request) or `upgrade` (the steps of upgrading an older store: once the
/// marker says the current format, then just before each of the catalog's table rebuilds commits —
/// binary digests for a format-1 store, file rows for formats 1 and 2 — and last once they have
/// committed, before the catalog is compacted). EFFECT is `crash` (the process kills itself with SIGKILL, as if
/// the machine stopped there), `ENOSPC` (the call fails with "No space left on device") or, by default,
/// `EIO`. Several faults may be given, separated by commas. The variable is read once; unset, each check
/// is one load and one branch.
///
/// ```sh
/// ARTTUI_FAULT=rename:2:crash arttui put data/ -n vision/mnist   # dies storing its second object
/// ARTTUI_FAULT=write:1:ENOSPC arttui put data/ -n vision/mnist   # fails as on a full disk
/// ```
package enum FaultInjection {
    /// A call site that can be made to fail.
    package enum Point: String, CaseIterable, Sendable {
        case write, fsync, rename, commit, upgrade, part
    }

    /// What happens at the chosen call.
    enum Effect: Equatable, Sendable {
        case crash
        case fail(errno: Int32)
    }

    /// One fault: the `count`-th call at `point` has `effect`.
    struct Fault: Equatable, Sendable {
        var point: Point
        var count: Int
        var effect: Effect
    }

    /// The faults from `ARTTUI_FAULT`, with a call counter for each point; nil when unset.
    private final class Plan: Sendable {
        let faults: [Fault]
        let calls = Mutex<[Point: Int]>([:])

        init(faults: [Fault]) {
            self.faults = faults
        }
    }

    private static let plan: Plan? = {
        guard let text = ProcessInfo.processInfo.environment["ARTTUI_FAULT"], !text.isEmpty else { return nil }
        guard let faults = parse(text) else {
            FileHandle.standardError.write(Data("arttui: error: ARTTUI_FAULT=\(text) is not POINT:N[:crash|ENOSPC|EIO]\n".utf8))
            exit(2)
        }
        return Plan(faults: faults)
    }()

    /// Reads `POINT:N[:EFFECT][,…]`, or nil when any part is not understood.
    static func parse(_ text: String) -> [Fault]? {
        var faults: [Fault] = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard (2...3).contains(parts.count), let point = Point(rawValue: parts[0]),
                  let count = Int(parts[1]), count >= 1
            else { return nil }
            var effect = Effect.fail(errno: EIO)
            if parts.count == 3 {
                switch parts[2] {
                case "crash": effect = .crash
                case "ENOSPC": effect = .fail(errno: ENOSPC)
                case "EIO": effect = .fail(errno: EIO)
                default: return nil
                }
            }
            faults.append(Fault(point: point, count: count, effect: effect))
        }
        return faults.isEmpty ? nil : faults
    }

    /// Counts a call at `point` and fails it (or dies) when a fault names this call.
    /// - Throws: `StoreError.io` for `operation` on `path`, with the injected error's reason.
    @inline(__always)
    package static func check(_ point: Point, operation: String, path: String) throws {
        guard let plan else { return }
        try trigger(plan, point, operation: operation, path: path)
    }

    private static func trigger(_ plan: Plan, _ point: Point, operation: String, path: String) throws {
        let call = plan.calls.withLock { calls in
            calls[point, default: 0] += 1
            return calls[point]!
        }
        guard let fault = plan.faults.first(where: { $0.point == point && $0.count == call }) else { return }
        switch fault.effect {
        case .crash:
            // SIGKILL, as a power cut or the OOM killer would: no handler, no backtrace, no flushing.
            kill(getpid(), SIGKILL)
        case .fail(let code):
            throw systemError(operation, path, code: code)
        }
    }
}
