import ArtifactStore
import Foundation

extension ReferenceResolver {
    /// Every scheme the command line reads: `file://`, `http://`, `https://`, `s3://` (configured from `environment`).
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> ReferenceResolver
    {
        ReferenceResolver([LocalFileSource(), HTTPSource(), S3Source(environment: environment)])
    }
}
