// Runs the Nix language test corpus (C++ Nix's tests/functional/lang) against the built `swix`
// executable, exactly as Tests/Data/nix-lang-tests/README.md describes, and compares the result
// with a checked-in list of expected failures that may only shrink.
//
// * Tests: every row of MANIFEST.tsv whose `ref_2.26` column is `pass` (kinds parse-okay,
//   parse-fail, eval-okay, eval-okay-xml, eval-fail).
// * Expected failures: Tests/LanguageCorpus/expected-failures.txt (one test id per line,
//   `#` comments). The suite fails when a test that is not listed fails, when a listed test passes
//   (remove it from the list), and when the list names a test that does not exist.
// * `SWIX_WRITE_EXPECTED_FAILURES=1 swift test --filter LanguageCorpusTests` rewrites the list with
//   exactly the tests that fail now, instead of failing.
// * The corpus is the in-repository copy `Tests/Data/nix-lang-tests`; `SWIX_CORPUS=DIR` points at another.
//   A missing corpus or a missing `swix` executable is a failure, not a skip.

import Foundation
import SwixTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

final class LanguageCorpusTests: XCTestCase {

    // MARK: - Configuration

    /// Seconds one test may run before it is killed (and counted as failed).
    static let timeout: TimeInterval = 60
    /// Subprocesses running at the same time.
    static let parallelism = 4

    /// Kept outside the test target's directory so that SwiftPM does not see an undeclared resource.
    static let expectedFailuresFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("LanguageCorpus/expected-failures.txt")

    static let expectedFailuresHeader = """
        # Language-corpus tests (ids from Tests/Data/nix-lang-tests/MANIFEST.tsv) that swix is known to fail.
        # Checked by Tests/SwixCLITests/LanguageCorpusTests.swift. This list may only shrink:
        # - a test that fails and is not listed here fails the suite (fix it; do not add it here);
        # - a listed test that passes fails the suite too ("now passes: remove it from expected-failures.txt");
        # - an id that is not a runnable corpus test fails the suite.
        # Regenerate with exactly the current failures (developer tool, check the diff before committing):
        #   SWIX_WRITE_EXPECTED_FAILURES=1 swift test --filter LanguageCorpusTests
        # One test id per line; `#` starts a comment.

        """

    typealias SetupError = TestSetupError

    static func corpusDirectory() throws -> String { try TestData.corpusDirectory() }
    static func swixExecutable() throws -> String { try TestData.swixExecutable() }

    // MARK: - Manifest and test definitions

    enum Kind: String, CaseIterable {
        case parseOkay = "parse-okay"
        case parseFail = "parse-fail"
        case evalOkay = "eval-okay"
        case evalOkayXML = "eval-okay-xml"
        case evalFail = "eval-fail"
    }

    struct CorpusTest {
        let id: String
        let kind: Kind
        /// Arguments after `swix`.
        let arguments: [String]
        let environment: [String: String]
        /// The file given on stdin (parse tests), else /dev/null.
        let standardInput: String?
        /// Expected stdout (already trimmed), for parse-okay / eval-okay / eval-okay-xml.
        let expectedOutput: String?
    }

    static func readText(_ path: String) -> String? { TestData.readText(path) }

    /// The runnable tests: manifest rows with `ref_2.26 == pass`.
    static func loadTests(corpus: String, home: String) throws -> [CorpusTest] {
        guard let manifest = readText(corpus + "/MANIFEST.tsv") else {
            throw SetupError("cannot read \(corpus)/MANIFEST.tsv")
        }
        var lines = manifest.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init),
              let testColumn = header.firstIndex(of: "test"),
              let kindColumn = header.firstIndex(of: "kind"),
              let refColumn = header.firstIndex(of: "ref_2.26")
        else {
            throw SetupError("MANIFEST.tsv has no header with columns test, kind, ref_2.26")
        }
        lines.removeFirst()

        var base: [String: String] = [
            "TEST_VAR": "foo",
            "NIX_REMOTE": "dummy://",
            "NIX_STORE_DIR": "/nix/store",
            "IMPURE_VAR1": "foo",
            "IMPURE_VAR2": "bar",
            "PAGER": "cat",
            "HOME": home,
        ]
        for kept in ["PATH", "LD_LIBRARY_PATH"] {
            if let value = ProcessInfo.processInfo.environment[kept] { base[kept] = value }
        }

