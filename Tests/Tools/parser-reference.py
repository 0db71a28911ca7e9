#!/usr/bin/env python3
"""Regenerates the reference tables of Tests/NixSyntaxTests/ParserTests.swift.

Runs every expression below through the reference Nix (`nix-ref nix-instantiate --parse`,
Nix 2.26.3) in /tmp with HOME=/home/test, and rewrites everything after the
`// MARK: - Reference outputs` line of ParserTests.swift with the results.
Whether a case expects a tree or an error is decided by the reference's exit status.
Cases listed in WORDING / KNOWN (below) go to the `newerTokenNames` / `knownDifferences` tables.

Usage: python3 Tests/Tools/parser-reference.py   (from the package root; needs `nix-ref`, or a
Nix 2.26 on PATH as `nix-instantiate`)
"""
import os, shutil, subprocess, sys

# The reference: the `nix-ref` wrapper when installed, else `nix-instantiate` from PATH.
REFERENCE = ["nix-ref", "nix-instantiate"] if shutil.which("nix-ref") else ["nix-instantiate"]

# (group, name, expression). Whether a case is an OK or an error case is decided by the reference's exit status.
CASES = [
 ("precedence", "subtraction is left-associative", "1 - 2 - 3"),
 ("precedence", "addition is left-associative", "1 + 2 + 3"),
 ("precedence", "unary minus", "(- - 1) - -2 - - -3"),
 ("precedence", "unary minus is looser than application", "f: -f 1"),
 ("precedence", "minus after an application argument is binary", "f: f 1 2 -3"),
 ("precedence", "negated select", "x: -x.y"),
 ("precedence", "not is looser than ==, tighter than &&", "a: b: c: !a && !b == c || c"),
 ("precedence", "implication is right-associative", "a: b: c: a -> b -> c"),
 ("precedence", "implication is below ||", "a: b: c: a || b -> c && a"),
 ("precedence", "update is right-associative", "a: b: c: a // b // c"),
 ("precedence", "concat is right-associative", "a: b: c: a ++ b ++ c"),
 ("precedence", "has-attr binds tighter than &&", "a: a ? b && a ? c.d"),
 ("precedence", "has-attr with dynamic and string parts", "a: a ? ${\"x\"}.\"y\".z"),
 ("precedence", "comparison is below arithmetic", "1 + 2 * 3 - 4 / 5 < 6"),
 ("precedence", "greater and ordering desugar", "a: b: a > b && a <= b && a >= b"),
 ("precedence", "equality is below comparison", "1 < 2 == 2 > 1"),
 ("precedence", "inequality", "1 != 2"),
 ("precedence", "not is above update", "a: b: !a // b"),
 ("precedence", "concat of list literals", "a: [ 1 ] ++ [ a ] ++ a"),
 ("precedence", "application of several arguments", "f: f { } [ ] \"s\" (f 1)"),
 ("precedence", "equality is non-associative", "1 == 2 == 3"),
 ("precedence", "comparison is non-associative", "1 < 2 < 3"),
 ("or", "or as an identifier argument", "let or = 1; f = x: x; in f or"),
 ("or", "or as a variable on its own", "let or = 1; in or"),
 ("or", "or as a lambda parameter", "or: 1"),
 ("or", "or as an attribute name", "{ or = 1; }.or"),
 ("or", "select with or default", "x: x.a.b or x.c"),
 ("or", "select with or default inside an application", "f: x: f x.y or 3"),
 ("or", "select with dynamic attribute", "x: c: x.a.${c}.\"d e\".\"${\"f\"}\""),
 ("lambdas", "formals with defaults, ellipsis and @", "{ x, y ? 1, ... }@args: x"),
 ("lambdas", "@ before formals", "args@{ x, y ? x }: y"),
 ("lambdas", "empty formals", "{ }: 1"),
 ("lambdas", "only ellipsis", "{ ... }: 1"),
 ("lambdas", "formals are printed sorted", "{ z, a, m ? a }: z"),
 ("lambdas", "duplicate formal", "{ a, a }: 1"),
 ("bindings", "legacy let", "let { x = 1; body = x; }"),
 ("bindings", "recursive set", "rec { a = 1; b = a; }"),
 ("bindings", "inherit and inherit from", "let a = 1; b = { c = 2; }; in { inherit a; inherit (b) c \"d\"; }"),
 ("bindings", "inherit from in let", "let inherit ({ a = 1; }) a; in a"),
 ("bindings", "nested attribute path merging", "{ a.b = 1; a.c = 2; a = { d = 3; }; x.y.z = 4; }"),
 ("bindings", "nested attribute path in let", "let a.b = 1; a.c = 2; in a"),
 ("bindings", "dynamic attributes", "let x = \"k\"; in { ${x} = 1; \"${x}y\" = 2; \"plain\" = 3; \"a b\" = 4; ${\"s\"} = 5; }"),
 ("bindings", "keyword and odd attribute names are quoted", "{ \"if\" = 1; \"then\" = 2; a-b = 3; \"x'\" = 4; \"\" = 5; }"),
 ("bindings", "__curPos", "{ a = __curPos; }"),
 ("bindings", "assert, with, if", "assert true; with { }; if null then 1 else 2"),
 ("bindings", "lists with mixed elements", "[ 1 (2) \"s\" ./p (f: f) true null ]"),
 ("bindings", "comments are ignored", "/* c */ 1 # trailing\n"),
 ("bindings", "duplicate attribute", "{ a = 1; a = 2; }"),
 ("bindings", "duplicate nested attribute", "{ a.b = 1; a = { b = 2; }; }"),
 ("bindings", "missing semicolon in let", "let x = 1 in x"),
 ("bindings", "undefined variable", "x: y"),
 ("bindings", "dynamic attribute in let", "x: let ${x} = 1; in 2"),
 ("bindings", "dynamic attribute in inherit", "x: { inherit ${x}; }"),
 ("bindings", "unexpected end of file", "(1"),
 ("bindings", "multi-line error context", "{\n  a = 1;\n  b = ;\n}"),
 ("strings", "string escapes", r'"a\nb\tc\r\"\\\${x}\$ \q $${"'),
 ("strings", "string with interpolation", 'x: "a${x}b${"c"}"'),
 ("strings", "string that is only an interpolation", 'x: "${x}"'),
 ("strings", "empty strings", '[ "" \'\'\'\' ]'),
 ("strings", "indented string indentation stripping", "''\n    a\n      b\n\n    c\n  ''"),
 ("strings", "indented string escapes", "x: ''\n  ''$ ''' ''\\n ''\\t ''${x} $${x} ''\\x\n''"),
 ("strings", "indented string with interpolation and text on the first line", "x: ''  a ${x} b\n   c''"),
 ("strings", "indented string: tabs are not indentation", "''\n\ta\n  b\n  ''"),
 ("strings", "indented string with CRLF line ends", "''\r\n  a\r\n  b\r\n''"),
 ("strings", "unterminated string", "\"abc"),
 ("strings", "NUL byte in a string", "\"foo\x00bar\"", "stdin"),
 ("strings", "NUL byte in an indented string", "''\n  foo\n  \x00\n  bar\n''", "stdin"),
 ("numbers", "floats", "[ 1.0 .5 1.5e3 0.1e-2 1.E5 2.50 123456789.0 ]"),
 ("numbers", "1e5 is an integer applied to e5", "e5: 1e5"),
 ("numbers", "integers", "[ 0 007 9223372036854775807 ]"),
 ("numbers", "integer overflow", "9223372036854775808"),
 ("paths", "relative paths resolve against the base directory", "[ ./foo/bar ../x a/b /abs/path ./. ./a/../b ]"),
 ("paths", "interpolated paths", "x: ./foo/${x}.nix"),
 ("paths", "path ending in an interpolation", "x: /a/${x}"),
 ("paths", "search paths", "[ <nixpkgs> <nixpkgs/lib> ]"),
 ("paths", "home paths", "~/foo/bar"),
 ("paths", "URIs", "[ http://example.com/x?y=1&z=2 x:y mirror://gnu/hello ]"),
 ("paths", "path with a trailing slash", "./foo/"),
 ("precedence", "negative literal and not", "[ (-1) (!true) ]"),
 ("precedence", "string concatenation with +", "\"a\" + \"b\" + ./c"),
 ("or", "or without a default after a select", "f: x: f x.a or"),
 ("or", "or default on a set literal", "{ a = 1; }.a or 2"),
 ("or", "or default with a dynamic attribute", "x: x.${\"a\"} or 1"),
 ("lambdas", "formals with @ in a let", "let f = { a ? 1, b, ... }@x: x; in f"),
 ("bindings", "quoted names with dots", "{ \"a.b\" = 1; a.\"b.c\".d = 2; }"),
 ("bindings", "with makes variables dynamic", "with 1; x"),
 ("bindings", "select chain", "a: a.b.c"),
 ("strings", "adjacent interpolations", "x: y: \"${x}${y}\""),
 ("strings", "indented string without newlines", "''a''"),
 ("strings", "indented string: minimum indentation", "''\n  a\n b''"),
 ("strings", "indented string: whitespace-only first line is dropped", "''  \n  a\n  ''"),
 ("strings", "indented string that is only an interpolation", "x: ''${x}''"),
 ("numbers", "float formatting", "[ 1.0e100 0.000001 1234567.0 0.1 ]"),
 ("paths", "path normalisation", "[ /../a /a/./b/../c ./a/. ]"),
 ("paths", "path ending in two slashes", "[ ./a/b// ]"),
 ("paths", "double slash in a path", "[ ./a//b ]"),
 ("paths", "search path and a path in one expression", "<a/b> + ./c"),
 ("paths", "URI with a fragment", "https://x.y/z#frag"),
]

