import ArtifactStore

/// The numbers each kind of numeric option accepts; every numeric option reads its value with one of these
/// (`@Option(parsing: .unconditional, transform: OptionNumbers.count.read)`).
///
/// `.unconditional` hands a value such as `-1` to the rule instead of reading it as a flag, so the user
/// hears what is wrong with the number rather than that the value is missing.
enum OptionNumbers {
    /// How many of something to keep or wait (`--keep-last`, `--orphan-grace`): 0 or more.
    static let count = NumberRule<Int>.count
    /// How many to list or print (`--limit`): 1 or more.
    static let limit = NumberRule<Int>.wholeNumber(from: 1)
    /// Seconds a connection or a stall may last (`--timeout`, `$ARTTUI_TIMEOUT`).
    static let timeout = NumberRule<Double>.timeout
}