        var tests: [CorpusTest] = []
        for line in lines where !line.hasPrefix("#") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count > max(testColumn, kindColumn, refColumn) else { continue }
            guard columns[refColumn] == "pass" else { continue }
            let id = columns[testColumn]
            guard let kind = Kind(rawValue: columns[kindColumn]) else {
                throw SetupError("MANIFEST.tsv: unknown kind '\(columns[kindColumn])' for \(id)")
            }
            // `lang/eval-okay-NAME.xml` is the XML variant of `lang/eval-okay-NAME.nix`.
            let stem = kind == .evalOkayXML ? String(id.dropLast(".xml".count)) : id
            let relativeFile = stem + ".nix"
            let absoluteStem = corpus + "/" + stem
            guard FileManager.default.fileExists(atPath: corpus + "/" + relativeFile) else {
                throw SetupError("MANIFEST.tsv names \(id), but \(corpus)/\(relativeFile) does not exist")
            }
            let directory = (stem as NSString).deletingLastPathComponent  // "lang"
            var environment = base
            var arguments = ["instantiate"]
            var standardInput: String? = nil
            var expected: String? = nil

            switch kind {
            case .parseOkay, .parseFail:
                arguments += ["--parse", "-"]
                standardInput = corpus + "/" + relativeFile
                if kind == .parseOkay { expected = readText(absoluteStem + ".exp") }
            case .evalOkay:
                environment["NIX_PATH"] = "\(directory)/dir3:\(directory)/dir4"
                environment["HOME"] = "/fake-home"
                var flags: [String] = []
                if let text = readText(absoluteStem + ".flags") {
                    let firstLine = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
                    flags = splitWords(firstLine)
                }
                arguments += flags + ["--eval", "--strict", relativeFile]
                expected = readText(absoluteStem + ".exp")
            case .evalOkayXML:
                arguments += ["--eval", "--xml", "--no-location", "--strict", relativeFile]
                expected = readText(absoluteStem + ".exp.xml")
                if expected == nil {
                    throw SetupError("\(id): \(absoluteStem).exp.xml is missing")
                }
            case .evalFail:
                var flags = ["--eval", "--strict", "--show-trace"]
                if let text = readText(absoluteStem + ".flags") {
                    let withoutComments = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                        line.firstIndex(of: "#").map { String(line[..<$0]) } ?? String(line)
                    }.joined(separator: "\n")
                    flags = splitWords(withoutComments)
                }
                arguments += flags + [relativeFile]
            }
            tests.append(CorpusTest(
                id: id, kind: kind, arguments: arguments, environment: environment,
                standardInput: standardInput, expectedOutput: expected.map(trim)))
        }
        return tests
    }

    static func splitWords(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
    }

    static func trim(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: - Running one test

    typealias RunResult = SubprocessResult

    /// Runs `swix` with the test's arguments in the corpus directory, with the corpus path in its
    /// output replaced by `/pwd`.
    static func run(_ test: CorpusTest, swix: String, corpus: String, scratch: String) -> RunResult {
        var result = Subprocess.run(
            swix, test.arguments, environment: test.environment, directory: corpus,
            standardInput: test.standardInput, scratch: scratch, timeout: timeout)
        let realCorpus = URL(fileURLWithPath: corpus).resolvingSymlinksInPath().path
        func normalise(_ text: String) -> String {
            var text = text
            for directory in Set([corpus, realCorpus]) {
                text = text.replacingOccurrences(of: directory, with: "/pwd")
            }
            return text
        }
        result.stdout = normalise(result.stdout)
        result.stderr = normalise(result.stderr)
        return result
    }

    /// nil when the test passes, otherwise a short explanation.
    static func verdict(_ test: CorpusTest, _ r: RunResult) -> String? {
        if let error = r.launchError { return error }
        if r.timedOut { return "timed out after \(Int(timeout)) s (killed)" }
        if r.signaled { return "killed by signal \(r.exitStatus)" + stderrExcerpt(r) }
        switch test.kind {
        case .parseFail, .evalFail:
            if r.exitStatus == 0 { return "succeeded, but must fail; stdout: \(excerpt(r.stdout, 200))" }
            if !(1...125).contains(r.exitStatus) { return "exit status \(r.exitStatus) (must be 1…125)" + stderrExcerpt(r) }
            return nil
        case .parseOkay, .evalOkay, .evalOkayXML:
            if r.exitStatus != 0 { return "exit status \(r.exitStatus)" + stderrExcerpt(r) }
            guard let expected = test.expectedOutput else { return nil }
            let actual = trim(r.stdout)
            if actual == expected { return nil }
            return "stdout differs from the expected output\n" + lineDiff(expected: expected, actual: actual) + stderrExcerpt(r)
        }
    }

    static func excerpt(_ text: String, _ limit: Int) -> String {
        let t = trim(text)
        return t.count <= limit ? t : String(t.prefix(limit)) + "…"
    }

    static func stderrExcerpt(_ r: RunResult) -> String {
        let t = trim(r.stderr)
        if t.isEmpty { return "" }
        let lines = t.split(separator: "\n", omittingEmptySubsequences: false).prefix(6).map { "      " + excerpt(String($0), 200) }
        return "\n    stderr:\n" + lines.joined(separator: "\n")
    }

    /// The first differing line of two texts, with line numbers.
    static func lineDiff(expected: String, actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var i = 0
        while i < e.count && i < a.count && e[i] == a[i] { i += 1 }
        let expectedLine = i < e.count ? excerpt(String(e[i]), 300) : "<end of output>"
        let actualLine = i < a.count ? excerpt(String(a[i]), 300) : "<end of output>"
        return "    first difference at line \(i + 1) (expected \(e.count) lines, got \(a.count)):\n"
            + "    - \(expectedLine)\n"
            + "    + \(actualLine)"
    }

    // MARK: - Expected failures

    struct ExpectedFailures {
        var ids: [String] = []
        var duplicates: [String] = []
    }

    static func readExpectedFailures() -> ExpectedFailures {
        var list = ExpectedFailures()
        guard let text = readText(expectedFailuresFile.path) else { return list }
        var seen = Set<String>()
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.firstIndex(of: "#").map { raw[..<$0] } ?? raw[...]
            let id = trim(String(line))
            if id.isEmpty { continue }
            if !seen.insert(id).inserted { list.duplicates.append(id) }
            list.ids.append(id)
        }
        return list
    }

    static func writeExpectedFailures(_ ids: [String]) throws {
        let text = expectedFailuresHeader + ids.sorted().map { $0 + "\n" }.joined()
        try FileManager.default.createDirectory(
            at: expectedFailuresFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: expectedFailuresFile, atomically: true, encoding: .utf8)
    }

    // MARK: - Concurrency

    /// Shared state of the worker threads.
    final class Work: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        let tests: [CorpusTest]
        private(set) var results: [String?]

        init(_ tests: [CorpusTest]) {
            self.tests = tests
            self.results = Array(repeating: nil, count: tests.count)
        }

        func take() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < tests.count else { return nil }
            next += 1
            return next - 1
        }

        func store(_ index: Int, _ verdict: String?) {
            lock.lock()
            results[index] = verdict
            lock.unlock()
        }
    }

    /// Runs all tests with at most `parallelism` subprocesses at once; returns each test's verdict.
    static func runAll(_ tests: [CorpusTest], swix: String, corpus: String, scratch: String) -> [String?] {
        let work = Work(tests)
        let group = DispatchGroup()
        for _ in 0..<min(parallelism, max(tests.count, 1)) {
            group.enter()
            let thread = Thread {
                while let i = work.take() {
                    let r = run(work.tests[i], swix: swix, corpus: corpus, scratch: scratch)
                    work.store(i, verdict(work.tests[i], r))
                }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        return work.results
    }

    // MARK: - The test

    func testLanguageCorpus() throws {
        let start = Date()
        let corpus: String
        let swix: String
        do {
            corpus = try Self.corpusDirectory()
            swix = try Self.swixExecutable()
        } catch {
            XCTFail("\(error)")
            return
        }

        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("swix-corpus-\(getpid())-\(UUID().uuidString)").path
        let home = scratch + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        let tests: [CorpusTest]
        do {
            tests = try Self.loadTests(corpus: corpus, home: home)
        } catch {
            XCTFail("\(error)")
            return
        }
        XCTAssertGreaterThan(tests.count, 400, "expected the whole corpus (MANIFEST.tsv lists 466 runnable tests)")

        let verdicts = Self.runAll(tests, swix: swix, corpus: corpus, scratch: scratch)

        let allIDs = Set(tests.map(\.id))
        var failing: [String] = []
        var passedByKind: [Kind: Int] = [:]
        var totalByKind: [Kind: Int] = [:]
        for (test, verdict) in zip(tests, verdicts) {
            totalByKind[test.kind, default: 0] += 1
            if verdict == nil { passedByKind[test.kind, default: 0] += 1 } else { failing.append(test.id) }
        }

        let expected = Self.readExpectedFailures()
        let expectedSet = Set(expected.ids)
        let unexpectedFailures = zip(tests, verdicts).filter { $0.1 != nil && !expectedSet.contains($0.0.id) }
        let nowPassing = zip(tests, verdicts).filter { $0.1 == nil && expectedSet.contains($0.0.id) }.map(\.0.id)
        let unknown = expected.ids.filter { !allIDs.contains($0) }

        let counts = Kind.allCases.map { kind in
            "\(passedByKind[kind] ?? 0)/\(totalByKind[kind] ?? 0) \(kind.rawValue)"
        }.joined(separator: ", ")
        print("""
            corpus: \(counts) passed; \(failing.count) failing, \(expectedSet.count) expected failures listed \
            (\(unexpectedFailures.count) unexpected failures, \(nowPassing.count) now passing); \
            swix = \(swix); \(String(format: "%.1f", Date().timeIntervalSince(start))) s
            """)

        if ProcessInfo.processInfo.environment["SWIX_WRITE_EXPECTED_FAILURES"] == "1" {
            try Self.writeExpectedFailures(failing)
            print("corpus: wrote \(failing.count) ids to \(Self.expectedFailuresFile.path)")
            return
        }

        if FileManager.default.fileExists(atPath: Self.expectedFailuresFile.path) == false {
            XCTFail("\(Self.expectedFailuresFile.path) is missing; create it with SWIX_WRITE_EXPECTED_FAILURES=1")
        }
        for (test, verdict) in unexpectedFailures {
            XCTFail("\(test.id) [\(test.kind.rawValue)] failed: \(verdict ?? "")\n    command: swix \(test.arguments.joined(separator: " "))")
        }
        for id in nowPassing {
            XCTFail("\(id) now passes: remove it from expected-failures.txt")
        }
        for id in unknown {
            XCTFail("expected-failures.txt names \(id), which is not a runnable corpus test (ref_2.26 == pass in MANIFEST.tsv)")
        }
        for id in Set(expected.duplicates) {
            XCTFail("expected-failures.txt lists \(id) more than once")
        }
    }

    // MARK: - Deep input through the command line

    /// Deep inputs that currently crash `swix instantiate --parse` (a list that may only shrink;
    /// empty now that printing runs on a large stack).
    static let knownDeepCrashes: Set<String> = []

    /// 50,000-deep inputs through the executable (where printing happens on the main thread): the
    /// command must end with exit status 0 or 1, not a crash or a timeout.
    func testDeepInputsDoNotCrashTheCommandLine() throws {
        let swix: String
        do {
            swix = try Self.swixExecutable()
        } catch {
            XCTFail("\(error)")
            return
        }
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("swix-deep-\(getpid())-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        let depth = 50_000
        let inputs: [(String, String)] = [
            ("parentheses", String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)),
            ("lists", String(repeating: "[", count: depth) + String(repeating: "]", count: depth)),
            ("attribute sets", String(repeating: "{a=", count: depth) + "1" + String(repeating: ";}", count: depth)),
            ("lets", String(repeating: "let a = 1; in ", count: depth) + "a"),
            ("addition chain", Array(repeating: "1", count: depth).joined(separator: " + ")),
        ]
        var environment = ["HOME": scratch, "SWIFT_BACKTRACE": "enable=no"]
        if let path = ProcessInfo.processInfo.environment["PATH"] { environment["PATH"] = path }
        for (index, (name, text)) in inputs.enumerated() {
            let file = scratch + "/deep-\(index).nix"
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let test = CorpusTest(
                id: name, kind: .parseOkay, arguments: ["instantiate", "--parse", "-"], environment: environment,
                standardInput: file, expectedOutput: nil)
            let r = Self.run(test, swix: swix, corpus: scratch, scratch: scratch)
            let ok = r.launchError == nil && !r.timedOut && !r.signaled && (r.exitStatus == 0 || r.exitStatus == 1)
            let outcome = r.launchError ?? (r.timedOut ? "timed out"
                : r.signaled ? "killed by signal \(r.exitStatus)" : "exit status \(r.exitStatus)")
            if Self.knownDeepCrashes.contains(name) {
                if ok {
                    XCTFail("deep \(name) no longer crashes (\(outcome)): remove it from knownDeepCrashes")
                } else {
                    print("known crash: swix instantiate --parse - with 50,000-deep \(name): \(outcome)")
                }
            } else if !ok {
                XCTFail("swix instantiate --parse - with 50,000-deep \(name): \(outcome)" + Self.stderrExcerpt(r))
            }
        }
    }
}
