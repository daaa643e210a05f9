import Foundation

/// Watches one transfer for a stall, from libcurl's progress callback. Any byte sent or received
/// (answer headers included) restarts the clock; the transfer is stopped once nothing has moved for
/// the idle limit, except between the request's last byte and the answer's first, where the answer
/// limit applies instead (a server that works before it answers, as a verify does).
final class StallWatch {
    /// Why the watch stopped the transfer, for the error; nil while it has not.
    private(set) var stall: String?
    private let idleLimit: UInt64
    private let answerLimit: UInt64
    private let idleSeconds: TimeInterval?
    private let answerSeconds: TimeInterval?
    private unowned let collector: ResponseCollector
    private var lastMoved: UInt64
    private var moved: (downloaded: Int64, uploaded: Int64, headers: Int) = (0, 0, 0)
    /// Whether the request has gone out whole.
    private var sent = false

    /// A watch on the transfer `collector` gathers; nil limits are no limit.
    init(idle: TimeInterval?, answer: TimeInterval?, collector: ResponseCollector) {
        idleSeconds = idle
        answerSeconds = answer
        idleLimit = Self.nanoseconds(idle)
        answerLimit = Self.nanoseconds(answer)
        self.collector = collector
        lastMoved = Self.now()
    }

    /// How often the callback must run for a stall to be found within a tenth of its limit (at least
    /// every 100 ms, at most every 10 ms).
    var wakeMilliseconds: Int {
        let shortest = min(idleLimit, answerLimit)
        guard shortest != .max else { return 1000 }
        return Int(min(100, max(10, shortest / 10_000_000)))
    }

    /// Called with libcurl's counters; true stops the transfer (CURLE_ABORTED_BY_CALLBACK).
    func isStalled(downloaded: Int64, uploadTotal: Int64, uploaded: Int64) -> Bool {
        let now = Self.now()
        let headers = collector.headerBytes
        if downloaded != moved.downloaded || uploaded != moved.uploaded || headers != moved.headers {
            moved = (downloaded, uploaded, headers)
            lastMoved = now
        }
        if uploaded >= uploadTotal { sent = true }
        // An interim `100 Continue` is not the answer: a server that reads the body before it says so
        // (libcurl sends the body after a second of waiting for it) may still work long before answering.
        let awaitingAnswer = sent && !collector.answerStarted && downloaded == 0
        let limit = awaitingAnswer ? answerLimit : idleLimit
        guard limit != .max, now - lastMoved >= limit else { return false }
        stall = awaitingAnswer
            ? "no answer came within \(Self.text(answerSeconds)) of the request"
            : "nothing was sent or received for \(Self.text(idleSeconds))"
        return true
    }

    private static func nanoseconds(_ seconds: TimeInterval?) -> UInt64 {
        guard let seconds, seconds.isFinite else { return .max }
        return UInt64(max(0, seconds) * 1_000_000_000)
    }

    /// To a tenth of a second: a limit cut to what is left of a caller's deadline is 2.9999972 s.
    private static func text(_ seconds: TimeInterval?) -> String {
        let value = ((seconds ?? 0) * 10).rounded() / 10
        return value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
