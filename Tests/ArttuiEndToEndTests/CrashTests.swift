import Foundation
import ProcessTestSupport
import Testing

/// Kill `put`, `rm`, `prune` and `cache cleanup` with SIGKILL at random moments and at named fault points,
/// and check after every kill that the store verifies, that every version committed before restores byte
/// for byte, and that the killed operation happened entirely or not at all.
@Suite(.serialized, .childProcesses)
struct CrashTests {
    /// What a store should hold: each committed version's files, and the trees `put` may have stored.
    final class Model {
        let sandbox: ReliabilitySandbox
        let artifact = "p/a"
        /// Version name → path → SHA-256, for the versions known committed.
        var versions: [String: [String: String]] = [:]
        var nextSeed: UInt64 = 100
        var restores = 0

        init(_ label: String) throws {
            sandbox = try ReliabilitySandbox(label)
        }

        /// A fresh tree to put: two new files and one shared with every other tree (so chunks are deduplicated).
        func nextTree() throws -> (URL, [String: String]) {
            nextSeed += 1
            let tree = try sandbox.makeTree("tree", files: 2, size: 120_000, seed: nextSeed)
            try Data(repeating: 7, count: 50_000).write(to: tree.appendingPathComponent("shared.bin"))
            return (tree, ReliabilitySandbox.checksums(of: tree))
        }

        func put() async throws {
            let (tree, sums) = try nextTree()
            let outcome = try await sandbox.run(["put", tree.path, "-n", artifact])
            #expect(outcome.status == 0, "\(outcome)")
            try await refresh(allowing: sums)
        }

        /// Reads the versions now in the store; a version not known before must hold `newContent`.
        func refresh(allowing newContent: [String: String]? = nil) async throws {
            let now = try await sandbox.versions(artifact)
            for name in now.keys where versions[name] == nil {
                #expect(newContent != nil, "\(name) appeared although no put ran")
                versions[name] = newContent
            }
            versions = versions.filter { now[$0.key] != nil }
        }

        /// The checks every kill must pass.
        func checkIntact(after what: String) async throws {
            let verify = try await sandbox.run(["verify", "--read-data"])
            #expect(verify.status == 0, "after \(what): verify must be clean apart from orphans: \(verify.stdout)")
            for (name, sums) in versions {
                let (outcome, restored) = try await sandbox.restore("\(artifact):\(name)")
                restores += 1
                #expect(outcome.status == 0, "after \(what): \(name) must restore: \(outcome)")
                #expect(restored == sums, "after \(what): \(name) must restore byte for byte")
            }
        }
    }

    enum Operation: CaseIterable {
        case put, rm, prune, cacheCleanup
    }

