import Foundation

/// Content-defined chunking with FastCDC and normalized chunking (Xia et al., USENIX ATC 2016; IEEE TPDS 2020).
///
/// A gear hash rolls over the bytes (`fp = (fp << 1) + gear[byte]`, so each bit depends on the last ≤ 64
/// bytes); a chunk ends where `fp & mask == 0`. Before the average size the mask has two more bits than
/// log2(average) (cuts are rarer), after it two fewer (cuts are likelier), which narrows the spread of chunk
/// sizes around the average. Cut points depend only on nearby content, so an insertion moves the boundaries
/// of one or two chunks and the rest deduplicate.
///
/// The gear table and the masks are part of the store format: changing either re-chunks every file.
public struct FastCDC: Sendable {
    /// The sizes this chunker cuts at.
    public let parameters: ChunkingParameters
    /// Used before the average size: `averageBits + 2` high bits.
    let maskS: UInt64
    /// Used from the average size on: `averageBits - 2` high bits.
    let maskL: UInt64

    /// Creates a chunker for the given sizes.
    public init(parameters: ChunkingParameters = .standard) {
        self.parameters = parameters
        // High bits: they depend on the most recent ~64 bytes, the widest window the gear hash has.
        maskS = ~UInt64(0) << UInt64(64 - (parameters.averageBits + 2))
        maskL = ~UInt64(0) << UInt64(64 - (parameters.averageBits - 2))
    }

    /// The length of the chunk that starts at the beginning of `buffer`.
    ///
    /// `buffer` must hold at least `maxSize` bytes unless it is the end of the input; when it holds
    /// `minSize` bytes or fewer, or no cut point is found in a short final buffer, the whole buffer is
    /// the chunk. Returns 0 only for an empty buffer.
    public func cutPoint(_ buffer: UnsafeRawBufferPointer) -> Int {
        let count = buffer.count
        if count <= parameters.minSize { return count }
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
        let end = Swift.min(count, parameters.maxSize)
        let normal = Swift.min(end, parameters.averageSize)
        let maskS = self.maskS
        let maskL = self.maskL
        return gearTable.withUnsafeBufferPointer { table -> Int in
            let gear = table.baseAddress!
            var fingerprint: UInt64 = 0
            var index = parameters.minSize
            while index < normal {
                fingerprint = (fingerprint &<< 1) &+ gear[Int(base[index])]
                if fingerprint & maskS == 0 { return index &+ 1 }
                index &+= 1
            }
            while index < end {
                fingerprint = (fingerprint &<< 1) &+ gear[Int(base[index])]
                if fingerprint & maskL == 0 { return index &+ 1 }
                index &+= 1
            }
            return end
        }
    }

    /// Calls `body` with each chunk of `buffer`, in order; for input held in memory.
    public func forEachChunk(
        of buffer: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        var offset = 0
        while offset < buffer.count {
            let rest = UnsafeRawBufferPointer(rebasing: buffer[offset...])
            let length = cutPoint(rest)
            try body(UnsafeRawBufferPointer(rebasing: rest[..<length]))
            offset += length
        }
    }
}

/// The seed of the gear table: ASCII "arttui" and format 1. Never change it.
private let gearSeed: UInt64 = 0x6172_7474_7569_0001

/// 256 pseudo-random 64-bit values, one per byte value, from splitmix64 seeded with `gearSeed`.
let gearTable: [UInt64] = {
    var state = gearSeed
    return (0..<256).map { _ in SplitMix64.next(&state) }
}()
