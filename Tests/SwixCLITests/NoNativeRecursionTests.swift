// Builtins that force values (`concatLists`, `removeAttrs`, `listToAttrs`, `findFile`) and `<` on
// lists must not re-enter the VM loop (../shared/DESIGN.md section 3): input-driven depth has to
// live on the VM's frame stack, not on the native stack, which Swift cannot recover from.
//
// Evaluation runs on a thread with a 1 GiB stack, so the deep cases use depths at which the former
// natively recursive implementations crashed (SIGSEGV) in a debug build: 300,000 nested builtin
// calls, 1,000,000 nested lists (the old list `<` recursed with small native frames and still
// managed 300,000).
//
// C++ Nix cannot produce these deep results: every builtin call counts against its
// `max-call-depth` (10,000 by default, "stack overflow; max-call-depth exceeded"), and with the
// limit raised it reports "stack overflow (possible infinite recursion)" at depth 100,000. Its
// list `<` runs a full `==` on each element pair before comparing it, which is quadratic on
// nested lists (10,000 levels take 0.75 s; 100,000 did not finish in 3 minutes). So the deep
// cases check swix against the mathematically right answer, and the same expressions at depths
// 3,000/3,001 check it against the output of nix-instantiate (Nix) 2.26.3, pasted verbatim, as do
// the ordinary behaviour checks.

import SwixCLI
import XCTest

final class NoNativeRecursionTests: XCTestCase {
    private func run(_ expr: String) -> InvocationResult {
        SwixCommandLine.run(Invocation(arguments: ["instantiate", "--eval", "--strict", "-E", expr],
                                       environment: [:], currentDirectory: "/tmp", readStandardInput: { [] }))
    }

    /// Succeeds with exactly `expected` on stdout (and `stderr` on stderr).
    private func check(_ expr: String, _ expected: String, stderr: String = "",
                       file: StaticString = #filePath, line: UInt = #line) {
        let result = run(expr)
        XCTAssertEqual(result.exitCode, 0, result.stderrText, file: file, line: line)
        XCTAssertEqual(result.stdoutText, expected + "\n", file: file, line: line)
        XCTAssertEqual(result.stderrText, stderr, file: file, line: line)
    }

    /// Fails with `message` (C++ Nix's last error line), pointing at `position` (`line:column`).
    private func checkError(_ expr: String, _ message: String, at position: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        let result = run(expr)
        XCTAssertEqual(result.exitCode, 1, file: file, line: line)
        XCTAssertEqual(result.stdoutText, "", file: file, line: line)
        // The error at the position, or (as C++ Nix prints builtin errors) positionless under
        // trace lines of which one is at the position.
        let text = result.stderrText
        let plain = text.hasPrefix("error: \(message)\n       at «string»:\(position):\n")
        let traced = text.hasPrefix("error:\n") && text.contains("\n       error: \(message)\n")
            && text.contains("at «string»:\(position):\n")
        XCTAssertTrue(plain || traced, text, file: file, line: line)
    }

    // MARK: - Deep inputs

    /// A chain of `depth` thunks, each forcing the previous one from inside `builtin …`: the result
    /// at level `i + 1` is computed by a builtin that, while running, forces level `i`. Built with
    /// `foldl'` so that no Nix function call is active while the chain is forced.
    private func chain(_ step: String, start: String, depth: Int, result: String = "top.r") -> String {
        "let top = builtins.foldl' (prev: i: { r = \(step); }) { r = \(start); } (builtins.genList (i: i) \(depth)); in \(result)"
    }

    private func listToAttrsChain(_ depth: Int) -> String {
        // Level i + 1 is { a = i; } when level i has b, { b = i; } when it has a.
        chain(#"builtins.listToAttrs [ { name = if prev.r ? a then "b" else "a"; value = i; } ]"#,
              start: "{ a = 0; }", depth: depth)
    }

    private func concatListsChain(_ depth: Int) -> String {
        // Level i + 1 is [ i ] ++ tail (level i): always one element, the last index.
        chain("builtins.concatLists [ [ i ] (builtins.tail prev.r) ]", start: "[ 0 ]", depth: depth)
    }

    private func removeAttrsChain(_ depth: Int) -> String {
        // Level i + 1 removes from { x = i; y = i; } the name level i has: x and y alternate.
        chain(#"builtins.removeAttrs { x = i; y = i; } [ (if prev.r ? x then "x" else "y") ]"#,
              start: "{ x = 0; }", depth: depth)
    }

