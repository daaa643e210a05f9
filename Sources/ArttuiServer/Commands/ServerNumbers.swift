import ArtifactStore

/// The numbers each numeric setting of `arttui-server` accepts, on its command line and in its
/// environment: every one is read through a rule, so both refuse a value with the same words.
enum ServerNumbers {
    /// Seconds a service may take to answer (`--database-timeout`, `--s3-timeout`), as `arttui --timeout`.
    static let serviceTimeout = NumberRule<Double>.timeout
    /// Seconds a lookup is reused (`--cache-ttl`); 0 caches nothing.
    static let cacheLifetime = NumberRule<Double>.seconds(zeroAllowed: true, atMost: 60)
    /// Seconds before an unused upload expires (`--upload-expiry`), at most a year: the expiry sweep
    /// hands it to PostgreSQL's `make_interval`, which overflows above about 9.2e12 s, and uploads would
    /// then never expire, with a warning in the log every sweep.
    static let uploadExpiry = NumberRule<Int64>.wholeNumber(from: 1, to: 365 * 86400)

    /// The value of the environment variable `name` read with `rule`, or nil when it is unset or empty
    /// (as every other variable of the server's and `arttui`'s `$ARTTUI_TIMEOUT`).
    /// - Throws: `StoreError.invalidArgument`: `$NAME must be …, got TEXT`.
    static func environment<Value>(_ name: String, _ rule: NumberRule<Value>, in environment: [String: String]) throws -> Value? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        return try rule.read(text, for: "$\(name)")
    }
}
