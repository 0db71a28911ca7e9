// Differential tests against C++ Nix 2.26: small expressions over every builtin and operator,
// whose reference answers were recorded once with `nix-ref` by Tests/Tools/differential-reference.py
// into Tests/Differential/expected/GROUP.jsonl (from the expressions in cases/GROUP.txt).
//
// Each case runs `swix instantiate --eval --strict -E EXPR` (or, for `@args [JSON array]`, that
// command line) in-process, in Tests/Differential,
// and must agree with the reference on success or failure, on stdout byte for byte, on the
// final `error:` message, and on `trace:` / `evaluation warning:` lines. Cases where Swix is
// known to differ are listed in Tests/Differential/known-differences.txt (`GROUP<TAB>EXPR`);
// that list may only shrink: a listed case that agrees fails the test until it is removed.
// `SWIX_WRITE_KNOWN_DIFFERENCES=1` rewrites it with the current differences (check the diff).

import Foundation
import SwixCLI
import SwixTestSupport
import XCTest

final class DifferentialTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Differential").path
    static let knownDifferencesFile = directory + "/known-differences.txt"

    struct Case {
        let group: String
        let expr: String
        let exit: Int
        let stdout: String
        let error: String
        let messages: [String]
        var key: String { group + "\t" + expr }
    }

    static func loadCases() throws -> [Case] {
        let expected = directory + "/expected"
        let files = try FileManager.default.contentsOfDirectory(atPath: expected).filter { $0.hasSuffix(".jsonl") }.sorted()
        var cases: [Case] = []
        for file in files {
            let group = String(file.dropLast(".jsonl".count))
            guard let text = TestData.readText(expected + "/" + file) else { throw TestSetupError("cannot read \(file)") }
            for line in text.split(separator: "\n") {
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let expr = object["expr"] as? String, let exit = object["exit"] as? Int,
                      let stdout = object["stdout"] as? String, let error = object["error"] as? String
                else { throw TestSetupError("\(file): malformed line \(line.prefix(80))") }
                cases.append(Case(group: group, expr: expr, exit: exit, stdout: stdout, error: error,
                                  messages: object["messages"] as? [String] ?? []))
            }
        }
        return cases
    }

    /// The last `error: …` line of a message, without the prefix (as the generator extracts it).
    static func finalError(_ stderr: String) -> String {
        let lines = stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let last = lines.last(where: { $0.hasPrefix("error:") && $0 != "error:" }) else { return "" }
        return last.dropFirst("error:".count).trimmingCharacters(in: .whitespaces)
    }

    static func messages(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("trace: ") || $0.hasPrefix("evaluation warning: ") }
    }

    /// nil when Swix agrees with the reference, else what differs.
    static func difference(_ c: Case) -> String? {
        let environment = ["HOME": "/tmp/swix-differential-home", "NIX_STORE_DIR": "/nix/store", "NIX_REMOTE": "dummy://", "TEST_VAR": "foo"]
        let arguments: [String]
        if c.expr.hasPrefix("@args "),
           let list = try? JSONSerialization.jsonObject(with: Data(c.expr.dropFirst("@args ".count).utf8)) as? [String] {
            arguments = list
        } else {
            arguments = ["--eval", "--strict", "-E", c.expr]
        }
        let result = SwixCommandLine.run(Invocation(
            arguments: ["instantiate"] + arguments, environment: environment,
            currentDirectory: directory, readStandardInput: { [] }))
        let stdout = result.stdoutText.replacingOccurrences(of: directory, with: "/pwd")
        let stderr = result.stderrText.replacingOccurrences(of: directory, with: "/pwd")
        if (result.exitCode == 0) != (c.exit == 0) {
            return c.exit == 0
                ? "fails, the reference gives \(c.stdout.debugDescription): \(finalError(stderr))"
                : "succeeds with \(stdout.debugDescription), the reference fails: \(c.error)"
        }
        if c.exit == 0 && stdout != c.stdout {
            return "stdout \(stdout.debugDescription), the reference \(c.stdout.debugDescription)"
        }
        if c.exit != 0 && finalError(stderr) != c.error {
            return "error \(finalError(stderr).debugDescription), the reference \(c.error.debugDescription)"
        }
        if messages(stderr) != c.messages {
            return "messages \(messages(stderr)), the reference \(c.messages)"
        }
        return nil
    }

    static func readKnownDifferences() -> [String] {
        (TestData.readText(knownDifferencesFile) ?? "").split(separator: "\n", omittingEmptySubsequences: true)
            .map(String.init).filter { !$0.hasPrefix("#") }
    }

    func testAgreesWithTheReference() throws {
        let cases = try Self.loadCases()
        XCTAssertGreaterThan(cases.count, 0, "no cases in \(Self.directory)/expected")
        let known = Set(Self.readKnownDifferences())
        var differing: [String] = []
        var agreeing = 0
        for c in cases {
            if let d = Self.difference(c) {
                differing.append(c.key)
                if !known.contains(c.key) { XCTFail("[\(c.group)] \(c.expr)\n    \(d)") }
            } else {
                agreeing += 1
                if known.contains(c.key) { XCTFail("[\(c.group)] \(c.expr) now agrees: remove it from known-differences.txt") }
            }
        }
        let keys = Set(cases.map(\.key))
        for k in known where !keys.contains(k) { XCTFail("known-differences.txt names a case that does not exist: \(k)") }
        print("differential: \(agreeing)/\(cases.count) cases agree with Nix 2.26; \(differing.count) differ, \(known.count) known")
        if ProcessInfo.processInfo.environment["SWIX_WRITE_KNOWN_DIFFERENCES"] == "1" {
            let header = "# Differential cases (GROUP<TAB>EXPR) where swix is known to differ from Nix 2.26. Only shrinks.\n"
            try (header + differing.sorted().map { $0 + "\n" }.joined()).write(toFile: Self.knownDifferencesFile, atomically: true, encoding: .utf8)
        }
    }
}
