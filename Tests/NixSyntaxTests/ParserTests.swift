// Focused parser tests: `--parse` output (ASTPrinter) and rendered syntax errors compared with the reference Nix.
//
// Every expected string below was produced by the reference implementation,
// `nix-instantiate (Nix) 2.26.3 --parse -E 'EXPR'`, run with the current directory `/tmp` and
// `HOME=/home/test` (so relative paths resolve against `/tmp` and `~/` against `/home/test`).
// Tree expectations are its stdout without the final newline; error expectations are its
// complete stderr (the origin is `«string»` because the expression came from `-E`). Cases marked
// `stdin: true` were piped to `nix-instantiate --parse -` instead (origin `«stdin»`).
// Tests/Tools/parser-reference.py lists the expressions and regenerates the tables below.
// Do not edit them by hand: regenerate them with the reference instead.

import XCTest
import NixSyntax

/// One expression and what the reference printed for it.
struct ReferenceCase: Sendable {
    enum Expected: Sendable {
        /// `nix-instantiate --parse` succeeded and printed this (without the trailing newline).
        case tree(String)
        /// It failed and printed this on stderr (the whole message, with its trailing newline).
        case error(String)
    }

    let name: String
    let expression: String
    let expected: Expected
    /// Given on standard input (`--parse -`) rather than with `-E`.
    let stdin: Bool

    init(_ name: String, _ expression: String, _ tree: String, stdin: Bool = false) {
        self.name = name
        self.expression = expression
        self.expected = .tree(tree)
        self.stdin = stdin
    }

    init(_ name: String, _ expression: String, error: String, stdin: Bool = false) {
        self.name = name
        self.expression = expression
        self.expected = .error(error)
        self.stdin = stdin
    }
}

final class ParserTests: XCTestCase {
    /// The directory the reference ran in; relative paths resolve against it.
    static let baseDirectory = "/tmp"
    /// `HOME` of the reference run; `~/` paths resolve against it.
    static let homeDirectory = "/home/test"

    /// What our front end does with `expression`, in the reference's terms.
    static func outcome(of expression: String, stdin: Bool = false) -> ReferenceCase.Expected {
        let source = SourceFile(origin: stdin ? .stdin : .string, text: expression, baseDirectory: baseDirectory)
        do {
            let tree = try NixFrontEnd.parse(source, symbols: SymbolTable(), options: ParseOptions(homeDirectory: homeDirectory))
            return .tree(String(decoding: ASTPrinter.print(tree), as: UTF8.self))
        } catch let diagnostic as Diagnostic {
            return .error(DiagnosticRenderer.render(diagnostic))
        } catch {
            return .error("<not a Diagnostic: \(error)>")
        }
    }

    /// A readable description of an outcome, for failure messages (control characters other than
    /// newlines are escaped, so that logs stay text).
    static func describe(_ e: ReferenceCase.Expected) -> String {
        switch e {
        case .tree(let s): return "tree:\n" + visible(s)
        case .error(let s): return "error:\n" + visible(s)
        }
    }

