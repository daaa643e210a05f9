import Hummingbird
import NIOCore

/// Per-request state: Hummingbird's core storage and the caller the request's token stands for.
public struct ServerRequestContext: RequestContext {
    /// Hummingbird's storage: logger (with the request id), parameters, endpoint path.
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user, or nil for a request without a token.
    public var caller: Caller?
    /// The connection the request came on, for interim responses (`100 Continue`).
    public let channel: (any Channel)?

    /// Creates an empty context for a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        caller = nil
        channel = source.channel
    }

    /// Bodies are read by the handlers themselves, each against its own limit.
    public var maxUploadSize: Int { ServerLimits.maxPackBytes }
}
