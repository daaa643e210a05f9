import ArtifactStore
import ArtifactWire
import Crypto
import Foundation

/// API tokens: 256 random bits shown once as text, stored only as their SHA-256.
public enum APIToken {
    /// A new token: the prefix and 32 random bytes in lowercase hex (`TokenShape`).
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<TokenShape.hexDigits / 2).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return TokenShape.prefix + Hex.encode(bytes)
    }

    /// What the account store keeps of a token.
    public static func hash(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(token.utf8)))
    }
}
