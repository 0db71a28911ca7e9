// swift-tools-version:6.0
// Swix: a Nix language evaluator. See Documentation/Architecture.md for the layout.
import PackageDescription
#if canImport(Foundation)
import Foundation
#endif

let optimised: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Swix",
    products: [
        .executable(name: "swix", targets: ["swix"]),
        .library(name: "NixSyntax", targets: ["NixSyntax"]),
        .library(name: "NixEval", targets: ["NixEval"]),
        .library(name: "NixStore", targets: ["NixStore"]),
        .library(name: "SwixCLI", targets: ["SwixCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .target(name: "NixSyntax", swiftSettings: optimised),
        .target(
            name: "NixStore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: optimised),
        .target(name: "NixEval", dependencies: ["NixSyntax", "NixStore"], swiftSettings: optimised),
        .target(
            name: "SwixCLI",
            dependencies: ["NixSyntax", "NixEval", "NixStore"],
            swiftSettings: optimised),
        .executableTarget(name: "swix", dependencies: ["SwixCLI"], swiftSettings: optimised),
        // Locating the test data (Tests/Data) and the built executable, running subprocesses.
        .target(name: "SwixTestSupport", path: "Tests/SwixTestSupport"),
        .testTarget(name: "NixSyntaxTests", dependencies: ["NixSyntax", "SwixTestSupport"]),
        .testTarget(name: "NixEvalTests", dependencies: ["NixEval"]),
        .testTarget(name: "NixStoreTests", dependencies: ["NixStore"], exclude: ["Vectors"]),
        .testTarget(name: "SwixCLITests", dependencies: ["SwixCLI", "NixSyntax", "NixEval", "NixStore", "SwixTestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)

// libFuzzer harnesses (Fuzz/), only when SWIX_FUZZ is set: they link with `-sanitize=fuzzer`,
// which the normal build and `swift test` do not use. Fuzz/run.sh builds and runs them.
#if canImport(Foundation)
if ProcessInfo.processInfo.environment["SWIX_FUZZ"] != nil {
    package.targets += [
        .target(name: "CLibFuzzer", path: "Fuzz/Sources/CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["SwixCLI", "CLibFuzzer"], path: "Fuzz/Sources/FuzzSupport"),
        .executableTarget(name: "FuzzParser", dependencies: ["FuzzSupport"], path: "Fuzz/Sources/FuzzParser"),
        .executableTarget(name: "FuzzEval", dependencies: ["FuzzSupport"], path: "Fuzz/Sources/FuzzEval"),
        .executableTarget(name: "FuzzFormats", dependencies: ["FuzzSupport"], path: "Fuzz/Sources/FuzzFormats"),
    ]
}
#endif
