import Foundation

extension SealedObjectStore {
    /// Reads plaintext ranges of a sealed object with one call to the inner store: each range as the
    /// sealed segments that hold it (nearby ones fetched together by an S3 store), the header only
    /// when this process has not seen it. Only the segments the ranges touch are opened.
    ///
    /// Unlike `reader(key:)`, the last segment is not authenticated up front: every byte returned
    /// still comes from a segment authenticated with its index and final flag for the object's size.
    public func read(key: String, ranges: [Range<Int64>]) throws -> ObjectRanges {
        var pieces = ranges.map { range in Data(capacity: range.isEmpty ? 0 : Int(range.upperBound - range.lowerBound)) }
        let size = try read(key: key, ranges: ranges) { index, _, bytes in
            pieces[index].append(bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        }
        return ObjectRanges(size: size, pieces: pieces)
    }

    /// As `read(key:ranges:)`, handing each opened segment's part of a range to `body` in order.
    public func read(
        key: String, ranges: [Range<Int64>], forEachPiece body: (Int, Int, UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int64 {
        let segment = Int64(SealedObjectFormat.segmentSize)
        let tagSize = Int64(SealedObjectFormat.tagSize)
        let stride = segment + tagSize
        let headerSize = Int64(SealedObjectFormat.headerSize)
        var sealedRanges: [Range<Int64>] = []
        for range in ranges where !range.isEmpty {
            guard range.lowerBound >= 0 else {
                throw StoreError.corruptData(what: "sealed object \(key)", detail: "a read at \(range.lowerBound)")
            }
            // Whole segments; the last one of the object is shorter, and the inner store cuts the range there.
            let first = range.lowerBound / segment, last = (range.upperBound - 1) / segment
            sealedRanges.append(headerSize + first * stride..<headerSize + (last + 1) * stride)
        }
        let knownHeader = headers.header(for: key)
        if knownHeader == nil || sealedRanges.isEmpty { sealedRanges.append(0..<headerSize) }
        let fetched = try inner.read(key: key, ranges: sealedRanges)
        guard let size = SealedObjectFormat.plaintextSize(ofSealedSize: fetched.size) else {
            throw StoreError.corruptData(
                what: "sealed object \(key)",
                detail: "its size, \(fetched.size) bytes, is not that of whole sealed segments (cut short?)")
        }
        let header = knownHeader ?? Array(fetched.pieces[fetched.pieces.count - 1])
        var cipher = try SegmentCipher(openingHeader: header, objectKey: key, keyring: keyring)
        if knownHeader == nil { headers.insert(header, for: key) }
        let segmentCount = max(1, (size + segment - 1) / segment)

        // The segment opened last, for the next range when it starts in the same one.
        var opened: (index: Int64, plain: Data)?
        var sealedIndex = 0
        for (rangeIndex, range) in ranges.enumerated() where !range.isEmpty {
            let sealed = fetched.pieces[sealedIndex]
            sealedIndex += 1
            guard range.lowerBound < size else {
                throw StoreError.corruptData(
                    what: "sealed object \(key)", detail: "ends at \(size), expected bytes at \(range.lowerBound)")
            }
            let end = min(range.upperBound, size)
            let firstSegment = range.lowerBound / segment
            var position = range.lowerBound
            while position < end {
                let index = position / segment
                if opened?.index != index {
                    let plainLength = index == segmentCount - 1 ? size - index * segment : segment
                    let within = Int((index - firstSegment) * stride)
                    let sealedLength = Int(plainLength + tagSize)
                    guard within + sealedLength <= sealed.count else {
                        throw StoreError.corruptData(
                            what: "sealed object \(key)", detail: "segment \(index + 1) of \(segmentCount) is cut short")
                    }
                    let plain = try sealed.withUnsafeBytes { raw in
                        try cipher.open(
                            UnsafeRawBufferPointer(rebasing: raw[within..<within + sealedLength]), index: UInt64(index),
                            of: UInt64(segmentCount))
                    }
                    opened = (index, plain)
                }
                let from = Int(position - index * segment)
                let count = Int(min(end, (index + 1) * segment) - position)
                try opened!.plain.withUnsafeBytes { plain in
                    try body(rangeIndex, Int(position - range.lowerBound), UnsafeRawBufferPointer(rebasing: plain[from..<from + count]))
                }
                position += Int64(count)
            }
        }
        return size
    }
}
