import Foundation

/// Reads what references of some URI schemes point at: lists the objects a URI names, streams an
/// object's bytes, and asks for its ETag without reading it.
///
/// Sources only move bytes; ``ReferenceChecker`` compares them with what was recorded, so every
/// scheme is checked the same way. `file://` is built in (``LocalFileSource``); the command line adds
/// `http(s)://` and `s3://`, which need a network stack the core does not link.
public protocol ReferenceSource: Sendable {
    /// The URI schemes this source reads, lower case.
    var schemes: [String] { get }

    /// The objects `uri` names, each as an entry whose path is its place in the artifact: its own
    /// name for a single object, its path below the tree or prefix otherwise.
    /// - Parameters:
    ///   - checksum: record a checksum (else the digest is the URI itself and changes go unnoticed).
    ///   - maxObjects: more objects than this throws `StoreError.tooManyObjects` with the full count.
    /// - Throws: `StoreError.referenceUnavailable` when the source cannot be read.
    func list(_ uri: String, checksum: Bool, maxObjects: Int) throws -> [ManifestEntry]

    /// Streams the object's bytes into `sink`; returns the ETag the source sent with them, if any.
    func read(_ reference: FileReference, into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> String?

    /// The object's ETag now, without reading its bytes; nil when the source keeps none. Throws
    /// `StoreError.referenceUnavailable` when the object is gone.
    func currentETag(of reference: FileReference) throws -> String?

    /// Whether `uri`, which `list` answered with `listed`, names one object rather than a tree or a
    /// prefix (`put --reference NAME=URI` places one object at NAME, a tree's objects under it).
    func namesOneObject(_ uri: String, listed: [ManifestEntry]) -> Bool
}

extension ReferenceSource {
    /// One object's entry records the URI asked for, as written; a tree's entries record their own.
    public func namesOneObject(_ uri: String, listed: [ManifestEntry]) -> Bool {
        listed.count == 1 && listed[0].reference?.uri == uri
    }
}

/// The reference sources a store can use, by scheme.
public struct ReferenceResolver: Sendable {
    private var sources: [String: any ReferenceSource] = [:]

    /// A resolver reading the given sources (a later source wins a scheme).
    public init(_ sources: [any ReferenceSource]) {
        for source in sources {
            for scheme in source.schemes { self.sources[scheme] = source }
        }
    }

    /// `file://` only: what the core can read without a network stack.
    public static let local = ReferenceResolver([LocalFileSource()])

    /// The source for a URI's scheme.
    /// - Throws: `StoreError.invalidReference` for a URI without a scheme or with one no source reads.
    public func source(for uri: String) throws -> any ReferenceSource {
        guard let range = uri.firstRange(of: "://"), range.lowerBound > uri.startIndex else {
            throw StoreError.invalidReference(uri: uri, reason: "is not a URI (expected SCHEME://…)")
        }
        let scheme = uri[..<range.lowerBound].lowercased()
        guard let source = sources[scheme] else {
            let known = sources.keys.sorted().map { "\($0)://" }.joined(separator: ", ")
            throw StoreError.invalidReference(uri: uri, reason: "has a scheme arttui cannot read here (it reads \(known))")
        }
        return source
    }

    /// The entries `uri` names; see ``ReferenceSource/list(_:checksum:maxObjects:)``.
    ///
    /// With `name`, they are placed at that path inside the artifact, as the reference system's
    /// `add_reference(uri, name=)` places them: a single object becomes the entry `name`, a tree's or a
    /// prefix's objects go under the folder `name`.
    /// - Throws: `.unsafePath` for a `name` that is not a relative path inside the artifact.
    public func list(_ uri: String, at name: String? = nil, checksum: Bool, maxObjects: Int) throws -> [ManifestEntry] {
        guard maxObjects > 0 else {
            throw StoreError.invalidArgument("--max-objects must be at least 1, not \(maxObjects)")
        }
        let place = name.map { String($0.reversed().drop { $0 == "/" }.reversed()) }
        if let place { try ManifestPath.validate(place) }
        let source = try source(for: uri)
        let entries = try source.list(uri, checksum: checksum, maxObjects: maxObjects)
        guard let place else { return entries }
        let single = source.namesOneObject(uri, listed: entries)
        return entries.map { entry in
            var placed = entry
            placed.path = single ? place : "\(place)/\(entry.path)"
            return placed
        }
    }

    /// `--reference [NAME=]URI` split: NAME is what comes before the first `=` when that holds no
    /// `://` (a URI starts with its scheme, so an `=` in a URI's path or query is never taken for one).
    public static func namedURI(_ text: String) -> (name: String?, uri: String) {
        guard let equals = text.firstIndex(of: "="), !text[..<equals].contains("://") else { return (nil, text) }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }
}
