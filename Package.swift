// swift-tools-version:6.0
// Swix: a Nix language evaluator. See Documentation/Architecture.md for the layout.
import PackageDescription

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
