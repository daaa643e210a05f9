import Foundation
import Testing
@testable import S3Client

/// AWS's published examples (S3 API Reference, "Signature Calculations for the Authorization
/// Header: Transferring Payload in a Single Chunk" and "Authenticating Requests: Using Query
/// Parameters").
@Suite struct SigV4SignerTests {
    let signer = SigV4Signer(
        credentials: S3Credentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")
    let date = Date(timeIntervalSince1970: 1_369_353_600)  // 20130524T000000Z

    private func signature(_ headers: [String: String]) -> String? {
        headers["authorization"]?.components(separatedBy: "Signature=").last
    }

    @Test func getObjectWithRange() {
        let headers = signer.signedHeaders(
            method: "GET", url: URL(string: "https://examplebucket.s3.amazonaws.com/test.txt")!,
            headers: ["Range": "bytes=0-9"], payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        #expect(headers["authorization"]?.contains("SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,") == true)
        #expect(signature(headers) == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(headers["x-amz-date"] == "20130524T000000Z")
    }

    @Test func putObjectWithReservedCharacterInKey() {
        let payload = SigV4Signer.payloadHash(of: Data("Welcome to Amazon S3.".utf8))
        #expect(payload == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let headers = signer.signedHeaders(
            method: "PUT", url: URL(string: "https://examplebucket.s3.amazonaws.com/test$file.text")!,
            headers: ["Date": "Fri, 24 May 2013 00:00:00 GMT", "x-amz-storage-class": "REDUCED_REDUNDANCY"],
            payloadHash: payload, date: date)
        #expect(signature(headers) == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test func getBucketLifecycle() {
        let headers = signer.signedHeaders(
            method: "GET", url: URL(string: "https://examplebucket.s3.amazonaws.com/?lifecycle")!,
            payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        #expect(signature(headers) == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test func listObjects() {
        let headers = signer.signedHeaders(
            method: "GET", url: URL(string: "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J")!,
            payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        #expect(signature(headers) == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func presignedGet() {
        let url = signer.presignedURL(
            method: "GET", url: URL(string: "https://examplebucket.s3.amazonaws.com/test.txt")!, expires: 86400,
            date: date)
        let query = URLComponents(url: url, resolvingAgainstBaseURL: false)!.queryItems!
        #expect(query.first { $0.name == "X-Amz-Signature" }?.value
            == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
        #expect(query.first { $0.name == "X-Amz-Credential" }?.value
            == "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request")
    }

    @Test func aWrongSecretGivesAnotherSignature() {
        let other = SigV4Signer(
            credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wrong"),
            region: "us-east-1")
        let headers = other.signedHeaders(
            method: "GET", url: URL(string: "https://examplebucket.s3.amazonaws.com/?lifecycle")!,
            payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        #expect(signature(headers) != "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test func hostHeaderKeepsOnlyNonDefaultPorts() {
        #expect(SigV4Signer.hostHeader(of: URL(string: "http://127.0.0.1:8333/b/k")!) == "127.0.0.1:8333")
        #expect(SigV4Signer.hostHeader(of: URL(string: "http://example.com:80/b")!) == "example.com")
        #expect(SigV4Signer.hostHeader(of: URL(string: "https://example.com/b")!) == "example.com")
    }
}
