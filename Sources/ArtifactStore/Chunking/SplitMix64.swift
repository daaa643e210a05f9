import Foundation

/// splitmix64 (Steele, Lea, Flood 2014): a tiny, well-mixed generator, here for fixed tables and test data.
enum SplitMix64 {
    /// Advances `state` and returns the next value.
    static func next(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }
}