    static func visible(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            if scalar.value < 0x20 && scalar != "\n" || scalar.value == 0x7F {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The cases among `cases` whose outcome differs from the reference, with our outcome.
    static func mismatches(_ cases: [ReferenceCase]) -> [(ReferenceCase, ReferenceCase.Expected)] {
        cases.compactMap { c in
            let actual = outcome(of: c.expression, stdin: c.stdin)
            switch (actual, c.expected) {
            case (.tree(let a), .tree(let b)) where a == b: return nil
            case (.error(let a), .error(let b)) where a == b: return nil
            default: return (c, actual)
            }
        }
    }

    func check(_ cases: [ReferenceCase], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(cases.isEmpty, file: file, line: line)
        for (c, actual) in Self.mismatches(cases) {
            XCTFail("""
                \(c.name): \(c.expression.debugDescription)
                --- reference \(Self.describe(c.expected))
                --- swix \(Self.describe(actual))
                """, file: file, line: line)
        }
    }

    func testPrecedenceAndAssociativity() { check(Self.precedence) }
    func testOrKeyword() { check(Self.or) }
    func testLambdas() { check(Self.lambdas) }
    func testBindingsAndAttributeSets() { check(Self.bindings) }
    func testStrings() { check(Self.strings) }
    func testNumbers() { check(Self.numbers) }
    func testPathsAndURIs() { check(Self.paths) }

    /// The reference cases include errors; make sure the error rendering is exercised.
    func testCaseTableCoversTreesAndErrors() {
        let all = Self.precedence + Self.or + Self.lambdas + Self.bindings + Self.strings + Self.numbers + Self.paths
        let errors = all.filter { if case .error = $0.expected { return true } else { return false } }
        XCTAssertGreaterThanOrEqual(all.count - errors.count, 40)
        XCTAssertGreaterThanOrEqual(errors.count, 8)
        for e in errors {
            if case .error(let text) = e.expected { XCTAssertTrue(text.hasPrefix("error: "), e.name) }
        }
        XCTAssertEqual(Set(all.map(\.name)).count, all.count, "case names must be unique")
    }

    /// Nix 2.26's Bison token names and the spelling newer Nix (and swix) uses in syntax errors.
    static let newerTokenSpelling: [String: String] = [
        "EQ": "'=='", "NEQ": "'!='", "AND": "'&&'", "OR": "'||'", "IMPL": "'->'", "UPDATE": "'//'",
        "CONCAT": "'++'", "LEQ": "'<='", "GEQ": "'>='", "OR_KW": "'or'", "IN_KW": "'in'", "IF": "'if'",
        "THEN": "'then'", "ELSE": "'else'", "ASSERT": "'assert'", "WITH": "'with'", "LET": "'let'",
        "REC": "'rec'", "INHERIT": "'inherit'", "ELLIPSIS": "'...'", "DOLLAR_CURLY": "'${'",
    ]

    /// `message` with the Bison token names of its first line spelled as newer Nix spells them.
    static func withNewerTokenNames(_ message: String) -> String {
        guard let newline = message.firstIndex(of: "\n") else { return message }
        let words = message[..<newline].split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            let comma = word.hasSuffix(",")
            let bare = comma ? String(word.dropLast()) : String(word)
            return (newerTokenSpelling[bare] ?? bare) + (comma ? "," : "")
        }
        return words.joined(separator: " ") + message[newline...]
    }

    /// Syntax errors that differ from Nix 2.26 only in how tokens are named: swix follows newer Nix
    /// (`unexpected 'in'` where 2.26 says `unexpected IN_KW`), as the corpus's .err.exp files do.
    func testSyntaxErrorsMatchUpToNewerTokenNames() {
        XCTAssertFalse(Self.newerTokenNames.isEmpty)
        for c in Self.newerTokenNames {
            guard case .error(let reference) = c.expected else {
                XCTFail("\(c.name): expected an error case")
                continue
            }
            let expected = Self.withNewerTokenNames(reference)
            XCTAssertNotEqual(expected, reference, "\(c.name): the reference uses no Bison token name; move it to its table")
            let actual = Self.outcome(of: c.expression, stdin: c.stdin)
            if case .error(let message) = actual, message == expected { continue }
            XCTFail("""
                \(c.name): \(c.expression.debugDescription)
                --- reference with newer token names error:
                \(expected)
                --- swix \(Self.describe(actual))
                """)
        }
    }

    /// Expressions where swix's parser is known to disagree with the reference (see the comments at
    /// `knownDifferences`). They are kept out of the tables above so that those stay green; this test
    /// checks that they still differ: when one starts to agree, move it back into its table.
    func testKnownParserDifferences() {
        XCTAssertFalse(Self.knownDifferences.isEmpty)
        let stillDifferent = Set(Self.mismatches(Self.knownDifferences).map { $0.0.name })
        for c in Self.knownDifferences where !stillDifferent.contains(c.name) {
            XCTFail("\(c.name): \(c.expression.debugDescription) now matches the reference; move it back to its table")
        }
        // Record what swix does now, one line each, for the log.
        for (c, actual) in Self.mismatches(Self.knownDifferences) {
            let first = Self.describe(actual).split(separator: "\n").dropFirst().first ?? ""
            print("known parser difference: \(c.name): \(c.expression.debugDescription) -> swix: \(first)")
        }
    }
}

// MARK: - Reference outputs (nix-instantiate (Nix) 2.26.3 --parse; cwd /tmp, HOME=/home/test)

extension ParserTests {
    static let precedence: [ReferenceCase] = [
        .init(#"subtraction is left-associative"#,
              #"1 - 2 - 3"#,
              #"(__sub (__sub 1 2) 3)"#),
        .init(#"addition is left-associative"#,
              #"1 + 2 + 3"#,
              #"((1 + 2) + 3)"#),
        .init(#"unary minus"#,
              #"(- - 1) - -2 - - -3"#,
              #"(__sub (__sub (__sub 0 (__sub 0 1)) (__sub 0 2)) (__sub 0 (__sub 0 3)))"#),
        .init(#"unary minus is looser than application"#,
              #"f: -f 1"#,
              #"(f: (__sub 0 (f 1)))"#),
        .init(#"minus after an application argument is binary"#,
              #"f: f 1 2 -3"#,
              #"(f: (__sub (f 1 2) 3))"#),
        .init(#"negated select"#,
              #"x: -x.y"#,
              #"(x: (__sub 0 (x).y))"#),
        .init(#"not is looser than ==, tighter than &&"#,
              #"a: b: c: !a && !b == c || c"#,
              #"(a: (b: (c: (((! a) && ((! b) == c)) || c))))"#),
        .init(#"implication is right-associative"#,
              #"a: b: c: a -> b -> c"#,
              #"(a: (b: (c: (a -> (b -> c)))))"#),
        .init(#"implication is below ||"#,
              #"a: b: c: a || b -> c && a"#,
              #"(a: (b: (c: ((a || b) -> (c && a)))))"#),
        .init(#"update is right-associative"#,
              #"a: b: c: a // b // c"#,
              #"(a: (b: (c: (a // (b // c)))))"#),
        .init(#"concat is right-associative"#,
              #"a: b: c: a ++ b ++ c"#,
              #"(a: (b: (c: (a ++ (b ++ c)))))"#),
        .init(#"has-attr binds tighter than &&"#,
              #"a: a ? b && a ? c.d"#,
              #"(a: (((a) ? b) && ((a) ? c.d)))"#),
        .init(#"has-attr with dynamic and string parts"#,
              #"a: a ? ${"x"}."y".z"#,
              #"(a: ((a) ? x.y.z))"#),
        .init(#"comparison is below arithmetic"#,
              #"1 + 2 * 3 - 4 / 5 < 6"#,
              #"(__lessThan (__sub (1 + (__mul 2 3)) (__div 4 5)) 6)"#),
        .init(#"greater and ordering desugar"#,
              #"a: b: a > b && a <= b && a >= b"#,
              #"(a: (b: (((__lessThan b a) && (! (__lessThan b a))) && (! (__lessThan a b)))))"#),
        .init(#"equality is below comparison"#,
              #"1 < 2 == 2 > 1"#,
              #"((__lessThan 1 2) == (__lessThan 1 2))"#),
        .init(#"inequality"#,
              #"1 != 2"#,
              #"(1 != 2)"#),
        .init(#"not is above update"#,
              #"a: b: !a // b"#,
              #"(a: (b: ((! a) // b)))"#),
        .init(#"concat of list literals"#,
              #"a: [ 1 ] ++ [ a ] ++ a"#,
              #"(a: ([ (1) ] ++ ([ (a) ] ++ a)))"#),
        .init(#"application of several arguments"#,
              #"f: f { } [ ] "s" (f 1)"#,
              #"(f: (f { } [ ] "s" (f 1)))"#),
        .init(#"comparison is non-associative"#,
              #"1 < 2 < 3"#,
              error: #"""
            error: syntax error, unexpected '<'
                   at «string»:1:7:
                        1| 1 < 2 < 3
                         |       ^

            """#),
        .init(#"negative literal and not"#,
              #"[ (-1) (!true) ]"#,
              #"[ ((__sub 0 1)) ((! true)) ]"#),
        .init(#"string concatenation with +"#,
              #""a" + "b" + ./c"#,
              #"(("a" + "b") + /tmp/c)"#),
    ]

    static let or: [ReferenceCase] = [
        .init(#"or as an identifier argument"#,
              #"let or = 1; f = x: x; in f or"#,
              #"(let f = (x: x); or = 1; in (f or))"#),
        .init(#"or as an attribute name"#,
              #"{ or = 1; }.or"#,
              #"({ or = 1; }).or"#),
        .init(#"select with or default"#,
              #"x: x.a.b or x.c"#,
              #"(x: (x).a.b or ((x).c))"#),
        .init(#"select with or default inside an application"#,
              #"f: x: f x.y or 3"#,
              #"(f: (x: (f (x).y or (3))))"#),
        .init(#"select with dynamic attribute"#,
              ##"x: c: x.a.${c}."d e"."${"f"}""##,
              #"(x: (c: (x).a."${c}"."d e"."${("f")}"))"#),
        .init(#"or without a default after a select"#,
              #"f: x: f x.a or"#,
              error: #"""
            error: syntax error, unexpected end of file
                   at «string»:1:15:
                        1| f: x: f x.a or
                         |               ^

            """#),
        .init(#"or default on a set literal"#,
              #"{ a = 1; }.a or 2"#,
              #"({ a = 1; }).a or (2)"#),
        .init(#"or default with a dynamic attribute"#,
              #"x: x.${"a"} or 1"#,
              #"(x: (x).a or (1))"#),
    ]

    static let lambdas: [ReferenceCase] = [
        .init(#"formals with defaults, ellipsis and @"#,
              #"{ x, y ? 1, ... }@args: x"#,
              #"({ x, y ? 1, ... } @ args: x)"#),
        .init(#"@ before formals"#,
              #"args@{ x, y ? x }: y"#,
              #"({ x, y ? x } @ args: y)"#),
        .init(#"empty formals"#,
              #"{ }: 1"#,
              #"({  }: 1)"#),
        .init(#"only ellipsis"#,
              #"{ ... }: 1"#,
              #"({ ... }: 1)"#),
        .init(#"formals are printed sorted"#,
              #"{ z, a, m ? a }: z"#,
              #"({ a, m ? a, z }: z)"#),
        .init(#"duplicate formal"#,
              #"{ a, a }: 1"#,
              error: #"""
            error: duplicate formal function argument 'a'
                   at «string»:1:6:
                        1| { a, a }: 1
                         |      ^

            """#),
        .init(#"formals with @ in a let"#,
              #"let f = { a ? 1, b, ... }@x: x; in f"#,
              #"(let f = ({ a ? 1, b, ... } @ x: x); in f)"#),
    ]

    static let bindings: [ReferenceCase] = [
        // Nix 2.26 (and newer Nix, see lang/eval-fail-dynamic-attrs-let.err.exp) points at the `let` keyword.
        .init(#"dynamic attribute in let"#,
              #"x: let ${x} = 1; in 2"#,
              error: #"""
            error: dynamic attributes not allowed in let
                   at «string»:1:4:
                        1| x: let ${x} = 1; in 2
                         |    ^

            """#),
        .init(#"legacy let"#,
              #"let { x = 1; body = x; }"#,
              #"(rec { body = x; x = 1; }).body"#),
        .init(#"recursive set"#,
              #"rec { a = 1; b = a; }"#,
              #"rec { a = 1; b = a; }"#),
        .init(#"inherit and inherit from"#,
              #"let a = 1; b = { c = 2; }; in { inherit a; inherit (b) c "d"; }"#,
              #"(let a = 1; b = { c = 2; }; in { inherit a; inherit (b) c d; })"#),
        .init(#"inherit from in let"#,
              #"let inherit ({ a = 1; }) a; in a"#,
              #"(let inherit ({ a = 1; }) a; in a)"#),
        .init(#"nested attribute path merging"#,
              #"{ a.b = 1; a.c = 2; a = { d = 3; }; x.y.z = 4; }"#,
              #"{ a = { b = 1; c = 2; d = 3; }; x = { y = { z = 4; }; }; }"#),
        .init(#"nested attribute path in let"#,
              #"let a.b = 1; a.c = 2; in a"#,
              #"(let a = { b = 1; c = 2; }; in a)"#),
        .init(#"dynamic attributes"#,
              #"let x = "k"; in { ${x} = 1; "${x}y" = 2; "plain" = 3; "a b" = 4; ${"s"} = 5; }"#,
              #"(let x = "k"; in { "a b" = 4; plain = 3; s = 5; "${x}" = 1; "${(x + "y")}" = 2; })"#),
        .init(#"keyword and odd attribute names are quoted"#,
              #"{ "if" = 1; "then" = 2; a-b = 3; "x'" = 4; "" = 5; }"#,
              #"{ "" = 5; a-b = 3; "if" = 1; "then" = 2; x' = 4; }"#),
        .init(#"__curPos"#,
              #"{ a = __curPos; }"#,
              #"{ a = __curPos; }"#),
        .init(#"assert, with, if"#,
              #"assert true; with { }; if null then 1 else 2"#,
              #"assert true; (with { }; (if null then 1 else 2))"#),
        .init(#"lists with mixed elements"#,
              #"[ 1 (2) "s" ./p (f: f) true null ]"#,
              #"[ (1) (2) ("s") (/tmp/p) ((f: f)) (true) (null) ]"#),
        .init(#"comments are ignored"#,
              "/* c */ 1 # trailing\n",
              #"1"#),
        .init(#"duplicate attribute"#,
              #"{ a = 1; a = 2; }"#,
              error: #"""
            error: attribute 'a' already defined at «string»:1:3
                   at «string»:1:10:
                        1| { a = 1; a = 2; }
                         |          ^

            """#),
        .init(#"duplicate nested attribute"#,
              #"{ a.b = 1; a = { b = 2; }; }"#,
              error: #"""
            error: attribute 'a.b' already defined at «string»:1:3
                   at «string»:1:18:
                        1| { a.b = 1; a = { b = 2; }; }
                         |                  ^

            """#),
        .init(#"undefined variable"#,
              #"x: y"#,
              error: #"""
            error: undefined variable 'y'
                   at «string»:1:4:
                        1| x: y
                         |    ^

            """#),
        .init(#"dynamic attribute in inherit"#,
              #"x: { inherit ${x}; }"#,
              error: #"""
            error: dynamic attributes not allowed in inherit
                   at «string»:1:14:
                        1| x: { inherit ${x}; }
                         |              ^

            """#),
        .init(#"unexpected end of file"#,
              #"(1"#,
              error: #"""
            error: syntax error, unexpected end of file, expecting ')'
                   at «string»:1:3:
                        1| (1
                         |   ^

            """#),
        .init(#"multi-line error context"#,
              "{\n  a = 1;\n  b = ;\n}",
              error: #"""
            error: syntax error, unexpected ';'
                   at «string»:3:7:
                        2|   a = 1;
                        3|   b = ;
                         |       ^
                        4| }

            """#),
        .init(#"quoted names with dots"#,
              #"{ "a.b" = 1; a."b.c".d = 2; }"#,
              #"{ a = { "b.c" = { d = 2; }; }; "a.b" = 1; }"#),
        .init(#"with makes variables dynamic"#,
              #"with 1; x"#,
              #"(with 1; x)"#),
        .init(#"select chain"#,
              #"a: a.b.c"#,
              #"(a: (a).b.c)"#),
    ]

    static let strings: [ReferenceCase] = [
        .init(#"string escapes"#,
              ##""a\nb\tc\r\"\\\${x}\$ \q $${""##,
              ##""a\nb\tc\r\"\\\${x}$ q $\${""##),
        .init(#"string with interpolation"#,
              ##"x: "a${x}b${"c"}""##,
              #"(x: ("a" + x + "b" + "c"))"#),
        .init(#"string that is only an interpolation"#,
              ##"x: "${x}""##,
              #"(x: (x))"#),
        .init(#"empty strings"#,
              #"[ "" '''' ]"#,
              #"[ ("") ("") ]"#),
        .init(#"indented string indentation stripping"#,
              "''\n    a\n      b\n\n    c\n  ''",
              ##""a\n  b\n\nc\n""##),
        .init(#"indented string escapes"#,
              "x: ''\n  ''$ ''' ''\\n ''\\t ''${x} $${x} ''\\x\n''",
              #"(x: ("$" + " " + "''" + " " + "\n" + "\t" + " " + "$" + "{x} $\${x} " + "x" + "\n"))"#),
        .init(#"indented string with interpolation and text on the first line"#,
              "x: ''  a ${x} b\n   c''",
              #"(x: ("a " + x + " b\n c"))"#),
        .init(#"indented string: tabs are not indentation"#,
              "''\n\ta\n  b\n  ''",
              ##""\ta\n  b\n""##),
        .init(#"indented string with CRLF line ends"#,
              "''\r\n  a\r\n  b\r\n''",
              ##""\r\n  a\r\n  b\r\n""##),
        .init(#"unterminated string"#,
              #""abc"#,
              error: #"""
            error: syntax error, unexpected end of file, expecting '"'
                   at «string»:1:5:
                        1| "abc
                         |     ^

            """#),
        .init(#"adjacent interpolations"#,
              ##"x: y: "${x}${y}""##,
              #"(x: (y: (x + y)))"#),
        .init(#"indented string without newlines"#,
              #"''a''"#,
              ##""a""##),
        .init(#"indented string: minimum indentation"#,
              "''\n  a\n b''",
              ##"" a\nb""##),
        .init(#"indented string: whitespace-only first line is dropped"#,
              "''  \n  a\n  ''",
              ##""a\n""##),
        .init(#"indented string that is only an interpolation"#,
              #"x: ''${x}''"#,
              #"(x: (x))"#),
    ]

    static let numbers: [ReferenceCase] = [
        .init(#"floats"#,
              #"[ 1.0 .5 1.5e3 0.1e-2 1.E5 2.50 123456789.0 ]"#,
              #"[ (1) (0.5) (1500) (0.001) (100000) (2.5) (1.23457e+08) ]"#),
        .init(#"1e5 is an integer applied to e5"#,
              #"e5: 1e5"#,
              #"(e5: (1 e5))"#),
        .init(#"integers"#,
              #"[ 0 007 9223372036854775807 ]"#,
              #"[ (0) (7) (9223372036854775807) ]"#),
        .init(#"integer overflow"#,
              #"9223372036854775808"#,
              error: #"""
            error: invalid integer '9223372036854775808'
                   at «string»:1:1:
                        1| 9223372036854775808
                         | ^

            """#),
        .init(#"float formatting"#,
              #"[ 1.0e100 0.000001 1234567.0 0.1 ]"#,
              #"[ (1e+100) (1e-06) (1.23457e+06) (0.1) ]"#),
    ]

    static let paths: [ReferenceCase] = [
        .init(#"relative paths resolve against the base directory"#,
              #"[ ./foo/bar ../x a/b /abs/path ./. ./a/../b ]"#,
              #"[ (/tmp/foo/bar) (/x) (/tmp/a/b) (/abs/path) (/tmp) (/tmp/b) ]"#),
        .init(#"interpolated paths"#,
              #"x: ./foo/${x}.nix"#,
              #"(x: (/tmp/foo/ + x + ".nix"))"#),
        .init(#"path ending in an interpolation"#,
              #"x: /a/${x}"#,
              #"(x: (/a/ + x))"#),
        .init(#"search paths"#,
              #"[ <nixpkgs> <nixpkgs/lib> ]"#,
              #"[ ((__findFile __nixPath "nixpkgs")) ((__findFile __nixPath "nixpkgs/lib")) ]"#),
        .init(#"home paths"#,
              #"~/foo/bar"#,
              #"/home/test/foo/bar"#),
        .init(#"URIs"#,
              #"[ http://example.com/x?y=1&z=2 x:y mirror://gnu/hello ]"#,
              #"[ ("http://example.com/x?y=1&z=2") ("x:y") ("mirror://gnu/hello") ]"#),
        .init(#"path normalisation"#,
              #"[ /../a /a/./b/../c ./a/. ]"#,
              #"[ (/a) (/a/c) (/tmp/a) ]"#),
        .init(#"path ending in two slashes"#,
              #"[ ./a/b// ]"#,
              error: #"""
            error: path has a trailing slash
                   at «string»:1:10:
                        1| [ ./a/b// ]
                         |          ^

            """#),
        .init(#"search path and a path in one expression"#,
              #"<a/b> + ./c"#,
              #"((__findFile __nixPath "a/b") + /tmp/c)"#),
        .init(#"URI with a fragment"#,
              #"https://x.y/z#frag"#,
              ##""https://x.y/z""##),
    ]

    /// Errors where Nix 2.26 names Bison tokens (IN_KW, EQ, OR_KW) and swix, like newer Nix and the
    /// corpus's .err.exp files, prints the token itself ('in', '==', 'or'). Otherwise identical.
    static let newerTokenNames: [ReferenceCase] = [
        .init(#"equality is non-associative"#,
              #"1 == 2 == 3"#,
              error: #"""
            error: syntax error, unexpected EQ
                   at «string»:1:8:
                        1| 1 == 2 == 3
                         |        ^

            """#),
        .init(#"or as a variable on its own"#,
              #"let or = 1; in or"#,
              error: #"""
            error: syntax error, unexpected OR_KW
                   at «string»:1:16:
                        1| let or = 1; in or
                         |                ^

            """#),
        .init(#"or as a lambda parameter"#,
              #"or: 1"#,
              error: #"""
            error: syntax error, unexpected OR_KW
                   at «string»:1:1:
                        1| or: 1
                         | ^

            """#),
        .init(#"missing semicolon in let"#,
              #"let x = 1 in x"#,
              error: #"""
            error: syntax error, unexpected IN_KW, expecting ';'
                   at «string»:1:11:
                        1| let x = 1 in x
                         |           ^

            """#),
    ]

    /// Known parser differences from the reference (bugs in swix), checked by testKnownParserDifferences.
    static let knownDifferences: [ReferenceCase] = [
        // Both reject NUL bytes in string literals; Nix's excerpt stops the source line at the NUL, swix's shows it. Given on stdin: -E cannot carry a NUL.
        .init(#"NUL byte in a string"#,
              "\"foo\0bar\"",
              error: #"""
            error: input string 'foo␀bar' cannot be represented as Nix string because it contains null bytes
                   at «stdin»:1:2:
                        1| "foo
                         |  ^

            """#, stdin: true),
        // the same for indented strings (lang/eval-fail-string-nul-2); the reported positions differ too.
        .init(#"NUL byte in an indented string"#,
              "''\n  foo\n  \0\n  bar\n''",
              error: #"""
            error: input string '  foo
                     ␀
                     bar
                   ' cannot be represented as Nix string because it contains null bytes
                   at «stdin»:2:1:
                        1| ''
                        2|   foo
                         | ^
                        3|

            """#, stdin: true),
        // at the very end of the input Nix 2.26 reports the start of the path (1:1), swix the end (1:7); with anything after the path both report the end.
        .init(#"path with a trailing slash"#,
              #"./foo/"#,
              error: #"""
            error: path has a trailing slash
                   at «string»:1:1:
                        1| ./foo/
                         | ^

            """#),
        // `//` inside a path literal is a syntax error in both; the token names differ (newer names in swix) and Nix reports 1:7, swix 1:9.
        .init(#"double slash in a path"#,
              #"[ ./a//b ]"#,
              error: #"""
            error: syntax error, unexpected PATH_END, expecting DOLLAR_CURLY
                   at «string»:1:7:
                        1| [ ./a//b ]
                         |       ^

            """#),
    ]
}
