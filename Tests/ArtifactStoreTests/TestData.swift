import Testing
@testable import ArtifactStore

/// Deterministic pseudo-random bytes for chunking and compression tests.
func pseudoRandomBytes(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { buffer in
        let words = count / 8
        let wordPointer = buffer.baseAddress!.bindMemory(to: UInt64.self, capacity: words)
        for index in 0..<words { wordPointer[index] = SplitMix64.next(&state) }
        for index in (words * 8)..<count { buffer[index] = UInt8(truncatingIfNeeded: SplitMix64.next(&state)) }
    }
    return bytes
}

/// Text-like bytes: a few hundred words repeated in a pseudo-random order, like logs or CSV.
func textLikeBytes(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    let words = (0..<400).map { index in "w\(index)x\(SplitMix64.next(&state) % 1000)" }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 16)
    while bytes.count < count {
        let next = SplitMix64.next(&state)
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
