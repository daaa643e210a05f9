import ArtifactStore

/// The HTTP status the team server answers a store error of each kind with, and the kind a client reads
/// back from a status: one table for both directions, so the server's answers and the command line's
/// `ARTTUI_ERROR_FORMAT=json` kinds cannot drift apart.
extension StoreError.Kind {
    /// The status the server answers with.
    public var httpStatus: Int {
        switch self {
        case .notFound: 404
        case .conflict: 409
        case .invalid: 400
        case .unavailable: 503
        case .damaged, .io: 500
        }
    }

    /// The kind of a refusal the server answered with `status`; nil for a success or a status no kind has.
    /// A 500 reads as `damaged` (the server does not say which of its failures it was), a 4xx other than
    /// 404 and 409 as `invalid`.
    public init?(httpStatus status: Int) {
        switch status {
        case 404: self = .notFound
        case 409: self = .conflict
        case 503: self = .unavailable
        case 400..<500: self = .invalid
        case 500..<600: self = .damaged
        default: return nil
        }
    }
}