res = []
env = dict(os.environ, HOME="/home/test")
for group, name, e, *rest in CASES:
    stdin = rest == ["stdin"]
    if stdin:
        p = subprocess.run(REFERENCE + ["--parse", "-"], input=e.encode(), cwd="/tmp", env=env, capture_output=True)
    else:
        p = subprocess.run(REFERENCE + ["--parse", "-E", e], cwd="/tmp", env=env, capture_output=True)
    res.append(dict(group=group, name=name, expr=e, stdin=stdin, rc=p.returncode, out=p.stdout.decode(), err=p.stderr.decode()))

# Cases where swix deliberately prints newer Nix's token names ('in' instead of IN_KW).
WORDING = ["equality is non-associative", "missing semicolon in let", "or as a variable on its own", "or as a lambda parameter"]
# Real differences (parser bugs), with an explanation that goes into a comment.
KNOWN = {
 "dynamic attribute in let": "swix points at the dynamic attribute; Nix 2.26 (and newer Nix, see lang/eval-fail-dynamic-attrs-let.err.exp) points at the `let` keyword.",
 "path with a trailing slash": "at the very end of the input Nix 2.26 reports the start of the path (1:1), swix the end (1:7); with anything after the path both report the end.",
 "NUL byte in a string": "Nix rejects NUL bytes in string literals while parsing (this is what makes lang/eval-fail-string-nul-1 fail); swix accepts them. Given on stdin: -E cannot carry a NUL.",
 "NUL byte in an indented string": "the same for indented strings (lang/eval-fail-string-nul-2).",
 "double slash in a path": "`//` inside a path literal is a syntax error in Nix (PATH_END where `${` is expected); swix accepts it and prints `(/tmp/a/ + \"/b\")`.",
}
known = set(WORDING) | set(KNOWN)

