import CZstd
import Foundation

/// Compresses and decompresses chunks with zstd, reusing its contexts and output buffers between calls.
///
/// Not thread-safe: give each thread or task its own codec. Contexts keep their work memory, which is what
/// makes reuse faster than zstd's one-shot functions for many small inputs; reusing the output buffers
/// keeps a multi-megabyte allocation per chunk out of the heap.
public final class ZstdCodec {
    /// Compression must save at least 1/32 (about 3%) of the input, or the chunk is stored raw.
    public static let minimumSavingsDivisor = 32
    /// Inputs at least this long are compressed only when a sample of them compresses.
    public static let sampledLength = 64 << 10
    /// The level `put` compresses at.
    public static let defaultLevel: Int32 = 3
    /// Inputs at least this long are compressed at the default level with matches of 6 bytes or more
    /// instead of 5. On the benchmark's text chunks (1 MiB) that took 15% less CPU for 0.8% smaller
    /// frames, and 4% smaller on numeric CSV; on 8 KiB inputs it made frames 3% larger, so small files
    /// (many of which are one chunk) keep zstd's own parameters.
    public static let longMatchLength = 256 << 10
    private static let longMinimumMatch: Int32 = 6

    private let compressionContext: OpaquePointer
    private let decompressionContext: OpaquePointer
    private var output = ScratchBuffer()
    private var sample = ScratchBuffer()

    /// Creates a codec with fresh zstd contexts.
    public init() {
        guard let compression = ZSTD_createCCtx(), let decompression = ZSTD_createDCtx() else {
            fatalError("zstd could not allocate its contexts")
        }
        compressionContext = compression
        decompressionContext = decompression
    }

    deinit {
        ZSTD_freeCCtx(compressionContext)
        ZSTD_freeDCtx(decompressionContext)
    }

    /// Compresses `raw` into one zstd frame and hands it to `body`, or hands nil when that would not
    /// save at least ~3% (then the caller stores the bytes raw). The frame is valid only during the call.
    ///
    /// An input of ``sampledLength`` or more is first judged by four 4 KiB samples spread over it,
    /// compressed at the fastest level: random data (media, compressed archives, most checkpoints)
    /// then costs a sample instead of a full compression.
    /// - Parameter level: zstd level, 1 (fastest) to 19; 3 by default.
    public func withCompressed<T>(
        _ raw: UnsafeRawBufferPointer, level: Int32 = defaultLevel, _ body: (UnsafeRawBufferPointer?) throws -> T
    ) rethrows -> T {
        guard raw.count < Self.sampledLength || samplesCompress(raw) else { return try body(nil) }
        guard let frame = compress(raw, level: level, into: &output) else { return try body(nil) }
        return try body(frame)
    }

    /// ``withCompressed(_:level:_:)`` into a new array.
    public func compress(_ raw: UnsafeRawBufferPointer, level: Int32 = defaultLevel) -> [UInt8]? {
        withCompressed(raw, level: level) { $0.map(Array.init) }
    }

    /// Decompresses a payload made by ``compress(_:level:)`` that must expand to exactly `rawLength` bytes,
    /// and hands the bytes to `body`; they are valid only during the call.
    /// - Throws: `StoreError.corruptData` when zstd rejects the payload or it has another length.
    public func withDecompressed<T>(
        _ payload: UnsafeRawBufferPointer, rawLength: Int, _ body: (UnsafeRawBufferPointer) throws -> T
    ) throws -> T {
        let destination = output.reserve(rawLength)
        try decompress(payload, into: UnsafeMutableRawBufferPointer(start: destination, count: rawLength))
        return try body(UnsafeRawBufferPointer(start: destination, count: rawLength))
    }

