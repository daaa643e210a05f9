import Foundation
import ProcessTestSupport
import Testing
@testable import S3Client

/// The client against a scripted loopback responder: retries, error kinds and messages, timeouts.
@Suite struct S3ClientTests {
    static let secret = "s3cr3t-never-printed-0123456789"

    private func client(
        _ endpoint: URL, attempts: Int = 4, requestTimeout: TimeInterval = 5, connectTimeout: TimeInterval = 2,
        operationTimeout: TimeInterval? = nil
    ) -> S3Client {
        S3Client(configuration: S3Configuration(
            endpoint: endpoint, credentials: S3Credentials(accessKeyID: "AKIDTEST", secretAccessKey: Self.secret),
            requestTimeout: requestTimeout, connectTimeout: connectTimeout,
            retry: S3RetryPolicy(maxAttempts: attempts, baseDelay: 0.05, maxDelay: 0.2), operationTimeout: operationTimeout))
    }

    private static func errorBody(_ code: String, _ message: String) -> Data {
        Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(message)</Message></Error>".utf8)
    }

    @Test func serverErrorsAreRetriedWithBackoffUntilSuccess() throws {
        let server = try LoopbackHTTPResponder(script: [
            .init(status: 503, body: Self.errorBody("SlowDown", "Please reduce your request rate.")),
            .init(status: 503, body: Self.errorBody("ServiceUnavailable", "busy")),
            .init(status: 200, body: Data("hello".utf8)),
        ])
        defer { server.stop() }
        let data = try client(server.endpoint).getObject(bucket: "b", key: "dir/a b+c.txt")
        #expect(String(decoding: data, as: UTF8.self) == "hello")
        let requests = server.requests
        #expect(requests.count == 3)
        #expect(requests.first?.requestLine == "GET /b/dir/a%20b%2Bc.txt HTTP/1.1")
        #expect(requests.allSatisfy { $0.headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDTEST/") == true })
        #expect(requests.allSatisfy { !$0.head.contains(Self.secret) })
    }

