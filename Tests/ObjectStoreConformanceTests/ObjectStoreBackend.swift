import ArtifactStore
import ArtifactStoreS3
import Foundation
import S3Client

/// Every ObjectStore implementation the conformance suite runs against. The S3 ones need a
/// running service, named by `ARTTUI_TEST_S3_ENDPOINT` (SeaweedFS) or
/// `ARTTUI_TEST_RCLONE_S3_ENDPOINT` (rclone serve s3) with `AWS_ACCESS_KEY_ID` and
/// `AWS_SECRET_ACCESS_KEY`; without them those cases print why they are skipped and pass.
enum ObjectStoreBackend: String, CaseIterable, CustomStringConvertible, Sendable {
    case directory
    case seaweedfs
    case rclone
    case sealedDirectory
    case sealedSeaweedfs
    case sealedRclone

    var description: String { rawValue }

    /// The test bucket: `ARTTUI_TEST_S3_BUCKET` or `arttui-conformance`, created when missing.
    static var bucket: String {
        let name = ProcessInfo.processInfo.environment["ARTTUI_TEST_S3_BUCKET"] ?? ""
        return name.isEmpty ? "arttui-conformance" : name
    }

    var endpointVariable: String? {
        switch self {
        case .directory, .sealedDirectory: nil
        case .seaweedfs, .sealedSeaweedfs: "ARTTUI_TEST_S3_ENDPOINT"
        case .rclone, .sealedRclone: "ARTTUI_TEST_RCLONE_S3_ENDPOINT"
        }
    }

    var isSealed: Bool { [.sealedDirectory, .sealedSeaweedfs, .sealedRclone].contains(self) }

    /// A client for this backend's service, or nil (with the reason printed) when it is not configured.
    func client(pageSizeNote: String = "") -> S3Client? {
        guard let variable = endpointVariable else { return nil }
        do {
            var configuration = try S3Configuration.fromEnvironment(endpointVariable: variable)
            configuration.requestTimeout = 20
            configuration.connectTimeout = 3
            return S3Client(configuration: configuration)
        } catch {
            print("skipped \(self) object store case: \(error)")
            return nil
        }
    }

    /// A fresh, empty store of this kind (its own directory or key prefix), or nil when skipped.
    func makeStore(listPageSize: Int = 1000) throws -> (any ObjectStore)? {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("arttui-conformance-\(UUID().uuidString)")
        let base: any ObjectStore
        switch self {
        case .directory, .sealedDirectory:
            base = try LocalObjectStore(
                root: scratch.appendingPathComponent("objects"), stagingDirectory: scratch.appendingPathComponent("tmp"))
        case .seaweedfs, .sealedSeaweedfs, .rclone, .sealedRclone:
            guard let client = client() else { return nil }
            try client.createBucket(Self.bucket)
            // The sealed cases keep whole objects read lately, as the server does; the others read ranges.
            base = try S3ObjectStore(
                client: client, bucket: Self.bucket, keyPrefix: "conformance/\(UUID().uuidString)/",
                stagingDirectory: scratch.appendingPathComponent("tmp"), readAhead: 256 << 10,
                listPageSize: listPageSize, recentObjectBytes: isSealed ? 8 << 20 : 0)
        }
        return isSealed ? SealedObjectStore(wrapping: base, keyring: try TestKeys.keyring()) : base
    }

    /// A second store over the same objects, sharing nothing remembered with `store` (as another
    /// server process would be).
    func reopened(_ store: any ObjectStore) -> any ObjectStore {
        guard let sealed = store as? SealedObjectStore else { return store }
        return SealedObjectStore(wrapping: sealed.inner, keyring: sealed.keyring)
    }
}

/// Keys and files for tests.
enum TestKeys {
    static func keyring(ids: [UInt32] = [1]) throws -> MasterKeyring {
        try MasterKeyring(keys: Dictionary(uniqueKeysWithValues: ids.map { id in
            (id, (0..<32).map { UInt8(truncatingIfNeeded: Int(id) &* 31 &+ $0) })
        }))
    }

    /// Writes `bytes` to a new file in `store`'s staging directory, ready for `store(key:movingFile:)`.
    static func stagedFile(_ bytes: [UInt8], in store: any ObjectStore) throws -> URL {
        let url = store.stagingDirectory.appendingPathComponent("\(UUID().uuidString).test")
        try Data(bytes).write(to: url)
        return url
    }
}

extension ObjectReader {
    /// `length` bytes at `offset`.
    func bytes(at offset: Int64, _ length: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        try out.withUnsafeMutableBytes { try read(offset: offset, length: length, into: $0) }
        return out
    }
}
