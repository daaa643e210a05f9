import Foundation
import Testing
@testable import ArtifactStore

/// The one-line reasons that StoreError.io carries: what users read when a write fails.
struct FileSystemReasonTests {
    private struct WordedFailure: Error, CustomStringConvertible {
        var description: String { "PutObject s3://bucket/packs/ab.pack failed: no free volumes (HTTP 500)" }
    }

    @Test func aSwiftErrorThatWordsItselfIsQuotedAsItSays() {
        #expect(FileSystem.reason(of: WordedFailure()) == WordedFailure().description)
    }

    @Test func aPOSIXErrorIsItsSystemMessage() {
        let error = NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))
        #expect(FileSystem.reason(of: error) == String(cString: strerror(ENOSPC)))
    }
}
