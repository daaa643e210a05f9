import ArtifactStore
import Foundation

/// The browser's `Int64` version ids for versions on a team server, which has no ids on the wire.
///
/// An id is made of what names the version on the server: the artifact, numbered here in the
/// order it was first seen, in the high 32 bits and the version number in the low 32. Nothing
/// else about a version is kept, so the server stays the only source of truth: every id is
/// turned back into `ENTITY/PROJECT/NAME:vN` and asked for again.
final class ServerVersionIDs: @unchecked Sendable {
    /// What an id names.
    struct Name: Hashable {
        var project: String
        var artifact: String
        var index: Int
    }

    private struct ArtifactName: Hashable {
        var project: String
        var artifact: String
    }

    private let lock = NSLock()
    private var numbers: [ArtifactName: Int64] = [:]
    private var artifacts: [ArtifactName] = []

    /// The id of a version (a pending version, which has no number, is never shown).
    func id(project: String, artifact: String, index: Int) -> Int64 {
        let name = ArtifactName(project: project, artifact: artifact)
        let number = locked { () -> Int64 in
            if let known = numbers[name] { return known }
            artifacts.append(name)
            numbers[name] = Int64(artifacts.count - 1)
            return Int64(artifacts.count - 1)
        }
        return number << 32 | Int64(UInt32(truncatingIfNeeded: index))
    }

    /// The version with its browser id in place of the number the wire gave it.
    func identified(_ version: ArtifactVersion) -> ArtifactVersion {
        var version = version
        version.id = id(project: version.project, artifact: version.name, index: version.index ?? -1)
        return version
    }

    /// What an id names, or nil for an id this browser never gave out.
    func name(of id: Int64) -> Name? {
        let number = Int(id >> 32)
        return locked {
            guard number >= 0, number < artifacts.count else { return nil }
            return Name(project: artifacts[number].project, artifact: artifacts[number].artifact,
                        index: Int(Int32(truncatingIfNeeded: id & 0xFFFF_FFFF)))
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
