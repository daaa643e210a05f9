import ArtifactWire
import Foundation

/// Why the server refuses a token, as the 401's one-line detail says it.
public enum TokenRefusal: Sendable, Equatable, CustomStringConvertible {
    /// No token has this value.
    case unknown
    /// `arttui-server admin token revoke` (or the API) revoked it.
    case revoked
    /// Its expiry has passed.
    case expired(at: Date)

    public var description: String {
        switch self {
        case .unknown: "the token is not known to this server"
        case .revoked: "the token was revoked"
        case .expired(let date): "the token expired at \(WireTimestamp.string(date))"
        }
    }
}
