import Crypto
import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `file://` references: a file, or every file of a directory tree, checksummed by SHA-256 of its content.
///
/// A tree is walked as `put` walks one (``SourceTree``): links inside it are followed, links leaving it refused.
public struct LocalFileSource: ReferenceSource {
    /// Creates the source.
    public init() {}

    public var schemes: [String] { ["file"] }

    public func list(_ uri: String, checksum: Bool, maxObjects: Int) throws -> [ManifestEntry] {
        let path = try Self.path(of: uri)
        let kind: SourceTree.Kind
        do {
            kind = try SourceTree.kind(of: path)
        } catch let error as StoreError {
            throw StoreError.referenceUnavailable(path: path, uri: uri, reason: Self.reason(error))
        }
        let files: [(path: String, file: String)]
        switch kind {
        case .regular:
            files = [(URL(fileURLWithPath: path).lastPathComponent, path)]
        case .directory:
            let found = try SourceTree.walk(URL(fileURLWithPath: path))
            if found.count > maxObjects { throw StoreError.tooManyObjects(uri: uri, count: found.count, limit: maxObjects) }
            files = found.map { ($0.path, $0.file) }
        default:
            throw StoreError.unsupportedFile(path: path, kind: kind.description)
        }
        return try Self.entries(for: files, checksum: checksum)
    }

    /// Entries for files on disk, hashed on all cores when `checksum` is set.
    static func entries(for files: [(path: String, file: String)], checksum: Bool) throws -> [ManifestEntry] {
        var entries = [ManifestEntry?](repeating: nil, count: files.count)
        let failure = Mutex<Error?>(nil)
        let next = Atomic<Int>(0)
        entries.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, files.count))
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while failure.withLock({ $0 == nil }) {
                    let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < files.count else { return }
                    do {
                        output[index] = try entry(path: files[index].path, file: files[index].file, checksum: checksum)
                    } catch {
                        failure.withLock { if $0 == nil { $0 = error } }
                    }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return entries.map { $0! }
    }

    private static func entry(path: String, file: String, checksum: Bool) throws -> ManifestEntry {
        let uri = Self.uri(of: file)
        guard checksum else {
            var info = stat()
            guard stat(file, &info) == 0 else {
                throw StoreError.referenceUnavailable(path: path, uri: uri, reason: FileSystem.lastError())
            }
            return ManifestEntry(path: path, digest: uri, size: Int64(info.st_size), reference: FileReference(uri: uri))
        }
        let fd = try openFile(file, O_RDONLY | O_CLOEXEC, operation: "open")
        defer { close(fd) }
        let (digest, size) = try hashFile(fd, path: file)
        return ManifestEntry(
            path: path, digest: ReferenceChecksum.sha256(digest).description, size: size,
            reference: FileReference(uri: uri))
    }

    public func read(_ reference: FileReference, into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> String? {
        let path = try Self.path(of: reference.uri)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw StoreError.referenceUnavailable(path: path, uri: reference.uri, reason: FileSystem.lastError())
        }
        defer { close(fd) }
        // `forward` is optional, hence formally escaping; it is only called during the read.
        _ = try withoutActuallyEscaping(sink) { try hashFile(fd, path: path, forward: $0) }
        return nil
    }

    public func currentETag(of reference: FileReference) throws -> String? {
        let path = try Self.path(of: reference.uri)
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw StoreError.referenceUnavailable(path: path, uri: reference.uri, reason: FileSystem.lastError())
        }
        return nil
    }

    /// The `file://` URI of an absolute or relative path (made absolute against the working directory).
    public static func uri(of path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.absoluteString
    }

    /// A regular file, however its URI is spelled (percent-escapes, `localhost`, a trailing `/`).
    public func namesOneObject(_ uri: String, listed: [ManifestEntry]) -> Bool {
        guard let path = try? Self.path(of: uri) else { return false }
        return (try? SourceTree.kind(of: path)) == .regular
    }

    /// The absolute path a `file://` URI names.
    static func path(of uri: String) throws -> String {
        guard uri.lowercased().hasPrefix("file://") else {
            throw StoreError.invalidReference(uri: uri, reason: "is not a file:// URI")
        }
        var rest = String(uri.dropFirst("file://".count))
        if rest.lowercased().hasPrefix("localhost/") { rest = String(rest.dropFirst("localhost".count)) }
        guard rest.hasPrefix("/") else {
            throw StoreError.invalidReference(uri: uri, reason: "must name an absolute path (file:///…)")
        }
        // Percent-escapes are decoded when the URI has them; a path typed with raw spaces stays as typed.
        let decoded = rest.removingPercentEncoding ?? rest
        return decoded.count > 1 && decoded.hasSuffix("/") ? String(decoded.dropLast()) : decoded
    }

    private static func reason(_ error: StoreError) -> String {
        if case let .io(_, _, reason) = error { return reason }
        return error.description
    }
}