    private func findFileChain(_ depth: Int) -> String {
        // Each level looks up "" under the path the previous level found.
        chain(#"builtins.findFile [ { path = prev.r; } ] """#, start: "/tmp", depth: depth)
    }

    private func nestedListComparisons(_ depth: Int) -> String {
        // `deep n` is n nested lists around [ ]; `a` and `c` are equal but share no elements.
        """
        let deep = n: builtins.foldl' (acc: _: [ acc ]) [ ] (builtins.genList (x: x) n);
          a = deep \(depth); b = deep (\(depth) + 1); c = deep \(depth);
        in [ (a < b) (b < a) (a < c) (a <= c) (a > c) (b >= a) (builtins.lessThan a b) (builtins.lessThan b a) ]
        """
    }

    func testDeepListToAttrs() {
        check(listToAttrsChain(3000), "{ a = 2999; }")
        check(listToAttrsChain(3001), "{ b = 3000; }")
        check(listToAttrsChain(300_000), "{ a = 299999; }")
    }

    func testDeepConcatLists() {
        check(concatListsChain(3001), "[ 3000 ]")
        check(concatListsChain(300_000), "[ 299999 ]")
    }

    func testDeepRemoveAttrs() {
        check(removeAttrsChain(3001), "{ y = 3000; }")
        check(removeAttrsChain(300_000), "{ x = 299999; }")
    }

    func testDeepFindFile() {
        check(findFileChain(3001), "/tmp")
        check(findFileChain(300_000), "/tmp")
    }

    func testDeepNestedListComparison() {
        let expected = "[ true false false true false true true false ]"
        check(nestedListComparisons(3001), expected)
        check(nestedListComparisons(1_000_000), expected)
    }

    // MARK: - List comparison as C++ Nix

    func testListComparison() {
        // Element pairs equal by `==` (sets, a function with itself, nested lists) are skipped;
        // the first unequal pair decides; a proper prefix is less.
        check("""
            [ ([ 1 {} ] < [ 1 {} ]) ([ {} ] < [ {} ]) ([1 2] < [1 3]) ([[1] 2] < [[1] 3]) ([] < [1])
              ([[1 {a=1;}] 2] < [[1 {a=1;}] 3]) ([[1 {}] 2] < [[1 {}] 3]) ([[1 2] 3] < [[1] 4])
              ([[1 2] 0] < [[1 2 3] 0]) ([[1 3] 0] < [[1 2 3] 0]) ([ "b" ] < [ "a" "b" ]) ([1.0 2] < [1 3])
              ([./a] < [./b]) ([null] < [null]) (let f = x: x; in [f] < [f]) ([ 1 (throw "a") ] < [ 2 (throw "b") ])
              ([[{a = [1 2];}] 1] < [[{a = [1 2];}] 2])
              ([{type="derivation"; outPath="/a"; x = 1;}] < [{type="derivation"; outPath="/a"; x=2;}]) ]
            """,
              "[ false false true true true true true false true false false true true false false true true false ]")
        check("""
            [ ([1 2] <= [1 2]) ([1 2] > [1 1]) ([1 2] >= [1 3]) ([1] < [1]) ([[]] > [[1]]) ([ 1 [ 2 ] ] >= [ 1 [ 2 ] ])
              (builtins.lessThan [1] [2]) (builtins.lessThan [[1 2]] [[1 2]]) (builtins.lessThan [ 1 [ "x" ] ] [ 1 [ "y" ] ])
              (builtins.lessThan 1 2) ]
            """,
              "[ true true false false false true true false true true ]")
    }

    func testListComparisonForcingOrder() {
        check(#"[ [ (builtins.trace "a" 1) ] ] < [ [ (builtins.trace "b" 1) 2 ] ]"#, "true",
              stderr: "trace: a\ntrace: b\n")
        check(#"[ (builtins.trace "l" 1) (builtins.trace "l2" 2) ] < [ (builtins.trace "r" 1) (builtins.trace "r2" 3) ]"#,
              "true", stderr: "trace: l\ntrace: r\ntrace: l2\ntrace: r2\n")
    }

    func testListComparisonErrors() {
        checkError(#"[ ([1] < ["a"]) ]"#, "cannot compare an integer with a string", at: "1:8")
        checkError("[{a=1;}] < [{a=2;}]", "cannot compare a set with a set; values of that type are incomparable", at: "1:10")
        checkError("let s = {a = x: x;}; in [s.a] < [s.a]",
                   "cannot compare a function with a function; values of that type are incomparable", at: "1:31")
        checkError("[true] < [false]", "cannot compare a Boolean with a Boolean; values of that type are incomparable", at: "1:8")
        checkError(#"[ [1 2] ] < [ [1 (throw "x")] ]"#, "x", at: "1:19")
        checkError("[1] < 2", "cannot compare a list with an integer", at: "1:5")
    }

    // MARK: - The other builtins

    func testBuiltinsThatForce() {
        check(#"builtins.listToAttrs [ { name = "b"; value = 1; } { name = "a"; value = 2; } { name = "b"; value = 3; } { name = "a"; } ]"#,
              "{ a = 2; b = 1; }")
        check(#"builtins.concatLists [ [ 1 ] [ ] (builtins.genList (x: x) 3) (if true then [ "x" ] else [ ]) ]"#,
              #"[ 1 0 1 2 "x" ]"#)
        check(#"builtins.removeAttrs { a = 1; b = 2; c = 3; } [ "a" (if true then "c" else "b") "z" ]"#, "{ b = 2; }")
        check(#"builtins.findFile [ { prefix = "nope"; path = "/"; } { prefix = "x"; path = "/"; } ] "x/tmp""#, "/tmp")
        check(#"builtins.tryEval (builtins.findFile [ ] "x")"#, "{ success = false; value = false; }")
        checkError("builtins.listToAttrs [ { value = 1; } ]", "attribute 'name' missing", at: "1:1")
        checkError("builtins.concatLists [ [ 1 ] 2 ]", "expected a list but found an integer: 2", at: "1:1")
        checkError(#"builtins.removeAttrs { a = 1; } [ "a" 1 ]"#, "expected a string but found an integer: 1", at: "1:1")
    }
}
