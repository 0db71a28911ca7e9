// Robustness of the whole evaluator: seeded random mutations of real Nix files (the language
// corpus's eval-okay tests and nixpkgs lib) are evaluated with `swix instantiate --eval
// --strict`. Whatever the mutant, Swix must end in time with a value or an `error:` message:
// never a signal (a crash), never a Swift runtime failure, never a hang.
//
// A mutant is fed on standard input and run in the directory of its original, so that its
// relative imports still resolve and evaluation reaches past the edit.

import Foundation
import SwixTestSupport
import XCTest

final class EvaluatorMutationTests: XCTestCase {
    /// Mutants per source file; files are taken in a fixed order, so runs are reproducible.
    static let mutantsPerFile = 3
    /// A mutant taking longer than this counts as a hang.
    static let timeout: TimeInterval = 30

    static func sources() throws -> [String] {
        let corpus = try TestData.corpusDirectory() + "/lang"
        let lib = try TestData.nixpkgsLibDirectory() + "/lib"
        let fm = FileManager.default
        var files = (try fm.contentsOfDirectory(atPath: corpus)).filter { $0.hasPrefix("eval-okay-") && $0.hasSuffix(".nix") }
            .sorted().map { corpus + "/" + $0 }
        files += (try fm.contentsOfDirectory(atPath: lib)).filter { $0.hasSuffix(".nix") }.sorted().map { lib + "/" + $0 }
        files += ["misc.nix", "systems.nix"].map { lib + "/tests/" + $0 }
        return files
    }

    func testMutantsOfRealFilesNeverCrash() throws {
        let swix = try TestData.swixExecutable()
        let scratch = try Subprocess.makeScratchDirectory("swix-mutants")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var rng = SplitMix64(state: 0x4D55_5441)  // "MUTA"
        var runs = 0, errors = 0
        var problems: [String] = []
        let start = Date()
        for file in try Self.sources() {
            guard let original = FileManager.default.contents(atPath: file).map({ [UInt8]($0) }) else { continue }
            let directory = (file as NSString).deletingLastPathComponent
            for k in 0..<Self.mutantsPerFile {
                var bytes = original
                for _ in 0..<Int.random(in: 1...3, using: &rng) { Mutation.mutate(&bytes, using: &rng) }
                let input = scratch + "/mutant.nix"
                _ = FileManager.default.createFile(atPath: input, contents: Data(bytes))
                let r = Subprocess.run(swix, ["instantiate", "--eval", "--strict", "-"], environment: [
                    "HOME": scratch, "SWIFT_BACKTRACE": "enable=no", "NIX_PATH": "",
                ], directory: directory, standardInput: input, scratch: scratch, timeout: Self.timeout)
                runs += 1
                let name = "\((file as NSString).lastPathComponent) mutant \(k)"
                if r.signaled || r.timedOut || r.launchError != nil {
                    problems.append("\(name): \(r.outcome)")
                    try? Data(bytes).write(to: URL(fileURLWithPath: scratch + "/../swix-failing-\(name.replacingOccurrences(of: " ", with: "-"))"))
                } else if r.exitStatus != 0 {
                    errors += 1
                    if !r.stderr.contains("error:") || r.stderr.contains("Fatal error") || r.stderr.contains("runtime failure") {
                        problems.append("\(name): exit \(r.exitStatus) without an error message: \(r.stderr.prefix(300))")
                    }
                }
            }
        }
        print("EvaluatorMutationTests: \(runs) mutants, \(errors) evaluation errors, \(problems.count) problems in \(String(format: "%.1f", Date().timeIntervalSince(start)))s")
        for p in problems.prefix(20) { XCTFail(p) }
    }
}
