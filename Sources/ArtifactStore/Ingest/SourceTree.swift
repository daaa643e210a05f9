import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Walks files to add: regular files only, symbolic links followed while they stay inside the tree.
enum SourceTree {
    /// The kinds of file system entries, named for error messages.
    enum Kind: Equatable, CustomStringConvertible {
        case regular, directory, symlink, fifo, socket, characterDevice, blockDevice, missing

        var description: String {
            switch self {
            case .regular: return "regular file"
            case .directory: return "directory"
            case .symlink: return "symbolic link"
            case .fifo: return "fifo"
            case .socket: return "socket"
            case .characterDevice: return "character device"
            case .blockDevice: return "block device"
            case .missing: return "missing file"
            }
        }
    }

    /// A file found by `walk`: its path relative to the walked directory and where it is.
    struct Entry {
        var path: String
        var file: String
        /// Reached through a link leaving the tree under `SymlinkPolicy.reference`: record, do not store.
        var isReference = false
    }

    /// The kind of the entry at `path`; `followingLinks` stats through a symbolic link.
    static func kind(of path: String, followingLinks: Bool = true) throws -> Kind {
        var info = stat()
        let result = followingLinks ? stat(path, &info) : lstat(path, &info)
        if result != 0 {
            // The system's words, as for every other file a user names ("No such file or directory").
            let missing = errno == ENOENT
            throw StoreError.io(operation: missing ? "read" : "stat", path: path, reason: FileSystem.lastError())
        }
        return kind(mode: info.st_mode)
    }

    /// The kind a directory entry's `d_type` names, or nil when the file system did not say.
    static func kind(directoryEntryType type: UInt8) -> Kind? {
        switch Int32(type) {
        case Int32(DT_REG): return .regular
        case Int32(DT_DIR): return .directory
        case Int32(DT_LNK): return .symlink
        case Int32(DT_FIFO): return .fifo
        case Int32(DT_SOCK): return .socket
        case Int32(DT_CHR): return .characterDevice
        case Int32(DT_BLK): return .blockDevice
        default: return nil
        }
    }

