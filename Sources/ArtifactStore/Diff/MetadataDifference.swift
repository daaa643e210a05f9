/// One metadata key that differs between two versions; nested keys are joined with dots (`train.lr`).
public struct MetadataDifference: Hashable, Sendable {
    /// How the key changed.
    public enum Kind: String, Hashable, Sendable, Codable {
        case added, removed, changed
    }

    /// The dotted key, such as `train.lr`.
    public var key: String
    /// How it changed.
    public var kind: Kind
    /// Its value in the base version (nil when added).
    public var base: JSONValue?
    /// Its value in the target version (nil when removed).
    public var target: JSONValue?

    /// Creates a change.
    public init(key: String, kind: Kind, base: JSONValue?, target: JSONValue?) {
        self.key = key
        self.kind = kind
        self.base = base
        self.target = target
    }

    /// The changes from `base` to `target` metadata, by key.
    ///
    /// Objects are walked into, so `{"train": {"lr": 0.1}}` → `{"train": {"lr": 0.2}}` is one change at
    /// `train.lr`; arrays and other values compare whole. An empty object counts as a value.
    public static func changes(from base: [String: JSONValue], to target: [String: JSONValue]) -> [MetadataDifference] {
        let old = flatten(base)
        let new = flatten(target)
        var changes: [MetadataDifference] = []
        for key in Set(old.keys).union(new.keys).sorted() {
            switch (old[key], new[key]) {
            case (nil, let value?): changes.append(MetadataDifference(key: key, kind: .added, base: nil, target: value))
            case (let value?, nil): changes.append(MetadataDifference(key: key, kind: .removed, base: value, target: nil))
            case (let before?, let after?) where before != after:
                changes.append(MetadataDifference(key: key, kind: .changed, base: before, target: after))
            default: break
            }
        }
        return changes
    }

    /// Dotted key → leaf value.
    static func flatten(_ object: [String: JSONValue], prefix: String = "") -> [String: JSONValue] {
        var leaves: [String: JSONValue] = [:]
        for (key, value) in object {
            let path = prefix + key
            if case .object(let nested) = value, !nested.isEmpty {
                leaves.merge(flatten(nested, prefix: path + "."), uniquingKeysWith: { first, _ in first })
            } else {
                leaves[path] = value
            }
        }
        return leaves
    }
}
