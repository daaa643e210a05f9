import ArtifactStore
import ArtifactWire
@testable import ArttuiCLI
import Foundation
import ProcessTestSupport
import Testing

/// How `CommitSender` sends a version too large for one request, against a scripted server.
@Suite struct CommitSenderTests {
    static let project = RemoteProject(entity: "team", project: "vision")

    /// A commit of `count` files, one content each.
    static func request(files count: Int) -> CommitRequest {
        let files = (0..<count).map { ManifestEntry(path: "f\($0)", digest: String(format: "%064x", $0 + 1), size: 1) }
        return CommitRequest(
            artifact: "ds", type: "dataset", files: files,
            contents: files.map { WireContent(digest: $0.digest, size: 1, chunks: [$0.digest]) })
    }

    static func answer(files count: Int) throws -> LoopbackHTTPResponder.Answer {
        let version = ArtifactVersion(
            id: 1, project: "team/vision", name: "ds", type: "dataset", index: 0, digest: String(repeating: "a", count: 64),
            state: .committed, createdAt: Date(timeIntervalSince1970: 0), size: Int64(count), fileCount: count,
            addedBytes: 0, description: "", metadata: [:], aliases: ["latest"], loggedBy: nil)
        let body = try JSONEncoder().encode(CommitResponse(created: true, version: WireVersion(version)))
        return .json(201, String(decoding: body, as: UTF8.self))
    }

    static func sender(_ responder: LoopbackHTTPResponder, filesPerPart: Int) throws -> CommitSender {
        let client = ServerClient(
            server: try ServerURL(parsing: responder.url), token: nil, from: .none, timeout: 5, caCertificate: nil,
            insecure: false)
        return try CommitSender(client: client, project: project, environment: [CommitSender.partFilesVariable: "\(filesPerPart)"])
    }

    /// The server reads the parts one after the other and refuses one that starts before the previous
    /// one ended, so files that came in another order are cut in byte order; one request keeps its order.
    @Test func partsAreCutInManifestOrderWhateverOrderTheFilesCameIn() {
        var request = Self.request(files: 25)
        request.files.reverse()
        let parted = CommitInParts(request, filesPerPart: 10)
        let sent = (0..<parted.count).map { parted.part($0).files } + [parted.commit.files]
        #expect(sent.map(\.count) == [10, 10, 5])
        #expect(sent.flatMap { $0 }.map(\.path) == request.files.map(\.path).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(parted.part(0).files.first?.path == "f0" && parted.part(0).files.last?.path == "f17")
        #expect(CommitInParts(request, filesPerPart: 25).commit.files == request.files)
    }

    /// Parts go first, one at a time, then the commit naming how many there were.
    @Test func aLargeCommitSendsItsPartsThenTheCommit() throws {
        let done = try Self.answer(files: 25)
        let responder = try LoopbackHTTPResponder { request in
            request.method == "PUT" ? .json(201, #"{"part":0,"files":10}"#) : done
        }
        let response = try Self.sender(responder, filesPerPart: 10).commit(Self.request(files: 25), upload: "u1")
        #expect(response.version.fileCount == 25)
        let upload = Self.project.apiPath + "/uploads/u1"
        #expect(responder.requests.map(\.summary) == [
            "PUT \(upload)/parts/0", "PUT \(upload)/parts/1", "POST \(upload)/commit",
        ])
        let commit = try JSONDecoder().decode(CommitRequest.self, from: responder.requests[2].body)
        // The last five in byte order (f0, f1, f10…f19, f2, f20…f24, f3…f9).
        #expect(commit.parts == 2 && commit.files.map(\.path) == (5..<10).map { "f\($0)" })
    }

    /// A server older than commits in parts has no part route: a version it can take in one request
    /// goes so, whole, instead of failing after every pack was sent.
    @Test func aServerWithoutThePartRouteTakesTheWholeCommitInOneRequest() throws {
        let done = try Self.answer(files: 25)
        let responder = try LoopbackHTTPResponder { request in
            request.method == "PUT" ? .problem(404, "Not Found") : done
        }
        let response = try Self.sender(responder, filesPerPart: 10).commit(Self.request(files: 25), upload: "u1")
        #expect(response.version.fileCount == 25)
        let upload = Self.project.apiPath + "/uploads/u1"
        #expect(responder.requests.map(\.summary) == ["PUT \(upload)/parts/0", "POST \(upload)/commit"])
        let commit = try JSONDecoder().decode(CommitRequest.self, from: responder.requests[1].body)
        #expect(commit.parts == nil && commit.files.count == 25)
    }

    /// A refusal of a later part is the server's to report: it is not retried as one request.
    @Test func aRefusedLaterPartIsReportedAsTheServerWordsIt() throws {
        let responder = try LoopbackHTTPResponder { request in
            request.target.hasSuffix("/parts/1") ? .problem(400, "part 1 names a path twice: f12") : .json(201, #"{"part":0,"files":10}"#)
        }
        #expect(throws: ServerError.self) { try Self.sender(responder, filesPerPart: 10).commit(Self.request(files: 25), upload: "u1") }
        #expect(responder.requests.count == 2)
    }
}