    @Test("SIGKILL at random moments never loses or half-applies anything")
    func randomKills() async throws {
        let wantedKills = ReliabilitySandbox.longMode ? 500 : 20
        let model = try Model("crash")
        defer { model.sandbox.remove() }
        var generator = SeededBytes(seed: UInt64(Date().timeIntervalSince1970))
        for _ in 0..<3 { try await model.put() }
        // Warm the cache so `cache cleanup` has files to evict.
        _ = try await model.sandbox.run(["get", "\(model.artifact):latest", "--root", model.sandbox.root.appendingPathComponent("warm").path])
        var durations: [Operation: TimeInterval] = [:]
        var kills = 0, finished = 0, attempts = 0
        while kills < wantedKills && attempts < wantedKills * 4 {
            attempts += 1
            let operation = Operation.allCases.randomElement(using: &generator)!
            let before = model.versions
            var newContent: [String: String]?
            let arguments: [String]
            switch operation {
            case .put:
                let (tree, sums) = try model.nextTree()
                newContent = sums
                arguments = ["put", tree.path, "-n", model.artifact]
            case .rm:
                guard let victim = before.keys.randomElement(using: &generator) else { continue }
                arguments = ["rm", "\(model.artifact):\(victim)"]
            case .prune:
                arguments = ["prune", model.artifact, "--keep-last", "2"]
            case .cacheCleanup:
                arguments = ["cache", "cleanup", "0"]
            }
            let started = Date()
            let command = try model.sandbox.start(arguments)
            // Kill somewhere within the operation's usual duration (longer at first, to learn it).
            let usual = durations[operation] ?? 0.3
            try await Task.sleep(for: .seconds(Double.random(in: 0...(usual * 0.9), using: &generator)))
            command.kill()
            let outcome = await command.wait()
            if outcome.signalled {
                kills += 1
            } else {
                finished += 1
                durations[operation] = Date().timeIntervalSince(started)
                #expect(outcome.status == 0, "\(arguments) failed without being killed: \(outcome)")
            }
            try await model.refresh(allowing: newContent)
            try expectAllOrNothing(operation, before: before, after: model.versions, arguments: arguments)
            try await model.checkIntact(after: "\(arguments) \(outcome.signalled ? "killed" : "finished")")
            if operation == .cacheCleanup || operation == .put {
                let (outcome, restored) = try await model.sandbox.restore("\(model.artifact):latest", fromCache: true)
                #expect(outcome.status == 0 && restored == model.versions[latestName(model)] ?? [:],
                        "the cache must still give the right bytes: \(outcome)")
            }
            if model.versions.count > 3 {
                _ = try await model.sandbox.run(["prune", model.artifact, "--keep-last", "2"])
                try await model.refresh()
            }
            if model.versions.count < 2 { try await model.put() }
        }
        #expect(kills >= wantedKills, "only \(kills) of \(attempts) runs were killed before they finished")
        print("crash: \(kills) kills survived, \(finished) runs finished first, \(model.restores) versions restored and compared")
    }

    @Test("a failure or a crash at each named fault point leaves the store whole")
    func namedFaultPoints() async throws {
        let long = ReliabilitySandbox.longMode
        let points = ["write:1", "write:2", "fsync:1", "fsync:2", "rename:1", "rename:2", "commit:1"]
        // Short mode: every point crashes put; failures, and rm/prune, at the points that matter most.
        let plan: [(fault: String, deletes: Bool)] = long
            ? ["crash", "EIO", "ENOSPC"].flatMap { effect in points.map { ("\($0):\(effect)", true) } }
            : points.map { ("\($0):crash", ["rename:1", "commit:1"].contains($0)) }
                + ["write:1:EIO", "fsync:1:EIO", "commit:1:EIO"].map { ($0, $0 == "commit:1:EIO") }
        let model = try Model("faults")
        defer { model.sandbox.remove() }
        for _ in 0..<3 { try await model.put() }
        var runs = 0
        for (fault, deletes) in plan {
            let effect = String(fault.split(separator: ":").last!)
            do {
                // put: nothing new may appear unless it committed.
                let (tree, sums) = try model.nextTree()
                let before = model.versions
                let put = try await model.sandbox.run(["put", tree.path, "-n", model.artifact], fault: fault)
                try expectFailedOrDone(put, fault: fault, effect: effect)
                try await model.refresh(allowing: sums)
                #expect(model.versions.count - before.count <= 1)
                try await model.checkIntact(after: "put with \(fault)")
                // rm and prune: one transaction, then compaction that writes, fsyncs and renames.
                if deletes, let victim = model.versions.keys.sorted().first, model.versions.count > 1 {
                    let snapshot = model.versions
                    let rm = try await model.sandbox.run(["rm", "\(model.artifact):\(victim)"], fault: fault)
                    try expectFailedOrDone(rm, fault: fault, effect: effect)
                    try await model.refresh()
                    try expectAllOrNothing(.rm, before: snapshot, after: model.versions, arguments: ["rm", "\(model.artifact):\(victim)"])
                    try await model.checkIntact(after: "rm with \(fault)")
                }
                guard deletes else { runs += 1; continue }
                let snapshot = model.versions
                let prune = try await model.sandbox.run(["prune", model.artifact, "--keep-last", "2"], fault: fault)
                try expectFailedOrDone(prune, fault: fault, effect: effect)
                try await model.refresh()
                try expectAllOrNothing(.prune, before: snapshot, after: model.versions, arguments: ["prune"])
                try await model.checkIntact(after: "prune with \(fault)")
                while model.versions.count < 3 { try await model.put() }
                runs += 3
            }
        }
        // The orphans the faults left are reclaimable, and repair removes them.
        let repair = try await model.sandbox.run(["verify", "--repair", "--orphan-grace", "0"])
        #expect(repair.status == 0, "\(repair)")
        let after = try await model.sandbox.run(["verify", "--json"])
        #expect(after.status == 0, "\(after)")
        #expect((try after.jsonObject()["reclaimable"] as? [Any])?.isEmpty == true, "\(after.stdout)")
        print("faults: \(runs) runs with injected faults, \(model.restores) versions restored and compared")
    }

    private func expectFailedOrDone(_ outcome: CommandResult, fault: String, effect: String) throws {
        if effect == "crash" {
            #expect(outcome.signalled || outcome.status == 0, "\(fault): \(outcome)")
        } else if outcome.status != 0 {
            #expect(outcome.stderrLines.count == 1 && outcome.stderr.hasPrefix("arttui: error: "), "\(fault): \(outcome)")
        }
    }

    private func latestName(_ model: Model) -> String {
        model.versions.keys.max { Int($0.dropFirst())! < Int($1.dropFirst())! } ?? "v0"
    }

    /// A killed operation must have happened entirely or not at all.
    private func expectAllOrNothing(
        _ operation: Operation, before: [String: [String: String]], after: [String: [String: String]], arguments: [String]
    ) throws {
        let names = Set(before.keys), now = Set(after.keys)
        switch operation {
        case .put:
            #expect(now.count == names.count || now.count == names.count + 1, "\(arguments): \(names) → \(now)")
            #expect(names.isSubset(of: now), "\(arguments) lost a version: \(names) → \(now)")
        case .rm:
            let victim = String(arguments[1].split(separator: ":").last!)
            #expect(now == names || now == names.subtracting([victim]), "\(arguments): \(names) → \(now)")
        case .prune:
            let kept = Set(names.sorted { Int($0.dropFirst())! > Int($1.dropFirst())! }.prefix(2))
            #expect(now == names || now == kept, "\(arguments): \(names) → \(now)")
        case .cacheCleanup:
            #expect(now == names, "cache cleanup changed the store: \(names) → \(now)")
        }
    }
}
