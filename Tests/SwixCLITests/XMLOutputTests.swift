// `swix instantiate --eval --xml` against the output of C++ Nix. Every expected document below
// was produced by `nix-instantiate --eval --strict --xml [--no-location] -E EXPR` of
// nix-instantiate (Nix) 2.26.3, pasted verbatim (escapes: `\t`, `\r`, `\\` only). Sets use
// `--no-location` because swix does not record attribute positions (C++ prints them on `<attr>`).

import SwixCLI
import XCTest

final class XMLOutputTests: XCTestCase {
    private func run(_ arguments: [String]) -> InvocationResult {
        SwixCommandLine.run(Invocation(arguments: arguments, environment: [:], currentDirectory: "/tmp",
                                       readStandardInput: { [] }))
    }

    private func compare(_ arguments: [String], _ expected: String, file: StaticString, line: UInt) {
        let result = run(arguments)
        XCTAssertEqual(result.exitCode, 0, result.stderrText, file: file, line: line)
        XCTAssertEqual(result.stdoutText, expected, file: file, line: line)
    }

    /// `--eval --strict --xml` (lambda positions included).
    private func check(_ expr: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        compare(["instantiate", "--eval", "--strict", "--xml", "-E", expr], expected, file: file, line: line)
    }

    /// `--eval --strict --xml --no-location`.
    private func checkNoLocation(_ expr: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        compare(["instantiate", "--eval", "--strict", "--xml", "--no-location", "-E", expr], expected, file: file, line: line)
    }

