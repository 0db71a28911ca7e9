// `swix instantiate --eval --json` against output of the reference (nix-instantiate 2.26.3).

import SwixCLI
import XCTest

final class JSONOutputTests: XCTestCase {
    func run(_ arguments: [String]) -> InvocationResult {
        SwixCommandLine.run(Invocation(arguments: ["instantiate", "--eval"] + arguments, environment: [:],
                                       currentDirectory: "/tmp", readStandardInput: { [] }))
    }

    /// Expected outputs were produced by `nix-instantiate --eval --json --strict -E …` (Nix 2.26.3).
    static let strictCases: [(String, String)] = [
        (#"[123456789012.0 1.5e17 0.1 1.0e-7 100.0 1.0e15 1234567890123456.0 0.0001 0.00001 (1.0 / 3.0)]"#,
         #"[123456789012.0,1.5e+17,0.1,1e-07,100.0,1e+15,1.234567890123456e+15,0.0001,1e-05,0.3333333333333333]"#),
        (#"{ b = [ 1 "a\"\n\t\\" null true false ]; a = { __toString = s: "x"; }; c = { outPath = "o"; }; }"#,
         #"{"a":"x","b":[1,"a\"\n\t\\",null,true,false],"c":"o"}"#),
        (#"{ "a b" = 1; "" = 2; }"#, #"{"":2,"a b":1}"#),
    ]

    func testStrictJSONMatchesNix() {
        for (expression, expected) in Self.strictCases {
            let r = run(["--json", "--strict", "-E", expression])
            XCTAssertEqual(r.exitCode, 0, expression + ": " + r.stderrText)
            XCTAssertEqual(r.stdoutText, expected + "\n", expression)
        }
    }

    /// Without `--strict`, C++ Nix refuses unevaluated parts: "cannot convert a thunk to JSON".
    func testLazyJSONRefusesThunks() {
        let r = run(["--json", "-E", "[ (1 + 1) ]"])
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stderrText.contains("cannot convert a thunk to JSON"), r.stderrText)
        XCTAssertEqual(run(["--json", "-E", "[ 1 ]"]).stdoutText, "[1]\n")
    }
}
