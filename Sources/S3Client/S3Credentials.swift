/// An access key pair (and optional session token) for signing S3 requests.
///
/// Printing, dumping or interpolating it never shows the secret or the token.
public struct S3Credentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The public half, such as `AKIAIOSFODNN7EXAMPLE`.
    public let accessKeyID: String
    /// The secret half; never logged.
    public let secretAccessKey: String
    /// A temporary session token (`AWS_SESSION_TOKEN`), sent as `x-amz-security-token`.
    public let sessionToken: String?

    /// Creates credentials.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    public var description: String {
        "access key \(accessKeyID) (secret hidden\(sessionToken == nil ? "" : ", session token hidden"))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": accessKeyID], displayStyle: .struct)
    }
}
