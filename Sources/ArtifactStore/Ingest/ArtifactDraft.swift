import Foundation

/// A version being assembled: files and directories to add, with the artifact's name, type,
/// description, metadata and aliases. `Store.log(_:project:)` stores it.
public struct ArtifactDraft: Sendable {
    /// One file to store: the path it gets inside the artifact, and where its bytes come from.
    public struct Source: Hashable, Sendable {
        /// Artifact-relative POSIX path.
        public var path: String
        /// The file on disk (for an entry made in memory, a name for messages only).
        public var file: URL { URL(fileURLWithPath: filePath) }
        /// The bytes of an entry made in memory, such as a table; nil for a file on disk.
        public var data: Data?
        /// The path of ``file``: what the ingester opens and stats, kept as text because a put of
        /// a big tree handles it once per file.
        let filePath: String

        init(path: String, filePath: String, data: Data? = nil) {
            self.path = path
            self.filePath = filePath
            self.data = data
        }
    }

    /// The artifact's name.
    public var name: String
    /// The artifact's type.
    public var type: String
    /// The version's description.
    public var description: String
    /// The version's metadata (a JSON object).
    public var metadata: [String: JSONValue]
    /// Aliases to set on the new version (besides `latest`, which moves by itself).
    public var aliases: [String]
    /// The run that logs the version, if any.
    public var runID: String?
    /// The files added so far, by artifact path.
    public var sources: [String: Source] {
        Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0) })
    }
    /// How many files have been added.
    public var fileCount: Int { files.count }
    /// The files added so far, in the order they were added; the first source of a path wins.
    private var files: [Source] = []
    /// Each file's place in `files`, by artifact path.
    private var places: [String: Int] = [:]
    /// Whether `files` is in manifest order: each path added sorts after the one before it, as a
    /// walk of one directory gives them. Then `sourcesInManifestOrder` is `files` itself, with no
    /// copy or sort of 20,000 sources (7 % of an unchanged put of many small files).
    private var filesInManifestOrder = true
    /// Reference entries added so far, by artifact path: recorded, never copied into the store.
    public private(set) var references: [String: ManifestEntry] = [:]
    /// What `addDirectory` does with a symbolic link that leaves the directory.
    public var symlinks: SymlinkPolicy = .refuse

    /// Whether the draft holds nothing to store or record.
    public var isEmpty: Bool { files.isEmpty && references.isEmpty }

    /// The files in the order of a version's manifest lines (by the bytes of their paths), so that the
    /// manifest digest of what is cut from them needs no sort of its own.
    public var sourcesInManifestOrder: [Source] {
        if filesInManifestOrder { return files }
        return ByteOrder.order(of: files.map(\.path)).map { files[$0] }
    }

    /// Starts an empty draft.
    public init(
        name: String, type: String = "dataset", description: String = "", metadata: [String: JSONValue] = [:],
        aliases: [String] = []
    ) {
        self.name = name
        self.type = type
        self.description = description
        self.metadata = metadata
        self.aliases = aliases
    }

    /// Adds one file, under `path` inside the artifact (its own name by default).
    /// - Throws: `StoreError.unsupportedFile` for fifos, devices, sockets and directories;
    ///   `.unsafePath` for a path that is absolute or contains `..`; `.conflictingPath` if the path is taken.
    public mutating func addFile(_ file: URL, as path: String? = nil) throws {
        let target = path ?? file.lastPathComponent
        try ManifestPath.validate(target)
        let kind = try SourceTree.kind(of: file.path)
        guard kind == .regular else { throw StoreError.unsupportedFile(path: file.path, kind: kind.description) }
        try insert(Source(path: target, filePath: file.path))
    }

    /// Adds a directory's files, relative to it, under `prefix` inside the artifact (the root by default).
    /// Symbolic links are followed while they stay inside the directory; one that leaves it is
    /// refused, followed or recorded as a `file://` reference, as ``symlinks`` says.
    public mutating func addDirectory(_ directory: URL, prefix: String? = nil) throws {
        if let prefix { try ManifestPath.validate(prefix) }
        var linked: [(path: String, file: String)] = []
        let entries = try SourceTree.walk(directory, symlinks: symlinks)
        // Room for every file at once: grown by doubling, the table hashed each path again at every step.
        places.reserveCapacity(files.count + entries.count)
        files.reserveCapacity(files.count + entries.count)
        for entry in entries {
            let path = prefix.map { "\($0)/\(entry.path)" } ?? entry.path
            try ManifestPath.validate(path)
            if entry.isReference {
                linked.append((path, entry.file))
            } else {
                try insert(Source(path: path, filePath: entry.file))
            }
        }
        if !linked.isEmpty { try addReferences(LocalFileSource.entries(for: linked, checksum: true)) }
    }

    /// Adds reference entries (as a ``ReferenceSource`` lists them): recorded in the version, not stored.
    /// - Throws: `.unsafePath` for a bad path, `.conflictingPath` when a path is taken by other content.
    public mutating func addReferences(_ entries: [ManifestEntry]) throws {
        for entry in entries {
            guard entry.reference != nil else {
                throw StoreError.invalidArgument("entry \(entry.path) is not a reference")
            }
            try ManifestPath.validate(entry.path)
            if let existing = references[entry.path] {
                try Self.requireSameSpelling(existing.path, entry.path)
                guard existing == entry else { throw StoreError.conflictingPath(path: entry.path) }
                continue
            }
            if places[entry.path] != nil { throw StoreError.conflictingPath(path: entry.path) }
            references[entry.path] = entry
        }
    }

    /// Adds a file or a directory, as `arttui put` does with each of its arguments.
    public mutating func add(_ url: URL) throws {
        if try SourceTree.kind(of: url.path, followingLinks: true) == .directory {
            try addDirectory(url)
        } else {
            try addFile(url)
        }
    }

    /// Adds a file as the entry `path`, or a directory's files under the prefix `path`, as
    /// `arttui put --entry PATH=LOCAL` does (the reference's `add_file(name=)` and `add_dir(name=)`).
    public mutating func add(_ url: URL, at path: String) throws {
        if try SourceTree.kind(of: url.path, followingLinks: true) == .directory {
            try addDirectory(url, prefix: path)
        } else {
            try addFile(url, as: path)
        }
    }

    /// Adds bytes held in memory as the file `path` inside the artifact.
    public mutating func addData(_ data: Data, as path: String) throws {
        try ManifestPath.validate(path)
        if references[path] != nil { throw StoreError.conflictingPath(path: path) }
        if let existing = places[path] {
            try Self.requireSameSpelling(files[existing].path, path)
            guard files[existing].data == data else { throw StoreError.conflictingPath(path: path) }
            return
        }
        append(Source(path: path, filePath: "/dev/null/\(path)", data: data))
    }

    private mutating func insert(_ source: Source) throws {
        if !references.isEmpty, references[source.path] != nil { throw StoreError.conflictingPath(path: source.path) }
        // One lookup for the usual new path (a walk of 20,000 files hashed each path twice here); a
        // path already taken keeps its first source.
        if let place = places.updateValue(files.count, forKey: source.path) {
            places[source.path] = place
            let existing = files[place]
            try Self.requireSameSpelling(existing.path, source.path)
            if existing.data != nil { throw StoreError.conflictingPath(path: source.path) }
            guard existing.file.standardizedFileURL != source.file.standardizedFileURL else { return }
            // Two files for one path are fine only if their contents are equal; that is checked
            // when they are hashed, so keep both candidates apart until then.
            if try !SourceTree.sameContent(existing.filePath, source.filePath) {
                throw StoreError.conflictingPath(path: source.path)
            }
            return
        }
        appendPlaced(source)
    }

    /// Swift compares strings by canonical equivalence, so `é` written as one code point (NFC) and as `e`
    /// plus a combining accent (NFD) are one key here, while a file system holds both names apart.
    /// Two such files must not become one entry (or a conflict message about content): refuse, naming both.
    private static func requireSameSpelling(_ existing: String, _ new: String) throws {
        guard !existing.unicodeScalars.elementsEqual(new.unicodeScalars) else { return }
        throw StoreError.unsafePath(
            path: new, reason: "another path, \(codePoints(existing)) (this one is \(codePoints(new))), is the same "
                + "text in another Unicode normalization and would be taken for it; rename one of them")
    }

    /// A path with every non-ASCII code point written out (and control characters escaped, as a name on
    /// Linux may hold a line break), so two spellings that look alike can be told apart on one line.
    private static func codePoints(_ path: String) -> String { EscapedText.oneLine(path, nonASCII: true) }

    /// Adds a source whose path is new.
    private mutating func append(_ source: Source) {
        places[source.path] = files.count
        appendPlaced(source)
    }

    /// Adds a source whose place `places` already holds.
    private mutating func appendPlaced(_ source: Source) {
        if filesInManifestOrder, let last = files.last {
            filesInManifestOrder = ByteOrder.precedes(last.path, source.path)
        }
        files.append(source)
    }
}