    static func kind(mode: mode_t) -> Kind {
        switch mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        default: return .missing
        }
    }

    /// Every regular file under `root`, relative to it, in byte order of their paths where the
    /// directory entries say what they are (a symbolic link to a directory may break it).
    /// - Throws: `.unsupportedFile` for special files, `.unsafePath` for a link leaving `root` (under
    ///   `.refuse`), a link making a loop, or a name that is not UTF-8.
    static func walk(_ root: URL, symlinks: SymlinkPolicy = .refuse) throws -> [Entry] {
        let rootPath = try realPath(root.path)
        guard try kind(of: rootPath) == .directory else {
            throw StoreError.unsupportedFile(path: root.path, kind: "not a directory")
        }
        var entries: [Entry] = []
        var visited: Set<String> = [rootPath]
        let walk = Walk(rootReal: rootPath, symlinks: symlinks)
        try walk.walk(directory: root.path, realDirectory: rootPath, relative: "", asReferences: false,
                      visited: &visited, into: &entries)
        return entries
    }

    /// One walk's fixed parameters.
    private struct Walk {
        let rootReal: String
        let symlinks: SymlinkPolicy

        func walk(
            directory: String, realDirectory: String, relative: String, asReferences: Bool,
            visited: inout Set<String>, into entries: inout [Entry]
        ) throws {
            // Each file's two paths are one concatenation each: a tree of small files is mostly these
            // strings and the stat calls.
            let directoryPrefix = directory + "/"
            let relativePrefix = relative.isEmpty ? "" : relative + "/"
            let listed = try list(directory, relativePrefix: relativePrefix)
            // In byte order of the paths they make, a directory's name taken with the slash its files'
            // paths continue with: then the whole walk comes out in manifest order, which a draft
            // keeps as it is instead of sorting every path of the tree.
            let order = ByteOrder.order(of: listed.map { $0.kind == .directory ? $0.name + "/" : $0.name })
            for (name, listedKind) in order.lazy.map({ listed[$0] }) {
                let childPath = directoryPrefix + name
                let childRelative = relativePrefix + name
                // The directory entry usually says what it is; stat only when it does not.
                var kind = listedKind
                if kind == nil {
                    var info = stat()
                    guard lstat(childPath, &info) == 0 else {
                        throw StoreError.io(operation: "stat", path: childPath, reason: FileSystem.lastError())
                    }
                    kind = SourceTree.kind(mode: info.st_mode)
                }
                // Only links, directories and references need the resolved path: not built for each file.
                var resolvedChild: String?
                var reference = asReferences
                if kind == .symlink {
                    // A link to nothing (or to itself) leaves nowhere, and no policy can store it: say so
                    // before suggesting --symlinks.
                    guard let resolved = try? SourceTree.realPath(childPath) else {
                        var info = stat()
                        let reason = stat(childPath, &info) != 0 && errno == ELOOP
                            ? "the symbolic link makes a loop" : "the symbolic link points at nothing"
                        throw StoreError.unsafePath(path: childPath, reason: reason)
                    }
                    if resolved != rootReal && !resolved.hasPrefix(rootReal + "/") {
                        guard symlinks != .refuse else {
                            throw StoreError.unsafePath(
                                path: childPath, reason: "the symbolic link leaves \(rootReal) (--symlinks follow stores "
                                    + "what it points at, --symlinks reference records it as a file:// reference)")
                        }
                        // A directory above this one (or the tree itself) would be walked forever.
                        if (realDirectory + "/").hasPrefix(resolved == "/" ? "/" : resolved + "/") {
                            throw StoreError.unsafePath(
                                path: childPath, reason: "the symbolic link makes a loop: it points at \(resolved), above it")
                        }
                        reference = reference || symlinks == .reference
                    }
                    resolvedChild = resolved
                    kind = try SourceTree.kind(of: resolved)
                }
                var realChild: String { resolvedChild ?? realDirectory + "/" + name }
                switch kind {
                case .regular:
                    // A reference names the file itself, not a link to it that may move.
                    entries.append(Entry(path: childRelative, file: reference ? realChild : childPath, isReference: reference))
                case .directory:
                    guard visited.insert(realChild).inserted else { continue }
                    try walk(directory: reference ? realChild : childPath, realDirectory: realChild,
                             relative: childRelative, asReferences: reference, visited: &visited, into: &entries)
                case let other:
                    throw StoreError.unsupportedFile(path: childPath, kind: (other ?? .missing).description)
                }
            }
        }

        /// A directory's entries but `.` and `..`, each with the kind its entry names (nil when the file
        /// system did not say), in the order the directory lists them.
        private func list(_ directory: String, relativePrefix: String) throws -> [(name: String, kind: Kind?)] {
            guard let handle = opendir(directory) else {
                throw StoreError.io(operation: "read directory", path: directory, reason: FileSystem.lastError())
            }
            defer { closedir(handle) }
            var listed: [(name: String, kind: Kind?)] = []
            while let entry = readdir(handle) {
                // The name straight from the entry, without an array of its bytes on the way.
                let decoded = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(validating: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                guard let name = decoded else {
                    let shown = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                    }
                    throw StoreError.unsafePath(
                        path: relativePrefix + shown, reason: "the file name is not valid UTF-8")
                }
                if name == "." || name == ".." { continue }
                listed.append((name, SourceTree.kind(directoryEntryType: entry.pointee.d_type)))
            }
            return listed
        }
    }

    /// The canonical absolute path of an existing file.
    static func realPath(_ path: String) throws -> String {
        guard let resolved = realpath(path, nil) else {
            throw StoreError.io(operation: "resolve", path: path, reason: FileSystem.lastError())
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether two files hold the same bytes, compared a block at a time so big files cost no memory.
    static func sameContent(_ a: String, _ b: String) throws -> Bool {
        guard try kind(of: a) == .regular, try kind(of: b) == .regular else { return false }
        let first = try openFile(a, O_RDONLY, operation: "open")
        defer { close(first) }
        let second = try openFile(b, O_RDONLY, operation: "open")
        defer { close(second) }
        let blockSize = 1 << 20
        var left = [UInt8](repeating: 0, count: blockSize)
        var right = [UInt8](repeating: 0, count: blockSize)
        while true {
            let count = try left.withUnsafeMutableBytes { try readFully(first, into: $0, path: a) }
            let other = try right.withUnsafeMutableBytes { try readFully(second, into: $0, path: b) }
            guard count == other, left[..<count] == right[..<other] else { return false }
            if count < blockSize { return true }
        }
    }

    /// Reads until `buffer` is full or the file ends; returns how many bytes were read.
    private static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        var total = 0
        while total < buffer.count {
            let count = try readSome(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...]), path: path)
            if count == 0 { break }
            total += count
        }
        return total
    }
}
