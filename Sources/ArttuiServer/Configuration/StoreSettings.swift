import ArtifactStore
import Foundation
import S3Client

/// Where `arttui-server serve` keeps artifacts, as read from its settings before any service is asked.
enum StoreSettings {
    /// The bucket's side of the settings: the objects in S3, sealed, and the catalog in PostgreSQL.
    struct Bucket {
        /// The bucket's name.
        var name: String
        /// The endpoint, region, credentials and timeouts.
        var s3: S3Configuration
        /// The master keys sealing every object written.
        var keyring: MasterKeyring
        /// The catalog's database.
        var database: DatabaseURL
    }

    /// `--store DIR`: a local store directory (development).
    case directory(URL)
    /// PostgreSQL and an S3 bucket.
    case bucket(Bucket)
}
