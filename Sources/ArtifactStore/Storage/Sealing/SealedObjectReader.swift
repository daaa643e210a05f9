import Foundation

/// Random reads of a sealed object's plaintext: each read opens only the segments it touches,
/// and the last segment opened is kept for the next read.
final class SealedObjectReader: ObjectReader {
    private let inner: any ObjectReader
    private var cipher: SegmentCipher
    private let segmentCount: UInt64
    private var sealed: [UInt8]
    private var cachedIndex: UInt64?
    private var plain = Data()
    /// The plaintext size.
    let size: Int64

    /// Opens a sealed object and authenticates its header and its last segment, so a cut or
    /// re-keyed object fails here rather than at its end.
    /// - Throws: `StoreError.corruptData`, or `MasterKeyError.unknownKey`.
    init(wrapping inner: any ObjectReader, objectKey: String, keyring: MasterKeyring) throws {
        self.inner = inner
        guard let plaintextSize = SealedObjectFormat.plaintextSize(ofSealedSize: inner.size) else {
            throw StoreError.corruptData(
                what: "sealed object \(objectKey)",
                detail: "its size, \(inner.size) bytes, is not that of whole sealed segments (cut short?)")
        }
        var header = [UInt8](repeating: 0, count: SealedObjectFormat.headerSize)
        try header.withUnsafeMutableBytes { try inner.read(offset: 0, length: SealedObjectFormat.headerSize, into: $0) }
        cipher = try SegmentCipher(openingHeader: header, objectKey: objectKey, keyring: keyring)
        size = plaintextSize
        let segment = Int64(SealedObjectFormat.segmentSize)
        segmentCount = UInt64(max(1, (plaintextSize + segment - 1) / segment))
        sealed = [UInt8](repeating: 0, count: SealedObjectFormat.segmentSize + SealedObjectFormat.tagSize)
        try load(segmentCount - 1)
    }

    func read(offset: Int64, length: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        precondition(buffer.count >= length)
        guard offset >= 0, offset + Int64(length) <= size else {
            throw StoreError.corruptData(
                what: "sealed object \(cipher.objectKey)",
                detail: "ends at \(size), expected \(length) bytes at \(offset)")
        }
        let segment = Int64(SealedObjectFormat.segmentSize)
        var done = 0
        while done < length {
            let position = offset + Int64(done)
            let index = UInt64(position / segment)
            try load(index)
            let within = Int(position - Int64(index) * segment)
            let count = min(length - done, plain.count - within)
            plain.withUnsafeBytes { source in
                (buffer.baseAddress! + done).copyMemory(from: source.baseAddress! + within, byteCount: count)
            }
            done += count
        }
    }

    private func load(_ index: UInt64) throws {
        if cachedIndex == index { return }
        let segment = Int64(SealedObjectFormat.segmentSize)
        let plainLength = index == segmentCount - 1 ? Int(size - Int64(index) * segment) : Int(segment)
        let sealedLength = plainLength + SealedObjectFormat.tagSize
        let offset = Int64(SealedObjectFormat.headerSize) + Int64(index) * (segment + Int64(SealedObjectFormat.tagSize))
        try sealed.withUnsafeMutableBytes { try inner.read(offset: offset, length: sealedLength, into: $0) }
        cachedIndex = nil
        plain = try sealed.withUnsafeBytes { raw in
            try cipher.open(UnsafeRawBufferPointer(rebasing: raw[0..<sealedLength]), index: index, of: segmentCount)
        }
        cachedIndex = index
    }
}
