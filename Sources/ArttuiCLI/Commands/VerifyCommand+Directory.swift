import ArgumentParser
import ArtifactStore
import Foundation

extension VerifyCommand {
    /// `verify PROJECT/NAME[:REF] --root DIR`: whether DIR holds exactly the version's files.
    func checkDirectory(_ root: String, against address: String) throws {
        let parsed = try ArtifactAddress(parsing: address)
        let store = try storeOptions.openStore()
        let check = try store.check(store.version(parsed), against: URL(fileURLWithPath: root))
        if output.json {
            try JSONOutput.print(DirectoryCheckJSON(check: check))
        } else {
            for path in check.missing { print("missing: \(path)") }
            for path in check.changed { print("changed: \(path)") }
            for path in check.extra { print("extra: \(path)") }
            if check.matches {
                print("\(check.root) matches \(check.version) (\(counted(check.files, "file")))")
            } else {
                print("\(check.root) differs from \(check.version): \(check.missing.count) missing, "
                    + "\(check.changed.count) changed, \(check.extra.count) extra")
            }
        }
        if !check.matches { throw ExitCode(1) }
    }
}

/// What `verify --root --json` prints: the comparison, with its verdict.
private struct DirectoryCheckJSON: Encodable {
    var check: DirectoryCheck

    func encode(to encoder: Encoder) throws {
        try check.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(check.matches, forKey: .matches)
    }

    enum Key: String, CodingKey { case matches }
}
