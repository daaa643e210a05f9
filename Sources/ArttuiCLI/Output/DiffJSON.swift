import ArtifactStore
import Foundation

/// The shape `diff --json` prints; documented in the README.
struct DiffJSON: Encodable {
    struct Side: Encodable {
        var address: String
        var digest: String
        var createdAt: String
    }

    struct File: Encodable {
        var status: String
        var path: String
        var basePath: String?
        var size: Int64?
        var baseSize: Int64?
        var digest: String?
        var baseDigest: String?
        var patch: String?
        var patchSkipped: String?
        /// Where a reference entry's bytes live, on each side that is one.
        var reference: FileReference?
        var baseReference: FileReference?
    }

    struct Key: Encodable {
        var key: String
        var status: String
        var base: JSONValue?
        var target: JSONValue?

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
            try container.encode(status, forKey: .status)
            try container.encodeIfPresent(base, forKey: .base)
            try container.encodeIfPresent(target, forKey: .target)
        }

        enum CodingKeys: String, CodingKey { case key, status, base, target }
    }

    struct Description: Encodable {
        var base: String
        var target: String
    }

    struct Aliases: Encodable {
        var added: [String]
        var removed: [String]
    }

    struct Summary: Encodable {
        var added: Int
        var removed: Int
        var modified: Int
        var renamed: Int
        var bytesAdded: Int64
        var bytesRemoved: Int64
        var metadataKeys: Int
    }

    var base: Side
    var target: Side
    var summary: Summary
    var files: [File]?
    var metadata: [Key]
    var description: Description?
    var aliases: Aliases

    init(_ diff: VersionDiff, includeFiles: Bool, patches: [String: FilePatch?]) {
        func side(_ version: ArtifactVersion) -> Side {
            Side(address: version.qualifiedName, digest: version.digest, createdAt: JSONOutput.timestamp(version.createdAt))
        }
        base = side(diff.base)
        target = side(diff.target)
        let stat = DiffStat(diff)
        summary = Summary(
            added: stat.added, removed: stat.removed, modified: stat.modified, renamed: stat.renamed,
            bytesAdded: stat.bytesAdded, bytesRemoved: stat.bytesRemoved, metadataKeys: diff.metadata.count)
        files = includeFiles ? diff.files.map { change in
            var file = File(
                status: change.kind.rawValue, path: change.path,
                basePath: change.kind == .renamed ? change.base?.path : nil,
                size: change.target?.size, baseSize: change.kind == .renamed ? nil : change.base?.size,
                digest: change.target?.digest, baseDigest: change.kind == .renamed ? nil : change.base?.digest,
                reference: change.target?.reference,
                baseReference: change.kind == .renamed ? nil : change.base?.reference)
            if let patch = patches[change.path] ?? nil {
                switch patch {
                case .text(let text): file.patch = text
                case .binary: file.patchSkipped = "binary"
                case .tooLarge(let limit): file.patchSkipped = "larger than \(limit) bytes"
                case .reference: file.patchSkipped = "reference"
                case .renamed: break
                }
            }
            return file
        } : nil
        metadata = diff.metadata.map { Key(key: $0.key, status: $0.kind.rawValue, base: $0.base, target: $0.target) }
        description = diff.descriptionChanged
            ? Description(base: diff.base.description, target: diff.target.description) : nil
        aliases = Aliases(added: diff.aliasesAdded, removed: diff.aliasesRemoved)
    }
}