    func testScalars() {
        check(#"[ 1 (-7) 1.5 1.0e20 0.1 3.0 true false null ]"#, """
            <?xml version='1.0' encoding='utf-8'?>
            <expr>
              <list>
                <int value="1" />
                <int value="-7" />
                <float value="1.5" />
                <float value="1e+20" />
                <float value="0.1" />
                <float value="3" />
                <bool value="true" />
                <bool value="false" />
                <null />
              </list>
            </expr>

            """)
    }

    func testStringEscaping() {
        check(#""q\"l<g>a&n\nt\tr\rs'é""#, """
            <?xml version='1.0' encoding='utf-8'?>
            <expr>
              <string value="q&quot;l&lt;g&gt;a&amp;n&#xA;t\tr\rs'é" />
            </expr>

            """)
    }

    func testSetScalarsAndEmpty() {
        checkNoLocation(#"{ s = "x"; p = /etc/passwd; e = [ ]; es = { }; "a b" = "<&>"; }"#, """
            <?xml version='1.0' encoding='utf-8'?>
            <expr>
              <attrs>
                <attr name="a b">
                  <string value="&lt;&amp;&gt;" />
                </attr>
                <attr name="e">
                  <list>
                  </list>
                </attr>
                <attr name="es">
                  <attrs>
                  </attrs>
                </attr>
                <attr name="p">
                  <path value="/etc/passwd" />
                </attr>
                <attr name="s">
                  <string value="x" />
                </attr>
              </attrs>
            </expr>

            """)
    }

    func testNestedSetsAndLists() {
        checkNoLocation(#"{ a = { b = [ 1 [ 2 { c = 3; } ] ]; }; d = [ [ [ ] ] ]; }"#, """
            <?xml version='1.0' encoding='utf-8'?>
            <expr>
              <attrs>
                <attr name="a">
                  <attrs>
                    <attr name="b">
                      <list>
                        <int value="1" />
                        <list>
                          <int value="2" />
                          <attrs>
                            <attr name="c">
                              <int value="3" />
                            </attr>
                          </attrs>
                        </list>
                      </list>
                    </attr>
                  </attrs>
                </attr>
                <attr name="d">
                  <list>
                    <list>
                      <list>
                      </list>
                    </list>
                  </list>
                </attr>
              </attrs>
            </expr>

            """)
    }

    func testLambdasInList() {
        check(#"[ (x: x) ({ a, b ? 1 }: a) ({ z, y, ... }: z) (args@{ a, ... }: a) ({ }@args: 1) ({ }: 1) ]"#, """
            <?xml version='1.0' encoding='utf-8'?>
            <expr>
              <list>
                <function column="4" line="1">
                  <varpat name="x" />
                </function>
                <function column="11" line="1">
                  <attrspat>
                    <attr name="a" />
                    <attr name="b" />
                  </attrspat>
                </function>
                <function column="29" line="1">
                  <attrspat ellipsis="1">
                    <attr name="y" />
                    <attr name="z" />
                  </attrspat>
                </function>
                <function column="48" line="1">
                  <attrspat ellipsis="1" name="args">
                    <attr name="a" />
                  </attrspat>
                </function>
                <function column="69" line="1">
                  <attrspat name="args">
                  </attrspat>
                </function>
                <function column="83" line="1">
                  <attrspat>
                  </attrspat>
                </function>
              </list>
            </expr>

            """)
    }

    func testLambdasInSet() {
        checkNoLocation(#"{ f = n: n; g = { x, y ? 2, ... }: x; }"#, """
            <?xml version='1.0' encoding='utf-8'?>
            <expr>
              <attrs>
                <attr name="f">
                  <function>
                    <varpat name="n" />
                  </function>
                </attr>
                <attr name="g">
                  <function>
                    <attrspat ellipsis="1">
                      <attr name="x" />
                      <attr name="y" />
                    </attrspat>
                  </function>
                </attr>
              </attrs>
            </expr>

            """)
    }

    func testBuiltins() {
        check(#"[ builtins.map (builtins.add 1) ]"#, """
            <?xml version='1.0' encoding='utf-8'?>
            <expr>
              <list>
                <unevaluated />
                <unevaluated />
              </list>
            </expr>

            """)
    }

    func testDerivations() {
        checkNoLocation(#"let d = { type = "derivation"; drvPath = "/nix/store/x.drv"; outPath = "/nix/store/y"; name = "n"; }; in [ d { inherit d; } { type = "derivation"; } ]"#, """
            <?xml version='1.0' encoding='utf-8'?>
            <expr>
              <list>
                <derivation drvPath="/nix/store/x.drv" outPath="/nix/store/y">
                  <attr name="drvPath">
                    <string value="/nix/store/x.drv" />
                  </attr>
                  <attr name="name">
                    <string value="n" />
                  </attr>
                  <attr name="outPath">
                    <string value="/nix/store/y" />
                  </attr>
                  <attr name="type">
                    <string value="derivation" />
                  </attr>
                </derivation>
                <attrs>
                  <attr name="d">
                    <derivation drvPath="/nix/store/x.drv" outPath="/nix/store/y">
                      <repeated />
                    </derivation>
                  </attr>
                </attrs>
                <derivation>
                  <repeated />
                </derivation>
              </list>
            </expr>

            """)
    }

    func testDerivationForcingType() {
        checkNoLocation(#"{ type = "deriv" + "ation"; drvPath = "/nix/store/a" + ".drv"; outPath = "/nix/store/b"; }"#, """
            <?xml version='1.0' encoding='utf-8'?>
            <expr>
              <derivation drvPath="/nix/store/a.drv" outPath="/nix/store/b">
                <attr name="drvPath">
                  <string value="/nix/store/a.drv" />
                </attr>
                <attr name="outPath">
                  <string value="/nix/store/b" />
                </attr>
                <attr name="type">
                  <string value="derivation" />
                </attr>
              </derivation>
            </expr>

            """)
    }

    func testComputedValues() {
        checkNoLocation(#"let xs = builtins.genList (i: i * i) 3; in { inherit xs; n = builtins.length xs; }"#, """
            <?xml version='1.0' encoding='utf-8'?>
            <expr>
              <attrs>
                <attr name="n">
                  <int value="3" />
                </attr>
                <attr name="xs">
                  <list>
                    <int value="0" />
                    <int value="1" />
                    <int value="4" />
                  </list>
                </attr>
              </attrs>
            </expr>

            """)
    }

    /// Without `--strict`, values not evaluated yet print as `<unevaluated />`.
    func testLazyParts() {
        compare(["instantiate", "--eval", "--xml", "--no-location", "-E", #"let b = [ (1 + 1) 2 "s" ]; in b"#], """
            <?xml version='1.0' encoding='utf-8'?>
            <expr>
              <list>
                <unevaluated />
                <int value="2" />
                <string value="s" />
              </list>
            </expr>

            """, file: #filePath, line: #line)
    }
}
