import StoreTestSupport
import Testing
@testable import ArtifactStore

/// Text-like bytes: a few hundred words repeated in a pseudo-random order, like logs or CSV.
func textLikeBytes(count: Int, seed: UInt64) -> [UInt8] {
    var generator = SplitMix64(seed: seed)
    let words = (0..<400).map { index in "w\(index)x\(generator.next() % 1000)" }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 16)
    while bytes.count < count {
        let next = generator.next()
        bytes.append(contentsOf: words[Int(next % 400)].utf8)
        bytes.append(next & 0xF0 == 0 ? UInt8(ascii: "\n") : UInt8(ascii: " "))
    }
    return Array(bytes.prefix(count))
}

/// The message a user would see for an error.
func message(of error: any Error) -> String {
    (error as? StoreError)?.description ?? "\(error)"
}

/// Expects `parse` to fail with `StoreError.invalidAddress` quoting `text`, its reason starting with `reason`.
func expectInvalidAddress(
    _ text: String, reasonStartingWith reason: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ parse: () throws -> Void
) {
    #expect(sourceLocation: sourceLocation) {
        try parse()
    } throws: { error in
        guard case let .invalidAddress(actualText, actual)? = error as? StoreError else { return false }
        return actualText == text && actual.hasPrefix(reason)
    }
}
