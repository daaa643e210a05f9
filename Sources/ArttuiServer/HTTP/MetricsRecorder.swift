import Foundation
import Hummingbird
import Synchronization

/// Counts requests by method and status and sums their durations, for `/metrics` in Prometheus's
/// text format.
final class MetricsRecorder: RouterMiddleware, Sendable {
    typealias Context = ServerRequestContext

    static let shared = MetricsRecorder()

    private struct Key: Hashable {
        var method: String
        var status: Int
    }

    private struct Totals {
        var requests: [Key: Int] = [:]
        var seconds: [Key: Double] = [:]
        var inFlight = 0
        var uploadedPacks = 0
        var uploadedChunks = 0
        var uploadedBytes: Int64 = 0
        var sentRecordBytes: Int64 = 0
    }

    private let totals = Mutex(Totals())

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        totals.withLock { $0.inFlight += 1 }
        let started = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let key = Key(method: request.method.rawValue, status: status)
            totals.withLock {
                $0.inFlight -= 1
                $0.requests[key, default: 0] += 1
                $0.seconds[key, default: 0] += seconds
            }
        }
        let response = try await next(request, context)
        status = response.status.code
        return response
    }

    /// Counts a pack a client uploaded.
    func recordUpload(chunks: Int, bytes: Int64) {
        totals.withLock {
            $0.uploadedPacks += 1
            $0.uploadedChunks += chunks
            $0.uploadedBytes += bytes
        }
    }

    /// Counts chunk records sent to a client.
    func recordRecordsSent(bytes: Int64) {
        totals.withLock { $0.sentRecordBytes += bytes }
    }

    /// The exposition text.
    func render() -> String {
        totals.withLock { totals in
            var lines = [
                "# HELP arttui_http_requests_total HTTP requests answered, by method and status.",
                "# TYPE arttui_http_requests_total counter",
            ]
            let keys = totals.requests.keys.sorted { ($0.method, $0.status) < ($1.method, $1.status) }
            for key in keys {
                lines.append("arttui_http_requests_total{method=\"\(key.method)\",status=\"\(key.status)\"} \(totals.requests[key]!)")
            }
            lines += [
                "# HELP arttui_http_request_seconds_total Time spent answering, by method and status.",
                "# TYPE arttui_http_request_seconds_total counter",
            ]
            for key in keys {
                lines.append("arttui_http_request_seconds_total{method=\"\(key.method)\",status=\"\(key.status)\"} \(totals.seconds[key]!)")
            }
            lines += [
                "# HELP arttui_http_requests_in_flight Requests being answered now.",
                "# TYPE arttui_http_requests_in_flight gauge",
                "arttui_http_requests_in_flight \(totals.inFlight)",
                "# HELP arttui_upload_packs_total Packs clients uploaded.",
                "# TYPE arttui_upload_packs_total counter",
                "arttui_upload_packs_total \(totals.uploadedPacks)",
                "# HELP arttui_upload_chunks_total Chunk records in the packs clients uploaded.",
                "# TYPE arttui_upload_chunks_total counter",
                "arttui_upload_chunks_total \(totals.uploadedChunks)",
                "# HELP arttui_upload_bytes_total Bytes of the packs clients uploaded.",
                "# TYPE arttui_upload_bytes_total counter",
                "arttui_upload_bytes_total \(totals.uploadedBytes)",
                "# HELP arttui_chunk_records_sent_bytes_total Bytes of chunk records sent to clients.",
                "# TYPE arttui_chunk_records_sent_bytes_total counter",
                "arttui_chunk_records_sent_bytes_total \(totals.sentRecordBytes)",
            ]
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
