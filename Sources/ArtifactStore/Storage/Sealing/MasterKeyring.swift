import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The AES-256 master keys objects are sealed with, read from a key file.
///
/// A key file holds one key per line, `arttui-master-key <id> <base64 of 32 bytes>`, with `#`
/// comments. The key with the highest id seals new objects; every key in the file still opens
/// the objects sealed with it, so a key is rotated by appending a newer one (`generate`) and is
/// never removed while objects sealed with it remain. The file must be readable by its owner only.
// Unchecked: SymmetricKey is an immutable value that this swift-crypto does not mark Sendable.
public struct MasterKeyring: @unchecked Sendable {
    /// The file the keys were read from, for messages; nil for a keyring made in memory.
    public let path: String?
    private let keys: [UInt32: SymmetricKey]
    /// The id of the key new objects are sealed with.
    public let newestKeyID: UInt32

    /// A keyring of keys held in memory (tests, tools); `keys` maps ids to 32-byte keys.
    /// - Throws: `MasterKeyError.malformed` when there is no key or a key is not 32 bytes.
    public init(keys: [UInt32: [UInt8]]) throws(MasterKeyError) {
        guard let newest = keys.keys.max() else { throw .empty(path: "(memory)") }
        var symmetric: [UInt32: SymmetricKey] = [:]
        for (id, bytes) in keys {
            guard bytes.count == 32, id > 0 else {
                throw .malformed(path: "(memory)", line: 0, reason: "key \(id) must be 32 bytes with an id above 0")
            }
            symmetric[id] = SymmetricKey(data: bytes)
        }
        self.path = nil
        self.keys = symmetric
        self.newestKeyID = newest
    }

    private init(path: String, keys: [UInt32: SymmetricKey]) {
        self.path = path
        self.keys = keys
        self.newestKeyID = keys.keys.max()!
    }

    /// Every key id in the keyring, oldest first.
    public var keyIDs: [UInt32] { keys.keys.sorted() }

    /// The key with this id, if the keyring has it.
    func key(id: UInt32) -> SymmetricKey? { keys[id] }

    /// The key new objects are sealed with.
    var newestKey: SymmetricKey { keys[newestKeyID]! }

    /// Reads a key file.
    /// - Throws: `MasterKeyError` naming the file and the cause: it is missing, readable by group
    ///   or others, malformed (with the line), or holds no key.
    public static func load(contentsOf file: URL) throws(MasterKeyError) -> MasterKeyring {
        let path = file.path
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { throw .missingFile(path: path) }
            throw .io(path: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & mode_t(S_IFMT)) == mode_t(S_IFREG) else { throw .io(path: path, reason: "not a regular file") }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else { throw .unsafePermissions(path: path, mode: mode) }
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw .io(path: path, reason: "cannot be read as UTF-8 text")
        }
        var keys: [UInt32: SymmetricKey] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            let number = index + 1
            guard fields.count == 3, fields[0] == lineTag else {
                throw .malformed(path: path, line: number, reason: "expected \"\(lineTag) ID BASE64-KEY\"")
            }
            guard let id = UInt32(fields[1]), id > 0 else {
                throw .malformed(path: path, line: number, reason: "key id \"\(fields[1])\" is not a number above 0")
            }
            guard let bytes = Data(base64Encoded: String(fields[2])), bytes.count == 32 else {
                throw .malformed(path: path, line: number, reason: "key \(id) is not 32 bytes in base64")
            }
            guard keys[id] == nil else {
                throw .malformed(path: path, line: number, reason: "key id \(id) appears twice")
            }
            keys[id] = SymmetricKey(data: bytes)
        }
        guard !keys.isEmpty else { throw .empty(path: path) }
        return MasterKeyring(path: path, keys: keys)
    }

    /// Adds a new random key to a key file, creating the file (mode 0600) when it does not exist;
    /// the new key has the highest id, so it seals every object written from then on.
    /// - Returns: The new key's id.
    /// - Throws: `MasterKeyError` when an existing file cannot be read as a key file or written.
    @discardableResult
    public static func generate(at file: URL) throws(MasterKeyError) -> UInt32 {
        let path = file.path
        var fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        var id: UInt32 = 1
        var text = ""
        if fd >= 0 {
            text = """
                # arttui master keys for sealing stored objects (AES-256-GCM). Keep this file secret (mode 0600)
                # and backed up: objects sealed with a key cannot be read without it. The last, highest id seals
                # new objects; never remove a key while objects sealed with it remain.

                """
        } else {
            guard errno == EEXIST else { throw .io(path: path, reason: String(cString: strerror(errno))) }
            fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
            guard fd >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
            // Serialise concurrent generates so two never pick the same id.
            flock(fd, LOCK_EX)
            do throws(MasterKeyError) {
                id = try load(contentsOf: file).newestKeyID + 1
            } catch {
                close(fd)
                throw error
            }
        }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        text += "\(lineTag) \(id) \(key)\n"
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
            written += n
        }
        guard fsync(fd) == 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        return id
    }

    private static let lineTag = "arttui-master-key"
}

/// Why a master key file cannot be used, or an object cannot be opened with the keys at hand.
public enum MasterKeyError: Error, Equatable, CustomStringConvertible {
    /// The key file does not exist.
    case missingFile(path: String)
    /// The key file may be read by its group or by others.
    case unsafePermissions(path: String, mode: mode_t)
    /// A line of the key file is not a key.
    case malformed(path: String, line: Int, reason: String)
    /// The key file holds no key.
    case empty(path: String)
    /// The key file cannot be read or written.
    case io(path: String, reason: String)
    /// An object was sealed with a key the keyring lacks.
    case unknownKey(id: UInt32, object: String, keyFile: String?)

    public var description: String {
        switch self {
        case .missingFile(let path):
            return "master key file \(path) does not exist (create it with `arttui-server admin key generate FILE`)"
        case .unsafePermissions(let path, let mode):
            return "master key file \(path) is readable by group or others (mode \(String(mode, radix: 8))): "
                + "chmod 600 it"
        case .malformed(let path, let line, let reason):
            return "master key file \(path) line \(line): \(reason)"
        case .empty(let path):
            return "master key file \(path) holds no key"
        case .io(let path, let reason):
            return "master key file \(path): \(reason)"
        case .unknownKey(let id, let object, let keyFile):
            return "object \(object) is sealed with master key \(id), which \(keyFile ?? "the keyring") lacks"
        }
    }
}
