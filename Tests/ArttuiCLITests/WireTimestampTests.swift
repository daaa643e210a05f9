import ArtifactWire
import Foundation
import Testing

/// `--json` timestamps are written by hand (no ICU at start-up); they must read exactly as the
/// ISO 8601 formatter wrote them before, and read back to the same millisecond.
@Suite struct WireTimestampTests {
    /// The formatter the timestamps were written with before.
    private let reference: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    @Test(arguments: [
        0, 1, -1, 0.0005, 0.9999, 59.999, -0.001, -0.0005, -86_400.5, 951_782_400.123, 1_796_015_042.123_9,
        1_796_015_042.999_999, 4_102_444_799.999, -2_208_988_800.25, 253_402_300_799.5,
    ])
    func writesWhatTheFormatterWrote(secondsSince1970: Double) {
        let date = Date(timeIntervalSince1970: secondsSince1970)
        #expect(WireTimestamp.string(date) == reference.string(from: date))
    }

    @Test func pseudoRandomDatesOverThreeCenturiesMatchAndReadBack() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let seconds = Double(Int64(bitPattern: state >> 1) % 9_000_000_000_000) / 1000 - 2_000_000_000
            let date = Date(timeIntervalSince1970: seconds)
            let text = WireTimestamp.string(date)
            #expect(text == reference.string(from: date))
            let back = WireTimestamp.date(text)
            #expect(back.map { abs($0.timeIntervalSince1970 - seconds) < 0.001 } == true, "\(text)")
        }
    }
}
