import Foundation

/// A version of an artifact as a user names it: `[ENTITY/]PROJECT/NAME[:REF]`, where REF is `latest`
/// (the default), `vN`, or an alias.
///
/// ```swift
/// try ArtifactAddress(parsing: "mnist/train:v3").reference   // .index(3)
/// try ArtifactAddress(parsing: "mnist/train").reference      // .latest
/// ```
public struct ArtifactAddress: Hashable, Sendable, CustomStringConvertible {
    /// How the version is chosen.
    public enum Reference: Hashable, Sendable, CustomStringConvertible {
        /// The newest committed version.
        case latest
        /// The version numbered N (`vN`).
        case index(Int)
        /// The version carrying this alias.
        case alias(String)

        /// `latest`, `v3` or the alias.
        public var description: String {
            switch self {
            case .latest: return Alias.latest
            case .index(let number): return "v\(number)"
            case .alias(let alias): return alias
            }
        }
    }

    /// The user or team, when given.
    public var entity: String?
    /// The project.
    public var project: String
    /// The artifact's name.
    public var name: String
    /// Which version.
    public var reference: Reference

    /// Creates an address from parts already validated.
    public init(entity: String? = nil, project: String, name: String, reference: Reference = .latest) {
        self.entity = entity
        self.project = project
        self.name = name
        self.reference = reference
    }

    /// Reads `[ENTITY/]PROJECT/NAME[:REF]`.
    ///
    /// `latest` and `vN` are recognised in any case; N must be at most `Int32.max`. Any other REF must be a
    /// valid alias.
    /// - Throws: `StoreError.invalidAddress` naming the problem, such as a missing name or an empty reference.
    public init(parsing text: String) throws {
        func failure(_ reason: String) -> StoreError { StoreError.invalidAddress(text: text, reason: reason) }

        let halves = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let path = try ArtifactPath.parseParts(String(halves[0]), in: text)
        var reference = Reference.latest
        if halves.count == 2 {
            let ref = String(halves[1])
            if ref.isEmpty { throw failure("has an empty reference after ':'") }
            if ref.contains(":") { throw failure("has more than one ':'") }
            reference = try Self.reference(ref, in: text)
        }
        self.init(entity: path.entity, project: path.project, name: path.name, reference: reference)
    }

    /// The artifact, without the version.
    public var path: ArtifactPath { ArtifactPath(entity: entity, project: project, name: name) }

    /// `project/name:v3`, `project/name:latest`, `entity/project/name:best`.
    public var description: String { "\(path):\(reference)" }

    private static func reference(_ ref: String, in text: String) throws -> Reference {
        let lowered = ref.lowercased()
        if lowered == Alias.latest { return .latest }
        if Alias.isManaged(ref) {
            // `v` followed by digits only (isManaged checked that).
            guard let number = Int32(lowered.dropFirst()) else {
                throw StoreError.invalidAddress(
                    text: text, reason: "has a version number \(ref) larger than v\(Int32.max)")
            }
            return .index(Int(number))
        }
        try rethrowingAsAddressError(text) { try Alias.validateSyntax(ref) }
        return .alias(ref)
    }
}