    @Test func persistentServerErrorsGiveUpAfterTheLastAttempt() throws {
        let server = try LoopbackHTTPResponder(script: [.init(status: 500, body: Self.errorBody("InternalError", "boom"))])
        defer { server.stop() }
        #expect {
            try client(server.endpoint, attempts: 3).getObject(bucket: "b", key: "k")
        } throws: { error in
            guard let error = error as? S3Error else { return false }
            return error.kind == .service && error.status == 500 && error.attempts == 3
                && error.description == "S3 GetObject s3://b/k at \(server.endpoint.absoluteString): failed "
                + "(HTTP 500, InternalError, boom, after 3 attempts)"
        }
        #expect(server.requests.count == 3)
    }

    @Test func missingKeyAndBucketAreDistinguishedAndNotRetried() throws {
        let server = try LoopbackHTTPResponder(script: [
            .init(status: 404, body: Self.errorBody("NoSuchKey", "The specified key does not exist.")),
            .init(status: 404, body: Self.errorBody("NoSuchBucket", "The specified bucket does not exist")),
        ])
        defer { server.stop() }
        let s3 = client(server.endpoint)
        #expect(throws: S3Error.self) { _ = try s3.getObject(bucket: "b", key: "gone") }
        do throws(S3Error) {
            _ = try s3.getObject(bucket: "b", key: "gone")
        } catch {
            #expect(error.kind == .noSuchBucket)
            #expect(!error.description.contains("\n"))
            #expect(error.description.contains("s3://b/gone"))
        }
        #expect(server.requests.count == 2)
    }

    @Test func headOfAMissingObjectIsNoSuchKey() throws {
        let server = try LoopbackHTTPResponder(script: [.init(status: 404)])
        defer { server.stop() }
        do throws(S3Error) {
            _ = try client(server.endpoint).headObject(bucket: "b", key: "k")
            Issue.record("a 404 HEAD succeeded")
        } catch {
            #expect(error.kind == .noSuchKey)
        }
    }

    @Test func signatureMismatchIsAccessDenied() throws {
        let server = try LoopbackHTTPResponder(script: [
            .init(status: 403, body: Self.errorBody("SignatureDoesNotMatch", "The request signature we calculated does not match\nthe signature you provided.")),
        ])
        defer { server.stop() }
        do throws(S3Error) {
            try client(server.endpoint).deleteObject(bucket: "b", key: "k")
            Issue.record("a 403 succeeded")
        } catch {
            #expect(error.kind == .accessDenied)
            #expect(!error.description.contains("\n"))
            #expect(error.description.contains("SignatureDoesNotMatch"))
            #expect(!error.description.contains(Self.secret))
        }
        #expect(server.requests.count == 1)
    }

    @Test func uploadsSendTheirHashAndNoExpectHeader() throws {
        let server = try LoopbackHTTPResponder(script: [.init(status: 200, headers: ["ETag": "\"abc\""])])
        defer { server.stop() }
        // Above 1 MiB, where curl would otherwise ask `Expect: 100-continue` and wait for an answer
        // some S3 servers (and Hummingbird) never send.
        let body = Data((0..<(2 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("s3client-\(UUID().uuidString)")
        try body.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try client(server.endpoint).putObject(bucket: "b", key: "k", file: file)
        #expect(result.etag == "abc")
        let request = try #require(server.requests.first)
        #expect(request.body == body)
        #expect(request.headers["x-amz-content-sha256"] == SigV4Signer.payloadHash(of: body))
        #expect(!request.head.lowercased().contains("expect:"))
    }

    @Test func unsignedUploadsSendNoHashOfTheirBody() throws {
        let server = try LoopbackHTTPResponder(script: [.init(status: 200, headers: ["ETag": "\"e1\""])])
        defer { server.stop() }
        let body = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 13) })
        let result = try client(server.endpoint).putObject(bucket: "b", key: "k", data: body, payload: .unsigned)
        #expect(result.etag == "e1")
        let request = try #require(server.requests.first)
        #expect(request.body == body)
        #expect(request.headers["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD")
        #expect(request.headers["authorization"]?.contains("x-amz-content-sha256") == true)
    }

    @Test func objectPartsCarryTheObjectSizeAndStopAtItsEnd() throws {
        let server = try LoopbackHTTPResponder(script: [
            .init(status: 206, headers: ["Content-Range": "bytes 100-109/1000"], body: Data(repeating: 1, count: 10)),
            .init(status: 206, headers: ["Content-Range": "bytes 990-999/1000"], body: Data(repeating: 2, count: 10)),
            .init(status: 200, body: Data((0..<50).map { UInt8($0) })),
            .init(status: 200, headers: ["Content-Range": "bytes 5-9/20"], body: Data(repeating: 4, count: 5)),
            .init(status: 206, headers: ["Content-Range": "bytes 0-3/1000"], body: Data(repeating: 3, count: 4)),
        ])
        defer { server.stop() }
        let s3 = client(server.endpoint, attempts: 1)
        let first = try s3.getObjectPart(bucket: "b", key: "k", range: 100..<110)
        #expect(first == S3ObjectPart(bytes: Data(repeating: 1, count: 10), objectSize: 1000))
        #expect(server.requests.first?.headers["range"] == "bytes=100-109")
        // Past the end: the store sends what there is.
        #expect(try s3.getObjectPart(bucket: "b", key: "k", range: 990..<2000).bytes.count == 10)
        // A store that ignores the range answers with the whole object: the part is cut out of it.
        let whole = try s3.getObjectPart(bucket: "b", key: "k", range: 40..<60)
        #expect(Array(whole.bytes) == Array(40..<50) && whole.objectSize == 50)
        // rclone answers a range with 200 and a Content-Range.
        #expect(try s3.getObjectPart(bucket: "b", key: "k", range: 5..<10) == S3ObjectPart(bytes: Data(repeating: 4, count: 5), objectSize: 20))
        // Fewer bytes than the range and the size call for is a broken answer, not a short object.
        #expect { _ = try s3.getObjectPart(bucket: "b", key: "k", range: 0..<8) } throws: {
            ($0 as? S3Error)?.kind == .invalidResponse
        }
    }

    @Test func anObjectsPrefixIsWrittenIntoTheCallersBufferWithTheObjectSize() throws {
        let server = try LoopbackHTTPResponder(script: [
            .init(status: 206, headers: ["Content-Range": "bytes 0-9/1000"], body: Data(repeating: 1, count: 10)),
            .init(status: 206, headers: ["Content-Range": "bytes 0-4/5"], body: Data(repeating: 2, count: 5)),
            .init(status: 200, body: Data((0..<50).map { UInt8($0) })),
            .init(status: 206, headers: ["Content-Range": "bytes 0-9/1000"], body: Data(repeating: 3, count: 4)),
        ])
        defer { server.stop() }
        let s3 = client(server.endpoint, attempts: 1)
        var buffer = [UInt8](repeating: 0, count: 10)
        let first = try buffer.withUnsafeMutableBytes { try s3.getObjectPrefix(bucket: "b", key: "k", into: $0) }
        #expect(first.count == 10 && first.objectSize == 1000 && buffer == [UInt8](repeating: 1, count: 10))
        #expect(server.requests.first?.headers["range"] == "bytes=0-9")
        // An object smaller than the buffer: all of it.
        let small = try buffer.withUnsafeMutableBytes { try s3.getObjectPrefix(bucket: "b", key: "k", into: $0) }
        #expect(small.count == 5 && small.objectSize == 5 && buffer.prefix(5).allSatisfy { $0 == 2 })
        // A store that ignores the range sends the whole object: what fits, and its size.
        let whole = try buffer.withUnsafeMutableBytes { try s3.getObjectPrefix(bucket: "b", key: "k", into: $0) }
        #expect(whole.count == 10 && whole.objectSize == 50 && buffer == Array(0..<10))
        // Fewer bytes than the range and the size call for is a broken answer.
        #expect { _ = try buffer.withUnsafeMutableBytes { try s3.getObjectPrefix(bucket: "b", key: "k", into: $0) } } throws: {
            ($0 as? S3Error)?.kind == .invalidResponse
        }
    }

    @Test func listingFollowsContinuationTokens() throws {
        func page(_ keys: [String], next: String?) -> Data {
            let contents = keys.map { "<Contents><Key>\($0)</Key><Size>3</Size><ETag>&quot;e&quot;</ETag></Contents>" }
            let tail = next.map { "<IsTruncated>true</IsTruncated><NextContinuationToken>\($0)</NextContinuationToken>" }
                ?? "<IsTruncated>false</IsTruncated>"
            return Data("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\(contents.joined())\(tail)</ListBucketResult>".utf8)
        }
        let server = try LoopbackHTTPResponder(script: [
            .init(status: 200, body: page(["p/a", "p/b&amp;c"], next: "t/1=")),
            .init(status: 200, body: page(["p/d"], next: nil)),
        ])
        defer { server.stop() }
        let all = try client(server.endpoint).listAllObjects(bucket: "b", prefix: "p/", pageSize: 2)
        #expect(all.map(\.key) == ["p/a", "p/b&c", "p/d"])
        #expect(all.first?.etag == "e")
        let lines = server.requests.map(\.requestLine)
        #expect(lines.count == 2)
        #expect(lines.last?.contains("continuation-token=t%2F1%3D") == true)
    }

    @Test func versionListingsSkipDeleteMarkersAndFollowBothMarkers() throws {
        let first = """
            <ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsTruncated>true</IsTruncated>\
            <KeyMarker></KeyMarker><NextKeyMarker>p/b</NextKeyMarker><NextVersionIdMarker>v/2</NextVersionIdMarker>\
            <Version><Key>p/a</Key><VersionId>v1</VersionId><IsLatest>true</IsLatest><ETag>&quot;ea&quot;</ETag>\
            <Size>3</Size></Version>\
            <DeleteMarker><Key>p/b</Key><VersionId>v3</VersionId><IsLatest>true</IsLatest></DeleteMarker>\
            <Version><Key>p/b</Key><VersionId>v/2</VersionId><IsLatest>false</IsLatest><ETag>&quot;eb&quot;</ETag>\
            <Size>4</Size></Version></ListVersionsResult>
            """
        let second = """
            <ListVersionsResult><IsTruncated>false</IsTruncated><Version><Key>p/c</Key><VersionId>null</VersionId>\
            <IsLatest>true</IsLatest><ETag>&quot;ec&quot;</ETag><Size>5</Size></Version></ListVersionsResult>
            """
        let server = try LoopbackHTTPResponder(script: [
            .init(status: 200, body: Data(first.utf8)), .init(status: 200, body: Data(second.utf8)),
        ])
        defer { server.stop() }
        let s3 = client(server.endpoint)
        let page = try s3.listObjectVersions(bucket: "b", prefix: "p/", maxKeys: 3)
        #expect(page.versions == [
            S3ObjectVersionSummary(key: "p/a", versionID: "v1", isLatest: true, size: 3, etag: "ea"),
            S3ObjectVersionSummary(key: "p/b", versionID: "v/2", isLatest: false, size: 4, etag: "eb"),
        ])
        #expect(page.nextMarker == S3VersionPage.Marker(key: "p/b", versionID: "v/2"))
        let last = try s3.listObjectVersions(bucket: "b", prefix: "p/", marker: page.nextMarker)
        // The `null` version (written while versioning was off) has no id to ask for.
        #expect(last.versions == [S3ObjectVersionSummary(key: "p/c", versionID: nil, isLatest: true, size: 5, etag: "ec")])
        #expect(last.nextMarker == nil)
        let lines = server.requests.map(\.requestLine)
        #expect(lines.first?.hasPrefix("GET /b?max-keys=3&prefix=p%2F&versions= ") == true, "\(lines)")
        #expect(lines.last?.contains("key-marker=p%2Fb") == true && lines.last?.contains("version-id-marker=v%2F2") == true)
    }

    @Test func anUnreachableEndpointFailsFastNamingItsURL() throws {
        // A port nothing listens on: bind, note the port, close.
        let probe = try LoopbackHTTPResponder(script: [.init(status: 200)])
        probe.stop()
        let endpoint = probe.endpoint
        let start = Date()
        do throws(S3Error) {
            try client(endpoint, attempts: 2, connectTimeout: 1).headBucket("b")
            Issue.record("a request to a closed port succeeded")
        } catch {
            #expect(error.kind == .unreachable)
            #expect(error.description.contains(endpoint.absoluteString))
        }
        #expect(Date().timeIntervalSince(start) < 3)
    }

    @Test func aSilentEndpointTimesOutWithinTheRequestTimeout() throws {
        let server = try LoopbackHTTPResponder(script: [nil])
        defer { server.stop() }
        let start = Date()
        do throws(S3Error) {
            try client(server.endpoint, attempts: 2, requestTimeout: 1).headBucket("b")
            Issue.record("a request nobody answered succeeded")
        } catch {
            #expect(error.kind == .timedOut)
            #expect(error.description.contains(server.endpoint.absoluteString))
            #expect(error.attempts == 2)
        }
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed >= 0.9 && elapsed < 5, "took \(elapsed) s for at most 2 attempts of 1 s")
    }

    @Test("a hung store fails a read within the operation timeout, all attempts together, not attempts × request timeout")
    func aHungStoreFailsWithinTheOperationTimeout() throws {
        let server = try LoopbackHTTPResponder(script: [nil])
        defer { server.stop() }
        let start = Date()
        do throws(S3Error) {
            _ = try client(server.endpoint, attempts: 4, requestTimeout: 30, operationTimeout: 1.5)
                .getObject(bucket: "b", key: "k")
            Issue.record("a request nobody answered succeeded")
        } catch {
            #expect(error.kind == .timedOut, "\(error)")
        }
        let elapsed = Date().timeIntervalSince(start)
        // Without the bound: 4 attempts of 30 s each.
        #expect(elapsed >= 1.4 && elapsed < 3, "took \(elapsed) s with an operation timeout of 1.5 s")
        #expect(server.requests.count == 1, "no retry starts past the deadline")
    }

    @Test func transientErrorsAreStillRetriedUnderAnOperationTimeout() throws {
        let server = try LoopbackHTTPResponder(script: [
            .init(status: 503, body: Self.errorBody("SlowDown", "Please reduce your request rate.")),
            .init(status: 500, body: Self.errorBody("InternalError", "boom")),
            .init(status: 200, body: Data("hello".utf8)),
        ])
        defer { server.stop() }
        let data = try client(server.endpoint, requestTimeout: 30, operationTimeout: 4).getObject(bucket: "b", key: "k")
        #expect(String(decoding: data, as: UTF8.self) == "hello")
        #expect(server.requests.count == 3)
    }

    @Test func asyncCallsRunTheSameRequests() async throws {
        let server = try LoopbackHTTPResponder(script: [.init(status: 503), .init(status: 200, body: Data("ok".utf8))])
        defer { server.stop() }
        let data = try await client(server.endpoint).getObject(bucket: "b", key: "k", range: 0..<2)
        #expect(data == Data("ok".utf8))
        #expect(server.requests.last?.headers["range"] == "bytes=0-1")
    }

    @Test func configurationComesFromTheEnvironmentAndHidesTheSecret() throws {
        let environment = [
            "ARTTUI_S3_ENDPOINT": "http://127.0.0.1:9", "AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": Self.secret,
        ]
        let configuration = try S3Configuration.fromEnvironment(environment)
        #expect(configuration.region == "us-east-1")
        #expect(configuration.credentials.sessionToken == nil)
        #expect(!"\(configuration)".contains(Self.secret))
        #expect(!String(reflecting: configuration.credentials).contains(Self.secret))
        var missing = environment
        missing["AWS_SECRET_ACCESS_KEY"] = nil
        #expect(throws: S3ConfigurationError.missing(variable: "AWS_SECRET_ACCESS_KEY")) {
            try S3Configuration.fromEnvironment(missing)
        }
        var bad = environment
        bad["ARTTUI_S3_ENDPOINT"] = "127.0.0.1:8333"
        #expect(throws: S3ConfigurationError.self) { try S3Configuration.fromEnvironment(bad) }
        bad["ARTTUI_S3_ENDPOINT"] = "https://s3.example"
        bad["ARTTUI_S3_REGION"] = "eu-west-3"
        bad["AWS_SESSION_TOKEN"] = "tok"
        let regional = try S3Configuration.fromEnvironment(bad)
        #expect(regional.region == "eu-west-3" && regional.credentials.sessionToken == "tok")
    }
}

extension LoopbackHTTPResponder {
    /// The responder as the client's endpoint.
    var endpoint: URL { URL(string: url)! }
}
