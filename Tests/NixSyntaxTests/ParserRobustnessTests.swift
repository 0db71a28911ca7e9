// Robustness of the front end: whatever the input, parsing ends with a tree (which prints) or with a
// `Diagnostic` that renders as an `error: …` message — never a crash, a hang or another error type.
//
// Inputs: every prefix (cut at line boundaries) of every `.nix` file of the language corpus,
// pathologically deep nesting, and seeded random byte mutations of the corpus files.
// The corpus is the in-repository copy `Tests/Data/nix-lang-tests` (override with `SWIX_CORPUS`);
// a missing corpus is a failure, not a skip.

import Foundation
import NixSyntax
import SwixTestSupport
import XCTest

final class ParserRobustnessTests: XCTestCase {

    // MARK: - Corpus

    /// The corpus directory (the parent of `lang/`), or a failure message.
    static func corpusDirectory() -> Result<URL, CorpusError> {
        do {
            return .success(URL(fileURLWithPath: try TestData.corpusDirectory()))
        } catch {
            return .failure(CorpusError(message: "\(error)"))
        }
    }

    struct CorpusError: Error { let message: String }

    struct CorpusFile {
        let path: String
        let relativePath: String
        let bytes: [UInt8]
    }

    /// Every `.nix` file under `lang/` (recursively), sorted by path.
    func corpusFiles() throws -> [CorpusFile] {
        let corpus: URL
        switch Self.corpusDirectory() {
        case .success(let url): corpus = url
        case .failure(let error):
            XCTFail(error.message)
            throw error
        }
        let lang = corpus.appendingPathComponent("lang")
        guard let enumerator = FileManager.default.enumerator(atPath: lang.path) else {
            let error = CorpusError(message: "cannot list \(lang.path)")
            XCTFail(error.message)
            throw error
        }
        var files: [CorpusFile] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".nix") else { continue }
            let path = lang.appendingPathComponent(relative).path
            guard let data = FileManager.default.contents(atPath: path) else { continue }  // e.g. a directory named *.nix
            files.append(CorpusFile(path: path, relativePath: "lang/" + relative, bytes: Array(data)))
        }
        files.sort { $0.relativePath < $1.relativePath }
        XCTAssertGreaterThan(files.count, 400, "expected the whole corpus under \(lang.path)")
        return files
    }

    // MARK: - The property

    static let options = ParseOptions(homeDirectory: "/fake-home")

    enum Outcome {
        case tree
        case diagnostic
        /// Anything else, described.
        case violation(String)
    }

    /// `.tree` when `bytes` parse to a tree that prints, `.diagnostic` for a well-formed diagnostic.
    /// `printOnLargeStack` prints on a large-stack thread (for trees far deeper than the test thread's stack allows).
    static func outcome(_ bytes: [UInt8], path: String, baseDirectory: String, printOnLargeStack: Bool = false) -> Outcome {
        let source = SourceFile(origin: .file(path: path), bytes: bytes, baseDirectory: baseDirectory)
        do {
            let tree = try NixFrontEnd.parse(source, symbols: SymbolTable(), options: options)
            let printed = printOnLargeStack ? withLargeStack { ASTPrinter.print(tree) } : ASTPrinter.print(tree)
            if printed.isEmpty { return .violation("parsed, but ASTPrinter printed nothing") }
            return .tree
        } catch let diagnostic as Diagnostic {
            let text = DiagnosticRenderer.render(diagnostic)
            if text.isEmpty { return .violation("diagnostic \(diagnostic.code) renders as an empty string") }
            if !text.hasPrefix("error: ") {
                return .violation("diagnostic \(diagnostic.code) renders without the `error: ` prefix: \(text.prefix(120).debugDescription)")
            }
            return .diagnostic
        } catch {
            return .violation("threw something that is not a Diagnostic: \(error)")
        }
    }

    /// Counts outcomes and reports a bounded number of violations.
    final class Violations {
        var count = 0
        var reported = 0
        var trees = 0
        var diagnostics = 0
        let limit = 25

        func check(_ outcome: Outcome, _ what: @autoclosure () -> String, input: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
            switch outcome {
            case .tree: trees += 1
            case .diagnostic: diagnostics += 1
            case .violation(let problem): record(what(), input: input, problem: problem, file: file, line: line)
            }
        }

        var summary: String { "\(trees) trees, \(diagnostics) diagnostics" }

        func record(_ what: String, input: [UInt8], problem: String, file: StaticString = #filePath, line: UInt = #line) {
            count += 1
            guard reported < limit else { return }
            reported += 1
            let excerpt = String(decoding: input.suffix(160), as: UTF8.self).debugDescription
            XCTFail("\(what): \(problem)\n  input (\(input.count) bytes) ends with: \(excerpt)", file: file, line: line)
        }

        func finish(_ what: String, checked: Int, file: StaticString = #filePath, line: UInt = #line) {
            if count > reported {
                XCTFail("\(count - reported) more \(what) violations not shown (\(count) of \(checked) inputs failed)", file: file, line: line)
            }
        }
    }

    static func elapsed(since start: Date) -> String {
        String(format: "%.1fs", Date().timeIntervalSince(start))
    }

    // MARK: - Prefixes of corpus files

    /// Every prefix of every corpus file cut at a line boundary (the first k lines, k = 0…all).
    func testEveryLinePrefixOfEveryCorpusFile() throws {
        let start = Date()
        let files = try corpusFiles()
        let violations = Violations()
        var inputs = 0
        for file in files {
            let base = (file.path as NSString).deletingLastPathComponent
            var cuts = [0]
            for (i, b) in file.bytes.enumerated() where b == UInt8(ascii: "\n") { cuts.append(i + 1) }
            if cuts.last != file.bytes.count { cuts.append(file.bytes.count) }
            for cut in cuts {
                let prefix = Array(file.bytes[..<cut])
                inputs += 1
                violations.check(Self.outcome(prefix, path: file.path, baseDirectory: base),
                                 "\(file.relativePath), first \(cut) bytes", input: prefix)
            }
        }
        violations.finish("prefix", checked: inputs)
        print("ParserRobustnessTests: \(inputs) line prefixes of \(files.count) corpus files (\(violations.summary)) in \(Self.elapsed(since: start))")
    }

    // MARK: - Deep nesting

    static let depth = 50_000

    func checkDeep(_ name: String, _ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let start = Date()
        // The addition chain parses to a 50,000-deep tree and `ASTPrinter.print` recurses once per
        // level, which a normal 8 MB thread stack cannot hold: print on a large stack, as the
        // command line does.
        let result = Self.outcome(Array(text.utf8), path: "/deep/\(name).nix", baseDirectory: "/deep", printOnLargeStack: true)
        if case .violation(let problem) = result {
            XCTFail("\(name): \(problem)", file: file, line: line)
        }
        print("ParserRobustnessTests: \(name) (\(text.utf8.count) bytes): \(result) in \(Self.elapsed(since: start))")
    }

    func testDeeplyNestedParentheses() {
        checkDeep("parentheses", String(repeating: "(", count: Self.depth) + "1" + String(repeating: ")", count: Self.depth))
    }

    func testDeeplyNestedLists() {
        checkDeep("lists", String(repeating: "[", count: Self.depth) + String(repeating: "]", count: Self.depth))
    }

    func testDeeplyNestedAttributeSets() {
        checkDeep("attribute sets", String(repeating: "{a=", count: Self.depth) + "1" + String(repeating: ";}", count: Self.depth))
    }

    func testChainedLets() {
        checkDeep("lets", String(repeating: "let a = 1; in ", count: Self.depth) + "a")
    }

    func testLongAdditionChain() {
        checkDeep("addition chain", Array(repeating: "1", count: Self.depth).joined(separator: " + "))
    }

    // Runs of path characters that are not paths: the lexer tries the path rules at every name
    // and operator of such a run, which used to rescan the run each time (quadratic: 49 s for
    // 40,000 unary minus signs). A million of each must lex in linear time.
    static let runLength = 1_000_000

    func testLongUnaryMinusChain() {
        checkDeep("unary minus chain", String(repeating: "-", count: Self.runLength) + "1")
    }

    func testLongSelectionChain() {
        checkDeep("selection chain", "a" + String(repeating: ".a", count: Self.runLength))
    }

    func testLongDashedIdentifier() {
        checkDeep("dashed identifier", "a" + String(repeating: "-a", count: Self.runLength))
    }

    func testLongPathOfManySegments() {
        checkDeep("path segments", "./a" + String(repeating: "/a-b.c", count: Self.runLength))
    }

    /// An error on a line of a megabyte shows a window of the line around the caret, not all of it.
    func testLongLinesAreCutInErrorExcerpts() throws {
        let text = String(repeating: "a", count: 1 << 19) + " in " + String(repeating: "b", count: 1 << 19)
        let source = SourceFile(origin: .file(path: "/long-line.nix"), text: text, baseDirectory: "/")
        do {
            _ = try Parser.parse(source, symbols: SymbolTable())
            XCTFail("parsed")
        } catch let d as Diagnostic {
            let lines = DiagnosticRenderer.render(d).split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(lines.first, "error: syntax error, unexpected 'in', expecting end of file")
            XCTAssertEqual(lines.count, 5)
            let code = lines[2], caret = lines[3]
            XCTAssertLessThan(code.utf8.count, 2 * DiagnosticRenderer.maxExcerptBytes)
            let column = caret.count - 1
            XCTAssertEqual(caret.last, "^")
            XCTAssertEqual(Array(code)[column...].prefix(2), ["i", "n"])
            XCTAssertTrue(code.hasSuffix("b…") && code.contains("| …a"))
        }
    }

    // MARK: - Random mutations

    static let mutantsPerFile = 20

    /// For each corpus file, `mutantsPerFile` variants with 1–3 random edits each (fixed seed).
    func testRandomMutationsOfCorpusFiles() throws {
        let start = Date()
        let files = try corpusFiles()
        let violations = Violations()
        var rng = SplitMix64(state: 0x5357_4958)  // "SWIX"
        var inputs = 0
        for file in files {
            let base = (file.path as NSString).deletingLastPathComponent
            for mutant in 0..<Self.mutantsPerFile {
                var bytes = file.bytes
                for _ in 0..<Int.random(in: 1...3, using: &rng) { Mutation.mutate(&bytes, using: &rng) }
                inputs += 1
                violations.check(Self.outcome(bytes, path: file.path, baseDirectory: base),
                                 "\(file.relativePath), mutant \(mutant)", input: bytes)
            }
        }
        violations.finish("mutation", checked: inputs)
        print("ParserRobustnessTests: \(inputs) mutants of \(files.count) corpus files (\(violations.summary)) in \(Self.elapsed(since: start))")
    }
}
