import CZstd
import Foundation

/// Compresses and decompresses chunks with zstd, reusing its contexts between calls.
///
/// Not thread-safe: give each thread or task its own codec. Contexts keep their work memory, which is what
/// makes reuse faster than zstd's one-shot functions for many small inputs.
public final class ZstdCodec {
    /// Compression must save at least 1/32 (about 3%) of the input, or the chunk is stored raw.
    public static let minimumSavingsDivisor = 32

    private let compressionContext: OpaquePointer
    private let decompressionContext: OpaquePointer

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

    /// Compresses `raw` into one zstd frame, or returns nil when that would not save at least ~3%
    /// (then the caller stores the bytes raw).
    /// - Parameter level: zstd level, 1 (fastest) to 19; 3 by default.
    public func compress(_ raw: UnsafeRawBufferPointer, level: Int32 = 3) -> [UInt8]? {
        guard let source = raw.baseAddress, raw.count > 0 else { return nil }
        // A destination smaller than the bound makes zstd fail with "destination too small" as soon as the
        // output would not save enough, so incompressible input costs no extra copy.
        let limit = raw.count - raw.count / Self.minimumSavingsDivisor - 1
        guard limit > 0 else { return nil }
        var failed = false
        let output = [UInt8](unsafeUninitializedCapacity: limit) { destination, initialized in
            let written = ZSTD_compressCCtx(
                compressionContext, destination.baseAddress, limit, source, raw.count, level)
            if ZSTD_isError(written) != 0 {
                failed = true
                initialized = 0
            } else {
                initialized = written
            }
        }
        return failed ? nil : output
    }

    /// Decompresses a payload made by ``compress(_:level:)`` that must expand to exactly `rawLength` bytes.
    /// - Throws: `StoreError.corruptData` when zstd rejects the payload or it has another length.
    public func decompress(_ payload: UnsafeRawBufferPointer, rawLength: Int) throws -> [UInt8] {
        var problem: String?
        let output = [UInt8](unsafeUninitializedCapacity: rawLength) { destination, initialized in
            initialized = 0
            let written = ZSTD_decompressDCtx(
                decompressionContext, destination.baseAddress, rawLength, payload.baseAddress, payload.count)
            if ZSTD_isError(written) != 0 {
                problem = "zstd: " + String(cString: ZSTD_getErrorName(written))
            } else if written != rawLength {
                problem = "decompressed to \(written) bytes, expected \(rawLength)"
            } else {
                initialized = written
            }
        }
        if let problem {
            throw StoreError.corruptData(what: "compressed chunk", detail: problem)
        }
        return output
    }
}
