// Deep inputs for the data-format builtins: parsers and serialisers keep nesting on explicit
// stacks (heap memory) and force values through the VM's frame stack, never by native recursion
// or nested VM runs, so depth that input controls cannot overflow the native stack.
//
// C++ Nix 2.26 parses a 1,000,000-deep JSON array (nlohmann's parser keeps a stack of states),
// but serialises recursively: toJSON fails with "stack overflow (possible infinite recursion)"
// at about 99,500 levels; its TOML reader (toml11) needs minutes for 10,000 nested arrays. The
// deep cases therefore check the arithmetically right answer, or C++ Nix's message where it
// fails; tests/Differential/cases/{json,toml,xml}.txt compare moderate depths with nix-ref.

import SwixCLI
import XCTest

final class FormatsDepthTests: XCTestCase {
    private func run(_ arguments: [String]) -> InvocationResult {
        SwixCommandLine.run(Invocation(arguments: ["instantiate"] + arguments, environment: [:],
                                       currentDirectory: "/tmp", readStandardInput: { [] }))
    }

    private func check(_ expr: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        let r = run(["--eval", "--strict", "-E", expr])
        XCTAssertEqual(r.exitCode, 0, r.stderrText, file: file, line: line)
        XCTAssertEqual(r.stdoutText, expected + "\n", file: file, line: line)
    }

    private func checkError(_ expr: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        let r = run(["--eval", "--strict", "-E", expr])
        XCTAssertEqual(r.exitCode, 1, file: file, line: line)
        XCTAssertTrue(r.stderrText.contains("error: \(message)"), r.stderrText, file: file, line: line)
    }

    /// `n` copies of `s` joined (by doubling: log₂ n concatenations).
    private func repeated(_ s: String, _ n: Int) -> String {
        "(let p = n: if n == 0 then \"\" else let h = p (n / 2); in h + h + (if n - 2 * (n / 2) == 1 then \"\(s)\" else \"\"); in p \(n))"
    }

    /// The value `n` levels inside `v` (one-element lists, or sets with `a`), read iteratively.
    private func inside(_ v: String, _ n: Int, list: Bool = true) -> String {
        "builtins.foldl' (v: _: \(list ? "builtins.head v" : "v.a")) (\(v)) (builtins.genList (x: x) \(n))"
    }

    func testDeepJSONParses() {
        let text = "(\(repeated("[", 1_000_000)) + \"1\" + \(repeated("]", 1_000_000)))"
        check(inside("builtins.fromJSON \(text)", 999_999), "[ 1 ]")
        let objects = "(\(repeated("{\\\"a\\\":", 200_000)) + \"1\" + \(repeated("}", 200_000)))"
        check(inside("builtins.fromJSON \(objects)", 199_999, list: false), "{ a = 1; }")
    }

    func testDeepJSONErrorsAreReported() {
        checkError("builtins.fromJSON (\(repeated("[", 1_000_000)))",
                   "[json.exception.parse_error.101] parse error at line 1, column 1000001: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal")
    }

    func testDeepValuesToJSON() {
        let deep = "(builtins.foldl' (acc: _: [ acc ]) [ ] (builtins.genList (x: x) 1000000))"
        checkError("builtins.toJSON \(deep)", "stack overflow (possible infinite recursion)")
        let r = run(["--eval", "--json", "--strict", "-E", deep])
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stderrText.contains("error: stack overflow (possible infinite recursion)"), r.stderrText)
        let fine = "(builtins.foldl' (acc: _: [ acc ]) [ ] (builtins.genList (x: x) 90000))"
        check("builtins.stringLength (builtins.toJSON \(fine))", "180002")
        check("builtins.fromJSON (builtins.toJSON \(fine)) == \(fine)", "true")
        let cyclic = "(let x = { a = x; }; in x)"
        checkError("builtins.toJSON \(cyclic)", "stack overflow (possible infinite recursion)")
    }

    /// Each level forces the previous one from inside toJSON/fromJSON (the serialiser waits on
    /// the frame stack while the VM evaluates the element).
    func testSerialiserForcingChains() {
        let chain = "let top = builtins.foldl' (prev: i: { r = builtins.fromJSON (builtins.toJSON [ i (builtins.head prev.r) ]); }) { r = [ 0 ]; } (builtins.genList (i: i) 200000); in top.r"
        check(chain, "[ 199999 199998 ]")
        let xml = "let top = builtins.foldl' (prev: i: { r = builtins.stringLength (builtins.toXML prev.r); }) { r = 0; } (builtins.genList (i: i) 200000); in top.r"
        check(xml, "75")
    }

    func testDeepTOMLParses() {
        let arrays = "(\"a = \" + \(repeated("[", 1_000_000)) + \"1\" + \(repeated("]", 1_000_000)))"
        check(inside("(builtins.fromTOML \(arrays)).a", 999_999), "[ 1 ]")
        let tables = "(\"a = \" + \(repeated("{a = ", 200_000)) + \"1\" + \(repeated("}", 200_000)))"
        check(inside("(builtins.fromTOML \(tables)).a", 199_999, list: false), "{ a = 1; }")
        let dotted = "(\(repeated("a.", 200_000)) + \"a = 1\")"
        check(inside("builtins.fromTOML \(dotted)", 200_000, list: false), "{ a = 1; }")
        let header = "(\"[\" + \(repeated("a.", 200_000)) + \"a]\\nb = 1\")"
        check(inside("builtins.fromTOML \(header)", 200_001, list: false), "{ b = 1; }")
    }
}
