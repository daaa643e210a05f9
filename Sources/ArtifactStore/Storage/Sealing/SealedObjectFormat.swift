import Crypto
import Foundation

/// The layout of an object sealed at rest with AES-256-GCM, in pieces so ranged reads stay cheap.
///
/// ```
/// header (36 bytes): magic "ARTSEAL\0" | version u16 = 1 | flags u16 = 0 | key id u32
///                    | segment size u32 = 65536 | salt (16 random bytes)
/// segment 0:         ciphertext (segment size bytes) | GCM tag (16 bytes)
/// …
/// last segment:      ciphertext (0 … segment size bytes) | GCM tag (16 bytes)
/// ```
/// Integers are big-endian. Each object has its own key, HKDF-SHA256(master key, salt), so nonces
/// (4 zero bytes, then the segment index as u64) never repeat under one key. Every segment's
/// additional data is the header, its index, a final-segment flag and the object key: a changed
/// header, reordered or swapped segments, a cut at a segment boundary, or an object copied under
/// another key all fail authentication.
public enum SealedObjectFormat {
    /// Bytes of plaintext per segment.
    public static let segmentSize = 64 << 10
    /// Bytes of the header.
    public static let headerSize = 36
    /// Bytes of a GCM tag.
    public static let tagSize = 16
    static let magic: [UInt8] = Array("ARTSEAL".utf8) + [0]
    static let version: UInt16 = 1

    /// The size of the sealed form of `plaintextSize` bytes.
    public static func sealedSize(ofPlaintextSize plaintextSize: Int64) -> Int64 {
        let segments = max(1, (plaintextSize + Int64(segmentSize) - 1) / Int64(segmentSize))
        return Int64(headerSize) + plaintextSize + segments * Int64(tagSize)
    }

    /// The plaintext size of a sealed object of `sealedSize` bytes; nil when no plaintext seals
    /// to that size (the object was cut inside a segment).
    public static func plaintextSize(ofSealedSize sealedSize: Int64) -> Int64? {
        let body = sealedSize - Int64(headerSize)
        let stride = Int64(segmentSize + tagSize)
        guard body >= Int64(tagSize) else { return nil }
        let full = body / stride
        let rest = body % stride
        if rest == 0 { return full * Int64(segmentSize) }
        guard rest >= Int64(tagSize) else { return nil }
        return full * Int64(segmentSize) + rest - Int64(tagSize)
    }

    /// Seals `plaintext` as the object `objectKey` with the keyring's newest key.
    public static func seal(_ plaintext: Data, objectKey: String, keyring: MasterKeyring) throws -> Data {
        // Sized once: growing the output as segments arrive copied it over and over.
        var out = Data(count: Int(sealedSize(ofPlaintextSize: Int64(plaintext.count))))
        try out.withUnsafeMutableBytes { sealed in
            try plaintext.withUnsafeBytes { _ = try seal($0, objectKey: objectKey, keyring: keyring, into: sealed) }
        }
        return out
    }

    /// Seals `plaintext` as the object `objectKey` into `sealed`, which must hold exactly
    /// `sealedSize(ofPlaintextSize:)` bytes, and returns the object's header (its first bytes): for a
    /// caller that reuses its output memory between objects.
    static func seal(
        _ plaintext: UnsafeRawBufferPointer, objectKey: String, keyring: MasterKeyring,
        into sealed: UnsafeMutableRawBufferPointer
    ) throws -> [UInt8] {
        precondition(sealed.count == Int(sealedSize(ofPlaintextSize: Int64(plaintext.count))), "sealed output of the wrong size")
        var sealer = SegmentCipher(sealingFor: objectKey, keyring: keyring)
        sealer.header.withUnsafeBytes { sealed.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        var written = sealer.header.count
        let count = plaintext.count
        let segments = max(1, (count + segmentSize - 1) / segmentSize)
        for index in 0..<segments {
            let start = index * segmentSize
            let piece = UnsafeRawBufferPointer(rebasing: plaintext[start..<min(count, start + segmentSize)])
            written += try sealer.seal(
                piece, index: UInt64(index), isFinal: index == segments - 1, into: sealed.baseAddress! + written)
        }
        return sealer.header
    }

    /// Opens a whole sealed object.
    /// - Throws: `StoreError.corruptData` when it fails authentication, `MasterKeyError.unknownKey`
    ///   when the keyring lacks its key.
    public static func open(_ sealed: Data, objectKey: String, keyring: MasterKeyring) throws -> Data {
        let reader = try SealedObjectReader(
            wrapping: DataObjectReader(data: sealed), objectKey: objectKey, keyring: keyring)
        var out = Data(count: Int(reader.size))
        try out.withUnsafeMutableBytes { try reader.read(offset: 0, length: Int(reader.size), into: $0) }
        return out
    }
}

/// Seals or opens the segments of one object.
struct SegmentCipher {
    let header: [UInt8]
    let objectKey: String
    private let key: SymmetricKey
    private var associated: [UInt8]
    /// 4 zero bytes, then the segment index: patched per segment rather than built anew.
    private var nonceBytes = [UInt8](repeating: 0, count: 12)

