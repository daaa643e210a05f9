/// Decodes a run of pack records that arrives in pieces (a server's answer as it comes off the
/// socket), so records are decoded while the rest is on the way and the run is never held whole.
/// Whole records inside a piece are decoded where they lie; only a record cut by a piece boundary is
/// gathered, in a buffer the stream keeps for its next use (``reset()``).
public struct PackRecordStream {
    private let maxRawLength: Int
    private let codec: ZstdCodec
    /// Whether each chunk is hashed against its digest (false: the caller checks what they make up).
    public var checkingEach: Bool
    /// The start of a record cut by the end of the last piece.
    private var pending: [UInt8] = []
    /// Bytes of the run consumed so far, for the messages.
    private var consumed = 0

    /// A stream that decodes as ``PackRecords/forEachChunk(in:maxRawLength:codec:checkingEach:_:)`` does.
    public init(maxRawLength: Int, codec: ZstdCodec, checkingEach: Bool) {
        self.maxRawLength = maxRawLength
        self.codec = codec
        self.checkingEach = checkingEach
    }

    /// Decodes the records `piece` completes, in order, handing each chunk's digest (hex) and bytes to `body`.
    /// A compressed chunk is decompressed where `placing` says for its length (nil: into the stream's
    /// own buffer), so a caller keeping chunks in memory of its own does not copy them there; a raw
    /// chunk is handed where it lies.
    /// - Throws: `StoreError.corruptData` naming the record's offset in the run and what is wrong with it.
    public mutating func consume(
        _ piece: UnsafeRawBufferPointer, placing: ((Int) -> UnsafeMutableRawPointer?)? = nil,
        _ body: (String, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var rest = piece
        if !pending.isEmpty {
            let needed = try recordLength(gathering: &rest)
            guard let needed, pending.count == needed else { return }
            try pending.withUnsafeBytes { try decode($0, placing, body) }
            pending.removeAll(keepingCapacity: true)
        }
        var offset = 0
        while rest.count - offset >= PackRecordHeader.size {
            let length = try Self.length(of: UnsafeRawBufferPointer(rebasing: rest[offset...]), at: consumed)
            guard rest.count - offset >= length else { break }
            try decode(UnsafeRawBufferPointer(rebasing: rest[offset..<offset + length]), placing, body)
            offset += length
        }
        pending.append(contentsOf: rest[offset...])
    }

    /// Checks that the run ended at a record boundary.
    /// - Throws: `StoreError.corruptData` when the last record is cut short.
    public func finish() throws {
        guard pending.isEmpty else {
            throw StoreError.corruptData(what: "pack record at offset \(consumed)", detail: "is cut short")
        }
    }

    /// Ready for another run; the gathering buffer keeps its memory.
    public mutating func reset() {
        pending.removeAll(keepingCapacity: true)
        consumed = 0
    }

    /// Moves bytes from `rest` to the pending record until its header, then the whole record, is
    /// there; returns its length once known.
    private mutating func recordLength(gathering rest: inout UnsafeRawBufferPointer) throws -> Int? {
        func take(_ count: Int) {
            let taken = min(count, rest.count)
            pending.append(contentsOf: rest[rest.startIndex..<rest.startIndex + taken])
            rest = UnsafeRawBufferPointer(rebasing: rest[(rest.startIndex + taken)...])
        }
        if pending.count < PackRecordHeader.size { take(PackRecordHeader.size - pending.count) }
        guard pending.count >= PackRecordHeader.size else { return nil }
        let length = try pending.withUnsafeBytes { try Self.length(of: $0, at: consumed) }
        take(length - pending.count)
        return length
    }

    private mutating func decode(
        _ record: UnsafeRawBufferPointer, _ placing: ((Int) -> UnsafeMutableRawPointer?)?,
        _ body: (String, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try PackRecords.walk(
            record, maxRawLength: maxRawLength, codec: codec, checking: checkingEach, base: consumed, placing: placing
        ) {
            _, _, header, chunk in try body(Hex.encode(header.digest), chunk)
        }
        consumed += record.count
    }

    /// The whole length of the record whose header starts `bytes`.
    private static func length(of bytes: UnsafeRawBufferPointer, at offset: Int) throws -> Int {
        do {
            return PackRecordHeader.size + (try PackRecordHeader(decoding: bytes)).payloadLength
        } catch let StoreError.corruptData(_, detail) {
            throw StoreError.corruptData(what: "pack record at offset \(offset)", detail: detail)
        }
    }
}
