// Where the test suites find their data and the built executable: the in-repository copies of
// the C++ Nix language corpus and of nixpkgs lib (Tests/Data/, see its README), overridable by
// environment variables, and the `swix` binary of the same build.

import Foundation

/// A missing piece of the test set-up (data directory, executable). Tests report it as a failure.
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Locations of the test data and of the built executable.
public enum TestData {
    /// The package root: the nearest directory above this file that holds `Package.swift`.
    public static let packageRoot: URL? = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return dir
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    /// `Tests/Data/<name>` of the package, or the directory named by `variable` when it is set.
    static func dataDirectory(_ name: String, override variable: String, mustContain required: [String]) throws -> String {
        let url: URL
        if let override = ProcessInfo.processInfo.environment[variable], !override.isEmpty {
            url = URL(fileURLWithPath: override)
        } else if let root = packageRoot {
            url = root.appendingPathComponent("Tests/Data/\(name)")
        } else {
            throw TestSetupError("cannot find Package.swift above \(#filePath)")
        }
        let path = url.standardizedFileURL.path
        for entry in required where !FileManager.default.fileExists(atPath: path + "/" + entry) {
            throw TestSetupError("""
                test data not found: \(path)/\(entry) does not exist. \
                The copy lives in Tests/Data/\(name) of the repository; \(variable)=DIR points the tests at another one.
                """)
        }
        return path
    }

    /// The C++ Nix language corpus (the parent of `lang/`): `Tests/Data/nix-lang-tests`, or `SWIX_CORPUS`.
    public static func corpusDirectory() throws -> String {
        try dataDirectory("nix-lang-tests", override: "SWIX_CORPUS", mustContain: ["lang", "MANIFEST.tsv"])
    }

    /// nixpkgs lib (the parent of `lib/`): `Tests/Data/nixpkgs-lib`, or `SWIX_NIXPKGS_LIB`.
    public static func nixpkgsLibDirectory() throws -> String {
        try dataDirectory("nixpkgs-lib", override: "SWIX_NIXPKGS_LIB", mustContain: ["lib/default.nix", "lib/tests"])
    }

    /// The path of the running test executable.
    static func testExecutablePath() -> String? {
        #if os(Linux)
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        #endif
        if let path = Bundle.main.executablePath { return path }
        return CommandLine.arguments.first.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    }

    /// The built `swix`: next to the test executable (the same build), else `.build/debug` or `.build/release`.
    public static func swixExecutable() throws -> String {
        var candidates: [String] = []
        if let test = testExecutablePath() {
            var dir = URL(fileURLWithPath: test).deletingLastPathComponent()
            // On Darwin the test binary sits inside `X.xctest/Contents/MacOS`.
            while dir.pathExtension == "xctest" || dir.lastPathComponent == "MacOS" || dir.lastPathComponent == "Contents" {
                dir = dir.deletingLastPathComponent()
            }
            candidates.append(dir.appendingPathComponent("swix").path)
        }
        if let root = packageRoot {
            candidates.append(root.appendingPathComponent(".build/debug/swix").path)
            candidates.append(root.appendingPathComponent(".build/release/swix").path)
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw TestSetupError("""
            the swix executable was not found (looked at: \(candidates.joined(separator: ", "))). \
            Build it first, e.g. `swift build` with the same --scratch-path as `swift test`.
            """)
    }

    /// The contents of a file as text (bytes decoded as UTF-8 with replacement), or nil.
    public static func readText(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }
}
