import Foundation

extension StoreVerifier {
    /// Checks every reference entry of the committed versions in scope at its source, each distinct
    /// (URI, checksum) once and several at a time, without downloading where the scheme allows (see
    /// ``ReferenceChecker``).
    func checkReferences(
        _ inspection: CatalogInspection, resolver: ReferenceResolver, into report: inout VerificationReport
    ) {
        struct Key: Hashable {
            var uri: String
            var digest: String
            var objectVersion: String?
        }
        var users: [Key: (entry: ManifestEntry, versions: [String])] = [:]
        var order: [Key] = []
        for version in inspection.versions where version.state == .committed {
            for entry in version.files {
                guard let reference = entry.reference else { continue }
                let key = Key(uri: reference.uri, digest: entry.digest, objectVersion: reference.objectVersion)
                if users[key] == nil {
                    users[key] = (entry, [])
                    order.append(key)
                }
                users[key]!.versions.append(version.qualifiedName)
            }
        }
        let outcomes = ReferenceChecker(resolver: resolver).check(order.map { users[$0]!.entry })
        for (key, outcome) in zip(order, outcomes) {
            let (entry, versions) = users[key]!
            switch outcome {
            case .success(.unchanged):
                break
            case .success(.changed(let current)):
                report.problems.append(.init(
                    kind: .referenceChanged, subject: "reference \(entry.path)",
                    detail: "\(key.uri) changed: recorded \(entry.digest), now \(current)", versions: versions))
            case .failure(let error):
                report.problems.append(.init(
                    kind: .referenceUnavailable, subject: "reference \(entry.path)", detail: "\(error)",
                    versions: versions))
            }
        }
        report.referencesChecked = order.count
    }
}