    /// Decompresses a payload made by ``compress(_:level:)`` into `destination`, which it must fill
    /// exactly: for a caller that keeps the bytes in memory of its own, without a copy from the codec's.
    /// - Throws: `StoreError.corruptData` when zstd rejects the payload or it has another length.
    public func decompress(_ payload: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) throws {
        let written = ZSTD_decompressDCtx(
            decompressionContext, destination.baseAddress, destination.count, payload.baseAddress, payload.count)
        if ZSTD_isError(written) != 0 {
            throw StoreError.corruptData(
                what: "compressed chunk", detail: "zstd: " + String(cString: ZSTD_getErrorName(written)))
        }
        guard written == destination.count else {
            throw StoreError.corruptData(
                what: "compressed chunk", detail: "decompressed to \(written) bytes, expected \(destination.count)")
        }
    }

    /// ``withDecompressed(_:rawLength:_:)`` into a new array.
    public func decompress(_ payload: UnsafeRawBufferPointer, rawLength: Int) throws -> [UInt8] {
        try withDecompressed(payload, rawLength: rawLength) { Array($0) }
    }

    /// Compresses into `buffer`; nil when zstd fails or the frame would not save enough.
    private func compress(_ raw: UnsafeRawBufferPointer, level: Int32, into buffer: inout ScratchBuffer)
        -> UnsafeRawBufferPointer?
    {
        guard let source = raw.baseAddress, raw.count > 0 else { return nil }
        // A destination smaller than the bound makes zstd fail with "destination too small" as soon as the
        // output would not save enough, so incompressible input costs no extra copy.
        let limit = raw.count - raw.count / Self.minimumSavingsDivisor - 1
        guard limit > 0 else { return nil }
        let destination = buffer.reserve(limit)
        let written: Int
        if level == Self.defaultLevel && raw.count >= Self.longMatchLength {
            // ZSTD_compressCCtx (the samples use it) resets advanced parameters, so they are set each time.
            ZSTD_CCtx_reset(compressionContext, ZSTD_reset_session_and_parameters)
            ZSTD_CCtx_setParameter(compressionContext, ZSTD_c_compressionLevel, level)
            ZSTD_CCtx_setParameter(compressionContext, ZSTD_c_minMatch, Self.longMinimumMatch)
            written = ZSTD_compress2(compressionContext, destination, limit, source, raw.count)
        } else {
            written = ZSTD_compressCCtx(compressionContext, destination, limit, source, raw.count, level)
        }
        guard ZSTD_isError(written) == 0 else { return nil }
        return UnsafeRawBufferPointer(start: destination, count: written)
    }

    /// Whether four 4 KiB samples from across `raw`, compressed together at level 1, save ~3%.
    private func samplesCompress(_ raw: UnsafeRawBufferPointer) -> Bool {
        let piece = 4 << 10
        // The samples, then room for their frame, which is never longer than they are.
        let gathered = sample.reserve(8 * piece)
        for index in 0..<4 {
            let offset = (raw.count - piece) * index / 3
            (gathered + index * piece).copyMemory(from: raw.baseAddress! + offset, byteCount: piece)
        }
        // The frame goes to the sample buffer's tail, past the samples.
        let samples = UnsafeRawBufferPointer(start: gathered, count: 4 * piece)
        let limit = samples.count - samples.count / Self.minimumSavingsDivisor - 1
        let written = ZSTD_compressCCtx(
            compressionContext, gathered + 4 * piece, limit, samples.baseAddress, samples.count, 1)
        return ZSTD_isError(written) == 0
    }
}

/// A byte buffer that grows to the largest size asked of it and is reused after that.
private struct ScratchBuffer: ~Copyable {
    private var pointer: UnsafeMutableRawPointer?
    private var capacity = 0

    /// At least `count` bytes (their content undefined), valid until the next call.
    mutating func reserve(_ count: Int) -> UnsafeMutableRawPointer {
        if let pointer, capacity >= count { return pointer }
        pointer?.deallocate()
        capacity = Swift.max(count, 1)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
        return pointer!
    }

    deinit { pointer?.deallocate() }
}
