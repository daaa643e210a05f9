import Crypto
import Dispatch
import Foundation
import Synchronization

/// Checks chunk records in their packs: the pack is there and as large as recorded, each record lies
/// inside it, its header names the chunk the catalog expects, and (with `readData`) its bytes hash to
/// the chunk's digest. Packs are checked in parallel, each by one worker.
struct PackChecker: Sendable {
    let objects: any ObjectStore
    let readData: Bool

    /// Damage found in one pack, with the chunks it takes away.
    struct Fault: Sendable {
        var kind: VerificationReport.Problem.Kind
        var subject: String
        var detail: String
        var pack: String?
        var chunks: [CatalogInspection.Chunk]
        var contents: [String]
    }

    struct Result: Sendable {
        var faults: [Fault] = []
        var packsOpened = 0
        var bytesRead: Int64 = 0
        /// Size on disk of each pack opened.
        var diskSizes: [String: Int64] = [:]
    }

    /// - Throws: the object store's error when the store itself fails (`ObjectStoreFailure.isOutage`):
    ///   what could not be read then says nothing about the packs.
    func check(chunks: [CatalogInspection.Chunk], packs: [CatalogInspection.Pack]) throws -> Result {
        let byPack = Dictionary(grouping: chunks, by: \.location.packKey)
        let recorded = Dictionary(packs.map { ($0.key, $0.size) }, uniquingKeysWith: { first, _ in first })
        let keys = Array(Set(byPack.keys).union(recorded.keys)).sorted()
        let result = Mutex(Result())
        let outage = Mutex<(any Error)?>(nil)
        let next = Atomic<Int>(0)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, keys.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let codec = ZstdCodec()
            var buffer: [UInt8] = []
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < keys.count, outage.withLock({ $0 == nil }) else { break }
                let key = keys[index]
                let partial: Result
                do {
                    partial = try checkPack(
                        key, recordedSize: recorded[key],
                        chunks: (byPack[key] ?? []).sorted { $0.location.offset < $1.location.offset },
                        codec: codec, buffer: &buffer)
                } catch {
                    outage.withLock { if $0 == nil { $0 = error } }
                    break
                }
                result.withLock { total in
                    total.faults += partial.faults
                    total.packsOpened += partial.packsOpened
                    total.bytesRead += partial.bytesRead
                    total.diskSizes.merge(partial.diskSizes) { first, _ in first }
                }
            }
        }
        if let error = outage.withLock({ $0 }) { throw error }
        return result.withLock { $0 }
    }

    /// Checks one pack; throws only an outage of the object store.
    private func checkPack(
        _ key: String, recordedSize: Int64?, chunks: [CatalogInspection.Chunk], codec: ZstdCodec, buffer: inout [UInt8]
    ) throws -> Result {
        var result = Result()
        func fault(_ kind: VerificationReport.Problem.Kind, _ subject: String, _ detail: String,
                   _ lost: [CatalogInspection.Chunk]) {
            result.faults.append(Fault(
                kind: kind, subject: subject, detail: detail, pack: key, chunks: lost,
                contents: Array(Set(lost.flatMap(\.contents)))))
        }
        let reader: any ObjectReader
        do {
            reader = try objects.reader(key: key)
        } catch let error as ObjectStoreFailure where error.isOutage {
            throw error
        } catch {
            let reason = (error as? StoreError).map { "\($0)" } ?? "\(error)"
            fault(.packMissing, "pack \(key)", "cannot be opened (\(reason)); \(chunks.count) chunks lost", chunks)
            return result
        }
        result.packsOpened = 1
        result.diskSizes[key] = reader.size
        let beyond = chunks.filter { $0.location.offset + $0.location.storedLength > reader.size }
        if let recordedSize, recordedSize != reader.size {
            fault(.packSize, "pack \(key)",
                  "is \(reader.size) bytes, the catalog recorded \(recordedSize); \(beyond.count) chunks lie past its end",
                  beyond)
        } else if !beyond.isEmpty {
            fault(.packSize, "pack \(key)", "is \(reader.size) bytes; \(beyond.count) chunks lie past its end", beyond)
        }
        for chunk in chunks where chunk.location.offset + chunk.location.storedLength <= reader.size {
            let subject = "chunk \(chunk.digest.prefix(12)) in \(key)"
            do {
                let bytes = try checkRecord(chunk, reader: reader, codec: codec, buffer: &buffer)
                result.bytesRead += Int64(bytes)
            } catch let problem as RecordProblem {
                fault(problem.kind, subject, problem.detail, [chunk])
            } catch let error as ObjectStoreFailure where error.isOutage {
                throw error
            } catch {
                let reason = (error as? StoreError).map { "\($0)" } ?? "\(error)"
                fault(.chunkData, subject, "cannot be read: \(reason)", [chunk])
            }
        }
        return result
    }

    private struct RecordProblem: Error {
        var kind: VerificationReport.Problem.Kind
        var detail: String
    }

    /// Reads one record (its header only unless `readData`) and returns the bytes read.
    private func checkRecord(
        _ chunk: CatalogInspection.Chunk, reader: any ObjectReader, codec: ZstdCodec, buffer: inout [UInt8]
    ) throws -> Int {
        let location = chunk.location
        let stored = Int(location.storedLength)
        guard location.offset >= 0, stored >= PackRecordHeader.size else {
            throw RecordProblem(kind: .chunkHeader, detail: "the catalog records an impossible place for it")
        }
        let length = readData ? stored : PackRecordHeader.size
        if buffer.count < length { buffer = [UInt8](repeating: 0, count: length) }
        try buffer.withUnsafeMutableBytes { try reader.read(offset: location.offset, length: length, into: $0) }
        try buffer.withUnsafeBytes { raw in
            let record = UnsafeRawBufferPointer(rebasing: raw[0..<length])
            let header: PackRecordHeader
            do {
                header = try PackRecordHeader(decoding: record)
            } catch let error as StoreError {
                throw RecordProblem(kind: .chunkHeader, detail: "\(error)")
            }
            let expected = Hex.decode(chunk.digest)
            if header.digest != expected {
                throw RecordProblem(kind: .chunkHeader, detail: "its record header names another chunk")
            }
            if header.rawLength != location.rawLength || header.payloadLength != stored - PackRecordHeader.size
                || header.compression != location.compression
            {
                throw RecordProblem(kind: .chunkHeader, detail: "its record header does not match the catalog's lengths")
            }
            guard readData else { return }
            let payload = UnsafeRawBufferPointer(rebasing: record[PackRecordHeader.size...])
            let digest: [UInt8]
            switch header.compression {
            case .none:
                digest = Array(SHA256.hash(data: payload))
            case .zstd:
                do {
                    digest = try codec.withDecompressed(payload, rawLength: header.rawLength) {
                        Array(SHA256.hash(data: $0))
                    }
                } catch let error as StoreError {
                    throw RecordProblem(kind: .chunkData, detail: "\(error)")
                }
            }
            if digest != expected {
                throw RecordProblem(kind: .chunkData, detail: "its bytes do not match its SHA-256")
            }
        }
        return length
    }
}
