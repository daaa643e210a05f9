import ArtifactStore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A progress line on stderr (files, bytes, rate, time left) when stderr is a terminal; nothing otherwise.
final class ProgressLine: Sendable {
    private let verb: String
    private let unit: String
    private let start = Date()
    private let lastDraw = Mutex<Date>(.distantPast)

    /// Returns nil when stderr is not a terminal.
    init?(verb: String, unit: String = "files") {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        self.verb = verb
        self.unit = unit
    }

    /// Redraws at most ten times a second.
    @Sendable func update(_ progress: TransferProgress) {
        let now = Date()
        let due = lastDraw.withLock { last -> Bool in
            guard now.timeIntervalSince(last) >= 0.1 || progress.filesDone == progress.filesTotal else { return false }
            last = now
            return true
        }
        guard due else { return }
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Int64(Double(progress.bytesDone) / elapsed)
        let left = rate > 0 ? Int((Double(max(progress.bytesTotal - progress.bytesDone, 0)) / Double(rate)).rounded(.up)) : nil
        let line = "\r\u{1B}[K\(verb) \(progress.filesDone)/\(progress.filesTotal) \(unit), "
            + "\(ByteSize.format(progress.bytesDone))/\(ByteSize.format(progress.bytesTotal)), "
            + "\(ByteSize.format(rate))/s" + (left.map { ", ETA \(Self.duration($0))" } ?? "")
        FileHandle.standardError.write(Data(line.utf8))
    }

    private static func duration(_ seconds: Int) -> String {
        seconds < 60 ? "\(seconds)s" : seconds < 3600 ? "\(seconds / 60)m\(seconds % 60)s" : "\(seconds / 3600)h\(seconds % 3600 / 60)m"
    }

    /// Clears the line.
    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
