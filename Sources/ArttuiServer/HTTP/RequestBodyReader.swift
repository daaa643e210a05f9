import Synchronization
import Foundation
import Hummingbird
import ArtifactStore
import ArtifactStorePostgres
import NIOCore
import NIOPosix

/// Reads request bodies against the server's limits, and writes JSON answers.
enum RequestBodyReader {
    /// The whole body, refused with 413 naming the limit when it is larger.
    static func bytes(_ request: Request, limit: Int, what: String) async throws -> ByteBuffer {
        let announced = request.headers[.contentLength].flatMap(Int.init)
        if let length = announced, length > limit {
            throw APIError(.contentTooLarge, "\(what) is \(length) bytes; the limit is \(limit) bytes")
        }
        // Sized once when the length is known: a pack grown by doubling is copied about twice over.
        var collected = ByteBuffer()
        collected.reserveCapacity(announced ?? 0)
        for try await part in request.body {
            guard collected.readableBytes + part.readableBytes <= limit else {
                throw APIError(.contentTooLarge, "\(what) is larger than the limit of \(limit) bytes")
            }
            var part = part
            collected.writeBuffer(&part)
        }
        return collected
    }

    /// Buffers uploaded packs are received into, kept from one request to the next (`PackBuffers`):
    /// as many as a client sends packs at once.
    static let packBuffers = PackBuffers(keeping: 4)

    /// A whole pack body, refused with 413 naming the limit when it is larger, received into memory
    /// from `packBuffers` when its length is announced (it goes back there when the returned `Data`
    /// is gone).
    static func pack(_ request: Request, limit: Int) async throws -> Data {
        guard let length = request.headers[.contentLength].flatMap(Int.init), (0...limit).contains(length) else {
            let body = try await bytes(request, limit: limit, what: "the pack")
            return Data(body.readableBytesView)
        }
        let buffer = packBuffers.take(length)
        var received = 0
        do {
            for try await part in request.body {
                guard received + part.readableBytes <= length else {
                    throw APIError(.badRequest, "the pack is longer than its Content-Length of \(length) bytes")
                }
                part.withUnsafeReadableBytes { bytes in
                    guard let source = bytes.baseAddress else { return }
                    (buffer.bytes.baseAddress! + received).copyMemory(from: source, byteCount: bytes.count)
                }
                received += part.readableBytes
            }
        } catch {
            packBuffers.give(buffer)
            throw error
        }
        let data = packBuffers.data(buffer)
        guard received == length else {
            throw APIError(.badRequest, "the pack ends after \(received) of its Content-Length of \(length) bytes")
        }
        return data
    }

    /// A JSON body decoded as `T`, after the size (`ServerLimits.maxJSONBytes` unless `limit` is given)
    /// and depth limits.
    static func json<T: Decodable>(_ type: T.Type, from request: Request, limit: Int = ServerLimits.maxJSONBytes)
        async throws -> T
    {
        let buffer = try await bytes(request, limit: limit, what: "the JSON body")
        return try decode(T.self, Data(buffer.readableBytesView))
    }

    /// A JSON body decoded as `T`, or nil when the request has none: for endpoints whose body only
    /// carries options.
    static func optionalJSON<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T? {
        let buffer = try await bytes(request, limit: ServerLimits.maxJSONBytes, what: "the JSON body")
        guard buffer.readableBytes > 0 else { return nil }
        return try decode(T.self, Data(buffer.readableBytesView))
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        let depth = nestingDepth(data)
        guard depth <= ServerLimits.maxJSONDepth else {
            throw APIError(.badRequest, "the JSON body nests \(depth) levels deep; the limit is \(ServerLimits.maxJSONDepth)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            // Foundation's decoder also says "The given data was not valid JSON", at no path, of valid
            // JSON holding a number its field cannot take (1.5 or 1e30 for a whole number).
            if case let .dataCorrupted(context) = error, context.codingPath.isEmpty,
               (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil
            {
                throw APIError(.badRequest, "the request body is not the JSON this endpoint takes: a number in it is not "
                    + "one its field takes (a whole number where one is asked for, within the field's range)")
            }
            throw APIError.from(error)
        }
    }

    /// The deepest nesting of arrays and objects, ignoring brackets inside strings.
    static func nestingDepth(_ data: Data) -> Int {
        var depth = 0, deepest = 0
        var inString = false, escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true }
                else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }
}

/// JSON answers with sorted keys.
enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Runs the core's blocking calls off Swift's cooperative threads (there are as many as cores), on
/// `BlockingCalls.threads`.
func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await BlockingCalls.threads.runIfActive(body)
}

/// Runs `body` and waits for it, from a core call running on `BlockingCalls.threads`: how a commit
/// the catalog records a batch at a time reads each part from the accounts database, which only async
/// code can reach. Never call it on Swift's cooperative threads: waiting there could hold up the very
/// task it waits for.
func awaitingOnBlockingThread<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = AwaitedOutcome<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        outcome.result.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    return try outcome.result.withLock { $0! }.get()
}

/// Where `awaitingOnBlockingThread`'s task leaves its result for the waiting thread.
private final class AwaitedOutcome<T: Sendable>: Sendable {
    let result = Mutex<Result<T, any Error>?>(nil)
}

/// The threads the core's blocking calls (catalog statements, pack checks) run on.
///
/// As many as the catalog has connections, started once: a call waiting for PostgreSQL must not keep
/// one that could run from starting. Dispatch's global queue on Linux starts about one thread per core
/// and adds more for blocked ones only after a delay, which under 16 clients showed as tail latency.
enum BlockingCalls {
    static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: PostgresCatalog.defaultMaximumConnections)
        pool.start()
        return pool
    }()
}
