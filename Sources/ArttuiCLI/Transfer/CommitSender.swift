import ArtifactStore
import ArtifactWire
import Foundation

/// Commits an upload on a team server: in one request, or, for a version of more files than one
/// request may carry, its parts first (`PUT …/parts/{n}`, one at a time, so the client never encodes
/// more than one part's JSON) and then the commit that names them. Nothing is visible before the commit.
struct CommitSender {
    /// The variable that sets the files per part, for tests that make a version of a few thousand files
    /// cross several parts; unset, a part is `defaultFilesPerPart` files.
    static let partFilesVariable = "ARTTUI_COMMIT_PART_FILES"
    /// Files per part unless `partFilesVariable` says otherwise: well below the server's limit, because
    /// the client's peak memory is set by the largest JSON body it encodes (a put of 50,000 tiny files
    /// peaked at 152.5 MiB as one request, 126.8 with parts of 20,000, 113.7 with 10,000, 108.1 with 5,000).
    static let defaultFilesPerPart = 10_000

    let client: ServerClient
    let project: RemoteProject
    let filesPerPart: Int

    /// A sender for `project`, with the files per part from the environment.
    /// - Throws: `CommandFailure` naming the variable when it is not a whole number from 1 to the server's limit.
    init(client: ServerClient, project: RemoteProject, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws
    {
        self.client = client
        self.project = project
        filesPerPart = try Self.filesPerPart(environment[Self.partFilesVariable])
    }

    static func filesPerPart(_ text: String?) throws -> Int {
        guard let text, !text.isEmpty else { return defaultFilesPerPart }
        guard let number = Int(text), (1...UploadLimits.maxFilesPerCommit).contains(number) else {
            throw CommandFailure(
                message: "\(partFilesVariable) must be a whole number of files from 1 to \(UploadLimits.maxFilesPerCommit), got \"\(text.prefix(40))\"")
        }
        return number
    }

    /// Sends `request`'s parts, if it has more files than a part, then commits it into `upload`.
    /// - Throws: `ServerError` as the server refuses a part or the commit (`.missingChunks` for chunks to send again).
    func commit(_ request: CommitRequest, upload: String) throws -> CommitResponse {
        let uploadPath = project.apiPath + "/uploads/\(pathSegment(upload))"
        let parted = CommitInParts(request, filesPerPart: filesPerPart)
        for number in 0..<parted.count {
            try FaultInjection.check(.part, operation: "send part \(number) of the commit of", path: request.artifact)
            do {
                let _: PartAccepted = try client.send(
                    "PUT", uploadPath + "/parts/\(number)", body: parted.part(number), wait: .afterWork)
            } catch let error as ServerError where number == 0 && error.isMissingRoute
                && request.files.count <= UploadLimits.maxFilesPerCommit
            {
                // A server older than commits in parts: a version it can take in one request goes so.
                return try client.send("POST", uploadPath + "/commit", body: request, wait: .afterWork)
            }
        }
        return try client.send("POST", uploadPath + "/commit", body: parted.commit, wait: .afterWork)
    }
}
