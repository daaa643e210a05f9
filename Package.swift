// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "arttui",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ArtifactStore", targets: ["ArtifactStore"]),
        .executable(name: "arttui", targets: ["arttui"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // zstd from the system (libzstd-dev).
        .systemLibrary(name: "CZstd", path: "Sources/CZstd"),
        // The core: catalog, chunk storage, chunking, cache. Knows nothing of terminals.
        .target(
            name: "ArtifactStore",
            dependencies: [
                "CZstd",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The command line: subcommands that call the core.
        .target(
            name: "ArttuiCLI",
            dependencies: [
                "ArtifactStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "arttui", dependencies: ["ArttuiCLI"]),
        .testTarget(
            name: "ArtifactStoreTests",
            dependencies: ["ArtifactStore", .product(name: "GRDB", package: "GRDB.swift")]),
        // Drives the built `arttui` binary; reads catalogs directly to craft and locate damage.
        .testTarget(
            name: "ArttuiEndToEndTests",
            dependencies: ["ArtifactStore", "arttui", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["README.md"]),
    ]
)
