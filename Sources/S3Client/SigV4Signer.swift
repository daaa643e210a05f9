import Crypto
import Foundation

/// Signs S3 requests with AWS Signature Version 4 (`AWS4-HMAC-SHA256`).
///
/// The signer is pure: it takes the request's parts and a date and returns headers or a URL, so it
/// can be checked against AWS's published examples without a network.
public struct SigV4Signer: Sendable {
    /// The SHA-256 of an empty payload, as S3 expects it for bodiless requests.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The payload hash that leaves the body out of the signature: presigned URLs, and PUTs whose
    /// bodies are checked otherwise (`S3PayloadSigning.unsigned`).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// The keys requests are signed with.
    public let credentials: S3Credentials
    /// The region in the credential scope, such as `us-east-1`.
    public let region: String
    /// The service in the credential scope; `s3` for every request this package makes.
    public let service: String

    /// Creates a signer for one set of credentials and one region.
    public init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The headers to add to a request so that it is signed: `x-amz-date`, `x-amz-content-sha256`,
    /// `x-amz-security-token` when there is a session token, and `Authorization`.
    ///
    /// - Parameters:
    ///   - method: The HTTP method, upper case.
    ///   - url: The full request URL; its path and query are signed as they will be sent.
    ///   - headers: The other headers to sign (`Range`, `x-amz-*`, …); `host` is added from `url`.
    ///   - payloadHash: The lower-case hex SHA-256 of the body (`emptyPayloadHash` when there is none).
    ///   - date: The signing time; requests are valid for about 15 minutes around it.
    public func signedHeaders(
        method: String, url: URL, headers: [String: String] = [:], payloadHash: String, date: Date = Date()
    ) -> [String: String] {
        let stamp = SigningTime(date)
        var signed = [String: String]()
        for (name, value) in headers { signed[name.lowercased()] = value }
        signed["host"] = Self.hostHeader(of: url)
        signed["x-amz-date"] = stamp.dateTime
        signed["x-amz-content-sha256"] = payloadHash
        if let token = credentials.sessionToken { signed["x-amz-security-token"] = token }
        let canonical = canonicalRequest(
            method: method, url: url, query: Self.queryItems(of: url), headers: signed, payloadHash: payloadHash)
        let signature = sign(canonical.request, stamp: stamp)
        var result = signed
        result["host"] = nil
        result["authorization"] = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(stamp.scope(region, service)), "
            + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
        return result
    }

    /// A URL anyone can use for `expires` seconds to make this request without credentials.
    public func presignedURL(method: String, url: URL, expires: Int, date: Date = Date()) -> URL {
        let stamp = SigningTime(date)
        var query = Self.queryItems(of: url)
        query.append(("X-Amz-Algorithm", "AWS4-HMAC-SHA256"))
        query.append(("X-Amz-Credential", "\(credentials.accessKeyID)/\(stamp.scope(region, service))"))
        query.append(("X-Amz-Date", stamp.dateTime))
        query.append(("X-Amz-Expires", String(expires)))
        if let token = credentials.sessionToken { query.append(("X-Amz-Security-Token", token)) }
        query.append(("X-Amz-SignedHeaders", "host"))
        let canonical = canonicalRequest(
            method: method, url: url, query: query, headers: ["host": Self.hostHeader(of: url)],
            payloadHash: Self.unsignedPayload)
        let signature = sign(canonical.request, stamp: stamp)
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)!
        components.percentEncodedQuery = Self.canonicalQuery(query + [("X-Amz-Signature", signature)])
        return components.url!
    }

    // MARK: - The steps of SigV4

    private func canonicalRequest(
        method: String, url: URL, query: [(String, String)], headers: [String: String], payloadHash: String
    ) -> (request: String, signedHeaders: String) {
        let names = headers.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(Self.trimmed(headers[$0]!))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let request = [
            method, Self.canonicalPath(of: url), Self.canonicalQuery(query), canonicalHeaders, signedHeaders, payloadHash,
        ].joined(separator: "\n")
        return (request, signedHeaders)
    }

    private func sign(_ canonicalRequest: String, stamp: SigningTime) -> String {
        let scope = stamp.scope(region, service)
        let stringToSign = [
            "AWS4-HMAC-SHA256", stamp.dateTime, scope, Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [stamp.date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
    }

    // MARK: - Canonical forms

    /// The `Host` header as HTTP clients send it: the port only when it is not the scheme's default.
    static func hostHeader(of url: URL) -> String {
        let host = url.host ?? ""
        guard let port = url.port else { return host }
        let isDefault = (url.scheme == "http" && port == 80) || (url.scheme == "https" && port == 443)
        return isDefault ? host : "\(host):\(port)"
    }

    /// The path with every byte but unreserved ones and `/` percent-encoded once: S3 neither
    /// normalises `.`/`..` nor encodes twice.
    private static func canonicalPath(of url: URL) -> String {
        let raw = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
        let path = uriEncode(raw.removingPercentEncoding ?? raw, keepSlash: true)
        return path.isEmpty ? "/" : path
    }

    /// The query's name/value pairs, decoded; `?lifecycle` is the pair ("lifecycle", "").
    static func queryItems(of url: URL) -> [(String, String)] {
        guard let query = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedQuery,
              !query.isEmpty
        else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            return (name, value)
        }
    }

    static func canonicalQuery(_ items: [(String, String)]) -> String {
        let encoded: [(name: String, value: String)] = items.map { (uriEncode($0.0), uriEncode($0.1)) }
        let sorted = encoded.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        return sorted.map { pair in pair.name + "=" + pair.value }.joined(separator: "&")
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters (and `/` when `keepSlash`).
    public static func uriEncode(_ text: String, keepSlash: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if unreserved[Int(byte)] || (keepSlash && byte == 0x2F) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// RFC 3986 unreserved bytes: letters, digits, `-`, `_`, `.`, `~`.
    private static let unreserved: [Bool] = (0..<256).map { value in
        let scalar = Unicode.Scalar(UInt8(value))
        return ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            || "-_.~".unicodeScalars.contains(scalar)
    }

    private static func trimmed(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The two forms of the signing time SigV4 uses, in UTC.
private struct SigningTime {
    /// `20130524T000000Z`
    let dateTime: String
    /// `20130524`
    let date: String

    init(_ instant: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        date = String(format: "%04d%02d%02d", c.year!, c.month!, c.day!)
        dateTime = date + String(format: "T%02d%02d%02dZ", c.hour!, c.minute!, c.second!)
    }

    func scope(_ region: String, _ service: String) -> String {
        "\(date)/\(region)/\(service)/aws4_request"
    }
}

extension SigV4Signer {
    /// The lower-case hex SHA-256 of `data`, for `payloadHash`.
    public static func payloadHash(of data: Data) -> String {
        hex(SHA256.hash(data: data))
    }
}
