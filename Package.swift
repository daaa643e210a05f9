// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "arttui",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ArtifactStore", targets: ["ArtifactStore"]),
        .executable(name: "arttui", targets: ["arttui"]),
        .executable(name: "arttui-server", targets: ["arttui-server"]),
        .library(name: "S3Client", targets: ["S3Client"]),
        .library(name: "ArtifactStoreS3", targets: ["ArtifactStoreS3"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        // Team mode only: never a dependency of the `arttui` product.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        // zstd from the system (libzstd-dev).
        .systemLibrary(name: "CZstd", path: "Sources/CZstd"),
        // One SQLite setting Swift cannot reach (sqlite3_db_config is variadic), for the cache index.
        .systemLibrary(name: "CSQLiteConfig", path: "Sources/CSQLiteConfig"),
        // sync_file_range and fallocate, which Swift's Glibc does not declare: packs start reaching
        // the disk while a put is still cutting chunks, so the fsync at its end has little left to
        // wait for; a restore allocates a large file's blocks before writing it.
        .systemLibrary(name: "CWriteback", path: "Sources/CWriteback"),
        // The core: catalog, chunk storage, chunking, cache. Knows nothing of terminals.
        .target(
            name: "ArtifactStore",
            dependencies: [
                "CZstd",
                "CSQLiteConfig",
                "CWriteback",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ]
        ),
        // libcurl's easy API resolved at run time from libcurl.so.4 (no development package needed).
        .target(name: "CHTTPTransport", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        // Blocking HTTP requests over libcurl with pooled keep-alive handles: the one transport of the
        // team-server client, the S3 client and http(s) references. Knows nothing of arttui.
        .target(name: "HTTPTransport", dependencies: ["CHTTPTransport"]),
        // SigV4 signing and a path-style S3 client on HTTPTransport; no server-only packages, so the
        // `arttui` executable may use it too.
        .target(name: "S3Client", dependencies: ["HTTPTransport", .product(name: "Crypto", package: "swift-crypto")]),
        // The store's objects in an S3 bucket.
        .target(name: "ArtifactStoreS3", dependencies: ["ArtifactStore", "S3Client"]),
        // The benchmark's own upload-protocol client and local-put reference (scripts/bench/server_bench.sh);
        // not a test, and not the `arttui` client.
        .executableTarget(
            name: "ServerBenchmark",
            dependencies: ["ArtifactStore", "ArtifactWire", .product(name: "Crypto", package: "swift-crypto")]),
        // Prints sealing and opening throughput of the encrypted object format (not a test).
        .executableTarget(
            name: "SealingBenchmark",
            dependencies: ["ArtifactStore", .product(name: "Crypto", package: "swift-crypto")]),
        // The catalog on PostgreSQL, for team mode; only the server and tests depend on it.
        .target(
            name: "ArtifactStorePostgres",
            dependencies: [
                "ArtifactStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Reads references the core cannot: http(s):// over HTTPTransport and s3:// through S3Client.
        // No server packages: the `arttui` executable links it.
        .target(
            name: "ReferenceSources",
            dependencies: ["ArtifactStore", "HTTPTransport", "S3Client", .product(name: "Crypto", package: "swift-crypto")]),
        // Lays out and draws a lineage graph as text; shared by the command line and the browser.
        .target(name: "LineageLayout", dependencies: ["ArtifactStore"]),
        // ncursesw from the system (libncursesw5-dev), with a shim for the macros Swift cannot import.
        .systemLibrary(name: "CNCursesW", path: "Sources/CNCursesW"),
        // The browser's pure core: state, update on keys and results, rendering into a grid of cells.
        // Uses the store's model types only; imports neither ncurses nor SQL.
        .target(name: "BrowserCore", dependencies: ["ArtifactStore", "LineageLayout"]),
        // The thin terminal backend: copies the grid to ncurses and decodes keys.
        .target(name: "TerminalUI", dependencies: ["BrowserCore", "CNCursesW"]),
        // What the two command lines (`arttui`, `arttui-server`) share about swift-argument-parser: how
        // a refused command line is worded in one line. ArgumentParser's wording stays out of the core.
        .target(
            name: "CommandLineSupport",
            dependencies: ["ArtifactStore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // The command line: subcommands that call the core, and the browser wired to the real store.
        .target(
            name: "ArttuiCLI",
            dependencies: [
                "ArtifactStore",
                "ArtifactWire",
                "BrowserCore",
                "CommandLineSupport",
                "LineageLayout",
                "ReferenceSources",
                "TerminalUI",
                "HTTPTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "arttui",
            dependencies: ["ArttuiCLI"],
            exclude: ["StaticLinking"],
            // Start-up of the release binary (BENCHMARKS.md, "startup"): a position-dependent executable
            // needs none of the ~98,000 relative relocations a PIE applies (and copies the pages of) on
            // every run, and without --export-dynamic (which the static Swift runtime's link arguments
            // add) the dynamic symbol table holds only what the shared libraries need, not our 17,000
            // symbols that dladdr and every symbol lookup walked. Backtraces still name functions:
            // swift-backtrace reads the full symbol table and DWARF from the file.
            // StaticLinking/ first on the library search path: SQLite, zstd and ncursesw come
            // from their static archives, not as four more shared libraries loaded and bound before
            // `main` (see StaticLinking/README.md).
            linkerSettings: [
                .unsafeFlags(
                    [
                        "-Xclang-linker", "-no-pie", "-Xlinker", "--no-export-dynamic",
                        "-L", Context.packageDirectory + "/Sources/arttui/StaticLinking",
                    ],
                    .when(platforms: [.linux], configuration: .release)),
            ]),
        // The wire shapes of the team server's HTTP API (JSON bodies, upload protocol, packs), shared by
        // the server and its clients; depends on no server package.
        .target(name: "ArtifactWire", dependencies: ["ArtifactStore"]),
        // The team server: accounts and access in PostgreSQL, the HTTP API over the core.
        .target(
            name: "ArttuiServer",
            dependencies: [
                "ArtifactStore",
                "ArtifactWire",
                "ArtifactStorePostgres",
                "ArtifactStoreS3",
                "CommandLineSupport",
                "S3Client",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("openapi.yaml")]
        ),
        .executableTarget(
            name: "arttui-server",
            dependencies: ["ArttuiServer", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Test doubles shared by tests and the benchmark: a fixture store, a scripted session.
        .target(name: "BrowserTestSupport", dependencies: ["BrowserCore", "ArtifactStore"]),
        // Test trees, seeded bytes and store measures shared by the core's, the catalogs' and the object stores' tests.
        .target(name: "StoreTestSupport", dependencies: ["ArtifactStore"]),
        // Child processes for the end-to-end and server tests: spawned, waited for without blocking the
        // cooperative pool, bounded by a gate; and tmux sessions driven through them.
        .target(
            name: "ProcessTestSupport",
            dependencies: ["ArtifactStore", .product(name: "Crypto", package: "swift-crypto")]),
        // Prints first-frame and per-keypress frame times on a 100,000-version fixture (not a test).
        .executableTarget(name: "BrowserBenchmark", dependencies: ["BrowserCore", "BrowserTestSupport"]),
        // Prints open and per-key times of the lineage view on a generated 2,000-node graph (not a test).
        .executableTarget(
            name: "LineageBenchmark", dependencies: ["ArtifactStore", "BrowserCore", "BrowserTestSupport", "LineageLayout"]),
        .testTarget(
            name: "ArtifactStoreTests",
            dependencies: ["ArtifactStore", "StoreTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        // Drives the built `arttui` binary; reads catalogs directly to craft and locate damage.
        .testTarget(
            name: "ArttuiEndToEndTests",
            dependencies: [
                "ArtifactStore", "arttui", "ProcessTestSupport", "S3Client", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // Fixtures/: stores written by earlier releases, for the format-upgrade tests.
            exclude: ["README.md", "Fixtures"]),
        .testTarget(
            name: "BrowserCoreTests",
            dependencies: ["BrowserCore", "BrowserTestSupport", "ArtifactStore"],
            exclude: ["Golden"]
        ),
        .testTarget(name: "S3ClientTests", dependencies: ["S3Client", "ProcessTestSupport"]),
        .testTarget(name: "ProcessTestSupportTests", dependencies: ["ProcessTestSupport"]),
        .testTarget(
            name: "HTTPTransportTests",
            dependencies: ["HTTPTransport", "ProcessTestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        // One suite run against every ObjectStore: directory, S3 (SeaweedFS, rclone), sealed.
        .testTarget(
            name: "ObjectStoreConformanceTests",
            dependencies: ["ArtifactStore", "ArtifactStoreS3", "S3Client", "StoreTestSupport"]),
        // One suite of catalog behaviour, run against SQLiteCatalog and (when a database is given) PostgresCatalog.
        .testTarget(
            name: "CatalogConformanceTests",
            dependencies: [
                "ArtifactStore",
                "ArtifactStorePostgres",
                "ProcessTestSupport",
                "StoreTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "LineageLayoutTests", dependencies: ["LineageLayout", "BrowserTestSupport"]),
        .testTarget(
            name: "ArttuiCLITests",
            dependencies: [
                "ArttuiCLI", "ArtifactStore", "ArtifactWire", "BrowserCore", "BrowserTestSupport", "CommandLineSupport",
                "LineageLayout", "ProcessTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "ArttuiServerTests",
            dependencies: [
                "ArttuiServer", "ArtifactWire", "ArtifactStore", "ProcessTestSupport", "S3Client", "arttui-server",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
    ]
)
