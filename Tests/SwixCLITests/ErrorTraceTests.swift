// Checks complete error outputs (trace lines included) byte for byte:
// * the eval-fail corpus tests listed in Tests/LanguageCorpus/error-traces-matching.txt must keep
//   printing exactly their `.err.exp` (after `/pwd` normalisation and trimming, as
//   shared/tools/langtest --check-errors compares). The list may only grow: tests that match but
//   are not listed are reported, so they can be added.
// * the expressions of Tests/ErrorTraces/cases.txt must print what C++ Nix 2.26 printed, with and
//   without --show-trace (Tests/ErrorTraces/expected.jsonl, from Tests/Tools/error-trace-reference.py).

import Foundation
import SwixCLI
import SwixTestSupport
import XCTest

final class ErrorTraceTests: XCTestCase {
    static let listFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("LanguageCorpus/error-traces-matching.txt")

    static func listedIDs() -> [String] {
        guard let text = TestData.readText(listFile.path) else { return [] }
        return text.split(separator: "\n").compactMap { raw in
            let line = raw.firstIndex(of: "#").map { raw[..<$0] } ?? raw[...]
            let id = line.trimmingCharacters(in: .whitespaces)
            return id.isEmpty ? nil : id
        }
    }

    func testMatchingErrorOutputsStayMatching() throws {
        let corpus = try TestData.corpusDirectory()
        let swix = try TestData.swixExecutable()
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("swix-traces-\(getpid())-\(UUID().uuidString)").path
        let home = scratch + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        let listed = Self.listedIDs()
        XCTAssertGreaterThan(listed.count, 0, "\(Self.listFile.path) lists no test")
        let tests = try LanguageCorpusTests.loadTests(corpus: corpus, home: home).filter { $0.kind == .evalFail }
        let byID = Dictionary(tests.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let listedSet = Set(listed)
        var newlyMatching: [String] = []
        for test in tests {
            let expectedPath = corpus + "/" + test.id + ".err.exp"
            // `.postprocess` scripts rewrite the output before comparing; those are not checked here.
            guard let expected = TestData.readText(expectedPath),
                  !FileManager.default.fileExists(atPath: corpus + "/" + test.id + ".postprocess") else {
                if listedSet.contains(test.id) { XCTFail("\(test.id): no .err.exp to compare with") }
                continue
            }
            let isListed = listedSet.contains(test.id)
            let r = LanguageCorpusTests.run(test, swix: swix, corpus: corpus, scratch: scratch)
            let actual = LanguageCorpusTests.trim(r.stderr)
            let wanted = LanguageCorpusTests.trim(expected)
            if actual == wanted {
                if !isListed { newlyMatching.append(test.id) }
            } else if isListed {
                XCTFail("\(test.id): error output no longer matches .err.exp\n"
                    + LanguageCorpusTests.lineDiff(expected: wanted, actual: actual))
            }
        }
        for id in listed where byID[id] == nil {
            XCTFail("\(id) is listed in error-traces-matching.txt but is not an eval-fail corpus test")
        }
        if !newlyMatching.isEmpty {
            print("error traces now matching (add to error-traces-matching.txt):\n" + newlyMatching.joined(separator: "\n"))
        }
    }

    func testTracesAgreeWithTheReference() throws {
        let directory = Self.listFile.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ErrorTraces").path
        guard let text = TestData.readText(directory + "/expected.jsonl") else {
            XCTFail("\(directory)/expected.jsonl is missing")
            return
        }
        var count = 0
        for line in text.split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let expr = object["expr"] as? String, let showTrace = object["showTrace"] as? Bool,
                  let exit = object["exit"] as? Int, let stderr = object["stderr"] as? String else {
                XCTFail("malformed line in expected.jsonl: \(line)")
                continue
            }
            count += 1
            let arguments = ["instantiate", "--eval", "--strict"] + (showTrace ? ["--show-trace"] : []) + ["-E", expr]
            let result = SwixCommandLine.run(Invocation(
                arguments: arguments, environment: ["HOME": "/tmp/swix-traces-home", "NIX_STORE_DIR": "/nix/store", "NIX_REMOTE": "dummy://"],
                currentDirectory: directory, readStandardInput: { [] }))
            XCTAssertEqual(result.exitCode == 0, exit == 0, "\(expr) (show-trace: \(showTrace)): exit status")
            if result.stderrText != stderr {
                XCTFail("\(expr) (show-trace: \(showTrace)): stderr differs\n"
                    + LanguageCorpusTests.lineDiff(expected: stderr, actual: result.stderrText))
            }
        }
        XCTAssertGreaterThan(count, 0)
    }
}