def lit(s):
    if not any(ord(c) < 32 for c in s) and '"#' not in s and not s.endswith('"'):
        return '#"' + s + '"#'
    if not any(ord(c) < 32 for c in s) and '"##' not in s:
        return '##"' + s + '"##'
    out = ""
    for c in s:
        out += {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0"}.get(c, c)
    return '"' + out + '"'

def multiline(s, indent):
    # s ends with "\n"; a multi-line raw literal drops the newline before the closing delimiter, so add an empty line.
    assert s.endswith("\n") and '"""' not in s and "\t" not in s and "\r" not in s
    lines = s.split("\n")[:-1]
    body = "\n".join((indent + l) if l else "" for l in lines)
    return '#"""\n' + body + "\n\n" + indent + '"""#'

def case(r, ind):
    if r["rc"] == 0:
        out = r["out"]
        assert out.endswith("\n") and out.count("\n") == 1, r
        return f'{ind}.init({lit(r["name"])},\n{ind}      {lit(r["expr"])},\n{ind}      {lit(out[:-1])}),'
    else:
        stdin = ", stdin: true" if r.get("stdin") else ""
        return f'{ind}.init({lit(r["name"])},\n{ind}      {lit(r["expr"])},\n{ind}      error: {multiline(r["err"], ind + "    ")}{stdin}),'

groups = []
for r in res:
    if r["group"] not in groups: groups.append(r["group"])
out = []
for g in groups:
    rows = [r for r in res if r["group"] == g and r["name"] not in known]
    out.append(f"    static let {g}: [ReferenceCase] = [")
    for r in rows: out.append(case(r, "        "))
    out.append("    ]\n")
out.append("    /// Errors where Nix 2.26 names Bison tokens (IN_KW, EQ, OR_KW) and swix, like newer Nix and the")
out.append("    /// corpus's .err.exp files, prints the token itself ('in', '==', 'or'). Otherwise identical.")
out.append("    static let newerTokenNames: [ReferenceCase] = [")
for r in res:
    if r["name"] in WORDING: out.append(case(r, "        "))
out.append("    ]\n")
out.append("    /// Known parser differences from the reference (bugs in swix), checked by testKnownParserDifferences.")
out.append("    static let knownDifferences: [ReferenceCase] = [")
for r in res:
    if r["name"] in KNOWN:
        out.append("        // " + KNOWN[r["name"]])
        out.append(case(r, "        "))
out.append("    ]")
generated = "\n".join(out)

target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "NixSyntaxTests", "ParserTests.swift")
text = open(target, encoding="utf-8").read()
marker = "// MARK: - Reference outputs"
head = text[:text.index(marker)]
head += text[text.index(marker):].split("\n", 1)[0] + "\n\nextension ParserTests {\n"
open(target, "w", encoding="utf-8").write(head + generated + "\n}\n")
print("rewrote", os.path.normpath(target), "with", len(res), "cases")
