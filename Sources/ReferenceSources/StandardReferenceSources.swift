import ArtifactStore
import Foundation

extension ReferenceResolver {
    /// Every scheme the command line reads: `file://`, `http://`, `https://`.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> ReferenceResolver
    {
        ReferenceResolver([LocalFileSource(), HTTPSource()])
    }
}
