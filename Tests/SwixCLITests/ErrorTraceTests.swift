// Checks the complete error output (trace lines included) of the eval-fail corpus tests that
// swix matches byte for byte: each id in Tests/LanguageCorpus/error-traces-matching.txt must
// keep printing exactly its `.err.exp` (after `/pwd` normalisation and trimming, as
// shared/tools/langtest --check-errors compares). The list may only grow: tests that match but
// are not listed are reported, so they can be added.

import Foundation
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
}
