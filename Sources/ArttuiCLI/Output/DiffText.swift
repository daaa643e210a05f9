import ArtifactStore
import Foundation

/// `diff`'s text output: a header, description, aliases, metadata keys, one line per file, a count line,
/// and with `--patch` the unified diffs.
enum DiffText {
    static func render(_ diff: VersionDiff, stat: Bool, patches: [String: FilePatch?]) -> String {
        var out = "diff \(diff.base.qualifiedName) → \(diff.target.qualifiedName)\n"
        let counts = DiffStat(diff)
        if stat {
            out += counts.line + "\n"
            out += "\(diff.metadata.count) metadata key\(diff.metadata.count == 1 ? "" : "s") changed"
            out += diff.descriptionChanged ? ", description changed" : ""
            if !diff.aliasesAdded.isEmpty || !diff.aliasesRemoved.isEmpty { out += ", aliases " + aliasText(diff) }
            return out + "\n"
        }
        if diff.isEmpty { return out + "no differences\n" }
        if diff.descriptionChanged {
            out += "description: \(quoted(diff.base.description)) → \(quoted(diff.target.description))\n"
        }
        if !diff.aliasesAdded.isEmpty || !diff.aliasesRemoved.isEmpty { out += "aliases: \(aliasText(diff))\n" }
        if !diff.metadata.isEmpty {
            out += "metadata:\n"
            for change in diff.metadata {
                switch change.kind {
                case .added: out += "  + \(change.key): \(value(change.target))\n"
                case .removed: out += "  - \(change.key): \(value(change.base))\n"
                case .changed: out += "  ~ \(change.key): \(value(change.base)) → \(value(change.target))\n"
                }
            }
        }
        if !diff.files.isEmpty {
            out += "files:\n"
            let rows = diff.files.map { change -> [String] in
                switch change.kind {
                case .added: return ["A", change.path, ByteSize.format(change.target!.size)]
                case .removed: return ["D", change.path, ByteSize.format(change.base!.size)]
                case .modified:
                    return ["M", change.path, "\(ByteSize.format(change.base!.size)) → \(ByteSize.format(change.target!.size))"]
                case .renamed: return ["R", "\(change.base!.path) → \(change.path)", ByteSize.format(change.target!.size)]
                }
            }
            for line in TextTable(["", "", ""]).render(rows).dropFirst() { out += "  " + line + "\n" }
            out += counts.line + "\n"
        }
        for change in diff.files {
            guard let patch = patches[change.path] ?? nil else { continue }
            switch patch {
            case .text(let text): out += "\n" + text
            case .binary: out += "\nBinary file \(change.path) differs\n"
            case .tooLarge(let limit): out += "\n\(change.path): larger than \(limit) bytes, no patch\n"
            case .reference(let sources): out += "\n\(change.path): reference, \(sources)\n"
            case .renamed: break
            }
        }
        return out
    }

    private static func aliasText(_ diff: VersionDiff) -> String {
        (diff.aliasesAdded.map { "+" + $0 } + diff.aliasesRemoved.map { "-" + $0 }).joined(separator: " ")
    }

    private static func value(_ value: JSONValue?) -> String { value?.jsonText ?? "-" }

    private static func quoted(_ text: String) -> String { JSONValue.string(text).jsonText }
}
