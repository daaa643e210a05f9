import Foundation

/// Where an S3-compatible store is and how to talk to it.
public struct S3Configuration: Sendable {
    /// The endpoint's base URL, such as `http://127.0.0.1:8333`; buckets are addressed path-style
    /// beneath it (`<endpoint>/<bucket>/<key>`).
    public var endpoint: URL
    /// The signing region.
    public var region: String
    /// The keys requests are signed with.
    public var credentials: S3Credentials
    /// How long a request may go without receiving or sending a byte before it is abandoned.
    public var requestTimeout: TimeInterval
    /// How long connecting to the endpoint may take before it counts as unreachable.
    public var connectTimeout: TimeInterval
    /// How failed requests are retried.
    public var retry: S3RetryPolicy
    /// How long one operation may wait on a silent store in all, its retries and their backoff
    /// included; nil for no bound beyond `requestTimeout` per attempt and the retry policy.
    ///
    /// Each attempt may stall only for what is left of it and no retry starts once it has passed, so a
    /// store that hangs (a stopped process, a black-holed network) fails the operation within about
    /// this long instead of attempts × `requestTimeout`; a transfer that keeps moving bytes is never cut.
    public var operationTimeout: TimeInterval?

    /// Creates a configuration.
    public init(
        endpoint: URL, region: String = "us-east-1", credentials: S3Credentials,
        requestTimeout: TimeInterval = 30, connectTimeout: TimeInterval = 5, retry: S3RetryPolicy = S3RetryPolicy(),
        operationTimeout: TimeInterval? = nil
    ) {
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.retry = retry
        self.operationTimeout = operationTimeout
    }

    /// Reads `ARTTUI_S3_ENDPOINT`, `ARTTUI_S3_REGION` (default `us-east-1`), `AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY` and, when set, `AWS_SESSION_TOKEN`.
    /// - Parameter endpointVariable: The variable naming the endpoint, for tests that use their own.
    /// - Throws: `S3ConfigurationError` naming the variable that is missing or malformed.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        endpointVariable: String = "ARTTUI_S3_ENDPOINT"
    ) throws(S3ConfigurationError) -> S3Configuration {
        func required(_ name: String) throws(S3ConfigurationError) -> String {
            guard let value = environment[name], !value.isEmpty else { throw .missing(variable: name) }
            return value
        }
        let text = try required(endpointVariable)
        guard let endpoint = URL(string: text), let scheme = endpoint.scheme, ["http", "https"].contains(scheme),
              endpoint.host != nil
        else {
            throw .malformed(variable: endpointVariable, reason: "\"\(text)\" is not an http:// or https:// URL")
        }
        let region = environment["ARTTUI_S3_REGION"].flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
        let credentials = S3Credentials(
            accessKeyID: try required("AWS_ACCESS_KEY_ID"),
            secretAccessKey: try required("AWS_SECRET_ACCESS_KEY"),
            sessionToken: environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
        return S3Configuration(endpoint: endpoint, region: region, credentials: credentials)
    }
}

/// Why the S3 configuration could not be read from the environment.
public enum S3ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// A required variable is unset or empty.
    case missing(variable: String)
    /// A variable's value cannot be used.
    case malformed(variable: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let variable): "$\(variable) is not set"
        case .malformed(let variable, let reason): "$\(variable): \(reason)"
        }
    }
}

/// Exponential backoff with full jitter: attempt `n` waits a random time in
/// `0...min(maxDelay, baseDelay * 2^(n-1))` before it starts.
public struct S3RetryPolicy: Sendable {
    /// How many times a request is sent at most, the first included.
    public var maxAttempts: Int
    /// The upper bound of the first wait.
    public var baseDelay: TimeInterval
    /// The largest wait.
    public var maxDelay: TimeInterval

    /// Creates a policy.
    public init(maxAttempts: Int = 4, baseDelay: TimeInterval = 0.1, maxDelay: TimeInterval = 2) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait before attempt `attempt` (2 for the first retry).
    func delay(beforeAttempt attempt: Int) -> TimeInterval {
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(attempt - 2)))
        return ceiling > 0 ? Double.random(in: 0...ceiling) : 0
    }
}
