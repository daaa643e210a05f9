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
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
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
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ]
        ),
        // Lays out and draws a lineage graph as text; shared by the command line and the browser.
        .target(name: "LineageLayout", dependencies: ["ArtifactStore"]),
        // ncursesw from the system (libncursesw5-dev), with a shim for the macros Swift cannot import.
        .systemLibrary(name: "CNCursesW", path: "Sources/CNCursesW"),
        // The browser's pure core: state, update on keys and results, rendering into a grid of cells.
        // Uses the store's model types only; imports neither ncurses nor SQL.
        .target(name: "BrowserCore", dependencies: ["ArtifactStore", "LineageLayout"]),
        // The thin terminal backend: copies the grid to ncurses and decodes keys.
        .target(name: "TerminalUI", dependencies: ["BrowserCore", "CNCursesW"]),
        // The command line: subcommands that call the core, and the browser wired to the real store.
        .target(
            name: "ArttuiCLI",
            dependencies: [
                "ArtifactStore",
                "BrowserCore",
                "LineageLayout",
                "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "arttui", dependencies: ["ArttuiCLI"]),
        // Test doubles shared by tests and the benchmark: a fixture store, a scripted session.
        .target(name: "BrowserTestSupport", dependencies: ["BrowserCore", "ArtifactStore"]),
        // Prints first-frame and per-keypress frame times on a 100,000-version fixture (not a test).
        .executableTarget(name: "BrowserBenchmark", dependencies: ["BrowserCore", "BrowserTestSupport"]),
        // Prints open and per-key times of the lineage view on a generated 2,000-node graph (not a test).
        .executableTarget(
            name: "LineageBenchmark", dependencies: ["ArtifactStore", "BrowserCore", "BrowserTestSupport", "LineageLayout"]),
        .testTarget(
            name: "ArtifactStoreTests",
            dependencies: ["ArtifactStore", .product(name: "GRDB", package: "GRDB.swift")]),
        // Drives the built `arttui` binary; reads catalogs directly to craft and locate damage.
        .testTarget(
            name: "ArttuiEndToEndTests",
            dependencies: ["ArtifactStore", "arttui", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["README.md"]),
        .testTarget(
            name: "BrowserCoreTests",
            dependencies: ["BrowserCore", "BrowserTestSupport", "ArtifactStore"],
            exclude: ["Golden"]
        ),
        .testTarget(name: "LineageLayoutTests", dependencies: ["LineageLayout", "BrowserTestSupport"]),
        .testTarget(
            name: "ArttuiCLITests",
            dependencies: ["ArttuiCLI", "ArtifactStore", "BrowserCore", "BrowserTestSupport", "LineageLayout"]),
    ]
)
