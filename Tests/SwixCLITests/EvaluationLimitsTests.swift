// Deep recursion, infinite recursion and the call-depth limit end in a value or an error with a
// location, never a crash. Messages and positions are those of nix-instantiate 2.26.3.

import SwixCLI
import XCTest

final class EvaluationLimitsTests: XCTestCase {
    func eval(_ expression: String, _ extra: [String] = []) -> InvocationResult {
        SwixCommandLine.run(Invocation(arguments: ["instantiate", "--eval", "--strict"] + extra + ["-E", expression],
                                       environment: [:], currentDirectory: "/tmp", readStandardInput: { [] }))
    }

    /// A million nested calls: C++ Nix stops at its default depth of 10,000; Swix's frame stack
    /// has no native recursion, so only the (configurable) call-depth limit bounds it.
    func testMillionDeepRecursionEvaluates() {
        let r = eval("let f = n: if n == 0 then 0 else 1 + f (n - 1); in f 1000000")
        XCTAssertEqual(r.exitCode, 0, r.stderrText)
        XCTAssertEqual(r.stdoutText, "1000000\n")
    }

    func testInfiniteRecursionIsReportedWhereTheThunkIs() {
        let r = eval("let x = x + 1; in x")
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertEqual(r.stderrText, """
            error: infinite recursion encountered
                   at «string»:1:9:
                        1| let x = x + 1; in x
                         |         ^

            """)
    }

    func testCallDepthLimitIsAnErrorAtTheCall() {
        let r = eval("let f = n: if n == 0 then 0 else 1 + f (n - 1); in f 100000", ["--max-call-depth", "1000"])
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stderrText.hasPrefix("error: stack overflow; max-call-depth exceeded\n       at «string»:1:38:"), r.stderrText)
    }

    /// 4,600 nested lambdas whose body uses every parameter need 4,600²/2 captures with flat
    /// closures: past `Compiler.maxCaptures` the file is refused at the variable that goes past.
    func testCaptureExplosionIsRefused() {
        let n = 4600
        let source = (0..<n).map { "x\($0): " }.joined() + (0..<n).map { "x\($0)" }.joined(separator: " + ")
        let r = eval(source)
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stderrText.hasPrefix("error: expression is too complex (more than 10000000 variables captured by nested functions)\n       at «string»:1:"), String(r.stderrText.prefix(300)))
    }

    /// `+` errors point at the operand that cannot be added; `-` errors at the operator.
    func testOperatorErrorPositions() {
        XCTAssertTrue(eval(#"2 + "a""#).stderrText.hasPrefix("error: cannot add a string to an integer\n       at «string»:1:5:"))
        XCTAssertTrue(eval("let x = 1 - x; in x").stderrText.contains("at «string»:1:11:"))
    }
}

/// `swix instantiate` without `--eval`: the search for derivations of nix-instantiate 2.26.3.
final class InstantiateModeTests: XCTestCase {
    func instantiate(_ expression: String) -> InvocationResult {
        SwixCommandLine.run(Invocation(arguments: ["instantiate", "--max-call-depth", "100", "-E", expression],
                                       environment: [:], currentDirectory: "/tmp", readStandardInput: { [] }))
    }

    func testValuesWithoutDerivations() {
        let notADerivation = "error: expression does not evaluate to a derivation (or a set or list of those)\n"
        XCTAssertEqual(instantiate("1").stderrText, notADerivation)
        XCTAssertEqual(instantiate("[ 1 { b = 2; } ]").stderrText, notADerivation)
        let set = instantiate("{ a = 1; }")
        XCTAssertEqual(set.exitCode, 0)
        XCTAssertEqual(set.stdoutText, "")
    }

    /// Evaluation errors come first: attribute values are forced while searching.
    func testErrorsWhileSearching() {
        let thrown = instantiate(#"{ a = throw "x"; }"#).stderrText
        XCTAssertTrue(thrown.hasPrefix("error:\n") && thrown.hasSuffix("\n       error: x\n"), thrown)
        XCTAssertTrue(instantiate("(x: x x) (x: x x)").stderrText.hasPrefix("error: stack overflow; max-call-depth exceeded"))
    }
}