    /// A cipher for writing a new object under the keyring's newest key, with a fresh salt.
    init(sealingFor objectKey: String, keyring: MasterKeyring) {
        var header = SealedObjectFormat.magic
        header += Self.bigEndian(SealedObjectFormat.version)
        header += Self.bigEndian(UInt16(0))
        header += Self.bigEndian(keyring.newestKeyID)
        header += Self.bigEndian(UInt32(SealedObjectFormat.segmentSize))
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }
        header += salt
        self.init(header: header, objectKey: objectKey, master: keyring.newestKey, salt: salt)
    }

    /// A cipher for reading an object whose header is `header`.
    /// - Throws: `StoreError.corruptData` for a header that is not a sealed object's,
    ///   `MasterKeyError.unknownKey` when the keyring lacks its key.
    init(openingHeader header: [UInt8], objectKey: String, keyring: MasterKeyring) throws {
        let what = "sealed object \(objectKey)"
        guard header.count == SealedObjectFormat.headerSize, Array(header[0..<8]) == SealedObjectFormat.magic else {
            throw StoreError.corruptData(what: what, detail: "it does not start with a sealed-object header")
        }
        let version = UInt16(header[8]) << 8 | UInt16(header[9])
        guard version == SealedObjectFormat.version else {
            throw StoreError.corruptData(
                what: what, detail: "format version \(version) is not supported (this arttui reads version 1)")
        }
        let keyID = header[12..<16].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let segment = header[16..<20].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard segment == UInt32(SealedObjectFormat.segmentSize) else {
            throw StoreError.corruptData(what: what, detail: "segment size \(segment) is not \(SealedObjectFormat.segmentSize)")
        }
        guard let master = keyring.key(id: keyID) else {
            throw MasterKeyError.unknownKey(id: keyID, object: objectKey, keyFile: keyring.path)
        }
        self.init(header: header, objectKey: objectKey, master: master, salt: Array(header[20..<36]))
    }

    private init(header: [UInt8], objectKey: String, master: SymmetricKey, salt: [UInt8]) {
        self.header = header
        self.objectKey = objectKey
        self.key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master, salt: salt, info: Array("arttui sealed object v1".utf8), outputByteCount: 32)
        // header | index u64 | final flag u8 | object key: index and flag are patched per segment.
        self.associated = header + [UInt8](repeating: 0, count: 9) + Array(objectKey.utf8)
    }

    /// Writes the ciphertext and tag of segment `index` at `destination`, which has room for them
    /// (the plaintext's length plus the tag's), and returns how many bytes it wrote.
    mutating func seal(
        _ plaintext: UnsafeRawBufferPointer, index: UInt64, isFinal: Bool, into destination: UnsafeMutableRawPointer
    ) throws -> Int {
        setPosition(index: index, isFinal: isFinal)
        let box = try AES.GCM.seal(plaintext, using: key, nonce: nonce(index), authenticating: associated)
        var written = 0
        for part in [box.ciphertext, box.tag] {
            part.withUnsafeBytes { bytes in
                guard let source = bytes.baseAddress else { return }
                (destination + written).copyMemory(from: source, byteCount: bytes.count)
                written += bytes.count
            }
        }
        return written
    }

    /// The plaintext of segment `index`, given its ciphertext followed by its tag.
    /// - Throws: `StoreError.corruptData` when the segment fails authentication.
    mutating func open(_ sealed: UnsafeRawBufferPointer, index: UInt64, of count: UInt64) throws -> Data {
        setPosition(index: index, isFinal: index == count - 1)
        let split = sealed.count - SealedObjectFormat.tagSize
        do {
            let box = try AES.GCM.SealedBox(
                nonce: nonce(index), ciphertext: UnsafeRawBufferPointer(rebasing: sealed[..<split]),
                tag: UnsafeRawBufferPointer(rebasing: sealed[split...]))
            return try AES.GCM.open(box, using: key, authenticating: associated)
        } catch {
            throw StoreError.corruptData(
                what: "sealed object \(objectKey)",
                detail: "segment \(index + 1) of \(count) fails authentication (damaged, cut short, reordered "
                    + "or stored under another key)")
        }
    }

    private mutating func setPosition(index: UInt64, isFinal: Bool) {
        let at = header.count
        for byte in 0..<8 { associated[at + byte] = UInt8(truncatingIfNeeded: index >> (56 - 8 * UInt64(byte))) }
        associated[at + 8] = isFinal ? 1 : 0
    }

    private mutating func nonce(_ index: UInt64) -> AES.GCM.Nonce {
        for byte in 0..<8 { nonceBytes[4 + byte] = UInt8(truncatingIfNeeded: index >> (56 - 8 * UInt64(byte))) }
        return try! AES.GCM.Nonce(data: nonceBytes)
    }

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<T.bitWidth / 8).map { UInt8(truncatingIfNeeded: value >> (T.bitWidth - 8 - 8 * $0)) }
    }
}

/// An in-memory object, for opening sealed bytes held in memory.
final class DataObjectReader: ObjectReader {
    private let data: Data
    var size: Int64 { Int64(data.count) }

    init(data: Data) { self.data = data }

    func read(offset: Int64, length: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        guard offset >= 0, offset + Int64(length) <= size else {
            throw StoreError.corruptData(
                what: "object", detail: "ends at \(size), expected \(length) bytes at \(offset)")
        }
        let start = data.startIndex + Int(offset)
        _ = data.copyBytes(to: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<length]), from: start..<start + length)
    }
}
