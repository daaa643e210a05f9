import Foundation

/// Copies chunks' records out of their packs as they are stored (header and payload, still
/// compressed), for sending to another store; the receiver checks them with `PackRecords`.
///
/// Not thread-safe: each worker has its own, with its own open packs.
public final class StoredRecordReader {
    private let objects: any ObjectStore
    private var readers: [String: any ObjectReader] = [:]

    /// A reader of `objects`' packs.
    public init(objects: any ObjectStore) { self.objects = objects }

    /// Appends `chunk`'s record to `records`.
    /// - Throws: `StoreError.io` when the pack cannot be read, `.corruptData` when it is too short.
    public func append(_ chunk: StoredChunk, to records: inout [UInt8]) throws {
        let location = chunk.location
        let reader = try packReader(location.packKey)
        guard location.offset >= 0, location.offset + location.storedLength <= reader.size else {
            throw StoreError.corruptData(
                what: "chunk \(chunk.digest.prefix(12))", detail: "pack \(location.packKey) is too short")
        }
        let length = Int(location.storedLength)
        let record = try [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
            try reader.read(offset: location.offset, length: length, into: UnsafeMutableRawBufferPointer(buffer))
            count = length
        }
        records.append(contentsOf: record)
    }

    /// The bytes of `chunks`' records, one after another: what the windows of `windows(of:windowBytes:alignment:)` hold together.
    public static func recordBytes(of chunks: [StoredChunk]) -> Int {
        chunks.reduce(0) { $0 + Int($1.location.storedLength) }
    }

    /// The records of `chunks`, in the order given, as windows of at most `windowBytes` each, for an
    /// answer sent while it is read: each window is read (`read(_:into:)`) and sent while the next one
    /// is read. A window ends before a record that would not fit; a record longer than a window is cut
    /// across windows of its own, at offsets in the pack that are multiples of `alignment` where it can
    /// (a store that reads in blocks, as sealed objects' segments, then reads no block twice).
    public static func windows(of chunks: [StoredChunk], windowBytes: Int, alignment: Int64 = 1) -> [[RecordSpan]] {
        precondition(windowBytes > 0 && alignment > 0, "a window holds bytes")
        var windows: [[RecordSpan]] = []
        var window: [RecordSpan] = []
        var filled = 0
        func close() {
            guard !window.isEmpty else { return }
            windows.append(window)
            window = []
            filled = 0
        }
        func add(_ packKey: String, _ range: Range<Int64>) {
            if let last = window.last, last.packKey == packKey, last.range.upperBound == range.lowerBound {
                // The record right after the last one in the same pack: one span, one read.
                window[window.count - 1].range = last.range.lowerBound..<range.upperBound
            } else {
                window.append(RecordSpan(packKey: packKey, range: range))
            }
            filled += range.count
        }
        for chunk in chunks {
            let location = chunk.location
            let end = location.offset + location.storedLength
            if filled + Int(location.storedLength) > windowBytes { close() }
            guard location.storedLength > windowBytes else {
                add(location.packKey, location.offset..<end)
                continue
            }
            var start = location.offset
            while start < end {
                var cut = min(end, start + Int64(windowBytes))
                if cut < end, cut / alignment * alignment > start { cut = cut / alignment * alignment }
                add(location.packKey, start..<cut)
                // The record's last piece may share its window with the records after it.
                if cut < end { close() }
                start = cut
            }
        }
        close()
        return windows
    }

    /// The bytes `read(_:into:)` writes for `spans`.
    public static func byteCount(of spans: [RecordSpan]) -> Int {
        spans.reduce(0) { $0 + $1.range.count }
    }

    /// Writes the bytes of `spans` one after another into `output` (exactly `byteCount(of: spans)`
    /// bytes), in the order given; a span named twice comes twice. Each pack is read once for all of
    /// its spans (`read(key:ranges:forEachPiece:)`: on S3 one ranged GET per run of nearby records, no
    /// reader opened), and the bytes go straight to their places.
    /// - Throws: `StoreError.io` when a pack cannot be read, `.corruptData` when one is too short.
    public func read(_ spans: [RecordSpan], into output: UnsafeMutableRawBufferPointer) throws {
        precondition(output.count == Self.byteCount(of: spans), "the output holds exactly the spans")
        var places: [RecordSpan: [Int]] = [:]
        var next = 0
        for span in spans {
            places[span, default: []].append(next)
            next += span.range.count
        }
        let byPack = Dictionary(grouping: places.keys, by: \.packKey)
        for (packKey, packSpans) in byPack.sorted(by: { $0.key < $1.key }) {
            let ordered = packSpans.sorted { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
            var delivered = [Int](repeating: 0, count: ordered.count)
            let size = try objects.read(key: packKey, ranges: ordered.map(\.range)) { index, at, bytes in
                for place in places[ordered[index]]! {
                    (output.baseAddress! + place + at).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
                }
                delivered[index] += bytes.count
            }
            for (span, count) in zip(ordered, delivered) where count != span.range.count {
                throw StoreError.corruptData(
                    what: "chunk record at \(span.range.lowerBound) in \(packKey)", detail: "the pack ends at \(size)")
            }
        }
    }

    private func packReader(_ key: String) throws -> any ObjectReader {
        if let reader = readers[key] { return reader }
        let reader = try objects.reader(key: key)
        readers[key] = reader
        return reader
    }
}

/// Bytes `range` of the pack `packKey`: a chunk's record, or part of one.
public struct RecordSpan: Hashable, Sendable {
    /// The pack's object key.
    public var packKey: String
    /// The bytes, by offset in the pack.
    public var range: Range<Int64>

    /// A span of `packKey`.
    public init(packKey: String, range: Range<Int64>) {
        self.packKey = packKey
        self.range = range
    }

    /// A chunk's whole record.
    public init(_ location: ChunkLocation) {
        self.init(packKey: location.packKey, range: location.offset..<location.offset + location.storedLength)
    }
}
