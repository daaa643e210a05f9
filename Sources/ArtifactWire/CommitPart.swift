import ArtifactStore
import Foundation

/// `PUT …/uploads/{upload}/parts/{part}`: some of a version's files, sent ahead of the commit that
/// names how many parts came before it. A version of more files than one request may carry
/// (`UploadLimits.maxFilesPerCommit`) travels so; nothing becomes visible until the commit.
public struct CommitPart: Codable, Sendable, Equatable {
    /// Files of the version, by path (at most `UploadLimits.maxFilesPerCommit`).
    public var files: [ManifestEntry]
    /// The contents these files name.
    public var contents: [WireContent]

    /// Creates a part.
    public init(files: [ManifestEntry], contents: [WireContent]) {
        self.files = files
        self.contents = contents
    }
}

extension CommitRequest {
    /// This commit with the files and contents of the parts sent before it, in order: the version it makes.
    public func joining(_ parts: [CommitPart]) -> CommitRequest {
        guard !parts.isEmpty else { return self }
        var joined = self
        joined.files = parts.flatMap(\.files) + files
        var seen = Set<String>()
        joined.contents = (parts.flatMap(\.contents) + contents).filter { seen.insert($0.digest).inserted }
        joined.parts = nil
        return joined
    }

    /// The version this commit makes, as the store commits one uploaded: its own files and contents
    /// (those of parts sent before it are the caller's to add).
    public var uploadedVersion: UploadedVersion {
        UploadedVersion(
            name: artifact, type: type, description: description ?? "", metadata: metadata ?? [:],
            aliases: aliases ?? [], runID: run, files: files, contents: contents.map(\.record))
    }
}
