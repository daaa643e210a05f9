import ArtifactStore

/// Deterministic pseudo-random bytes, so chunking and deduplication in tests are reproducible.
public func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var generator = SplitMix64(seed: seed)
    return generator.bytes(count: count)
}
