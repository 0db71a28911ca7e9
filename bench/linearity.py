#!/usr/bin/env python3
"""bench/linearity.py -- checks that Swix's cost grows linearly with the size of its input.

For every construct that can repeat or nest (unary operators, brackets, `let`, `with`,
lambdas, selections, operator chains, strings, comments, big `rec` sets, ...) it generates
inputs with 1e4, 1e5 and 1e6 repetitions, runs `swix instantiate --parse FILE` and
`swix instantiate --eval --strict FILE`, and prints the CPU times (user + system) and the growth ratio per
10x step (about 10 means linear; 100 means quadratic).  Refusals ("nested too deeply",
stack or call-depth errors) are timed like any other run: a refusal must come in linear
time too.  The outcome column shows `ok`, `err: <first words of the error>` or `TIMEOUT`.

Usage: bench/linearity.py [--sizes 10000,100000,1000000] [--only NAME[,NAME...]]
                          [--timeout SECS] [--modes parse,eval] [--list]
Environment: SWIX (default: .build/release/swix if present, else .build/debug/swix).

Not a test: timings are only printed (the test suite never asserts on time).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rep(s, n):
    return s * n


# name -> function from N to the source text.  Each program is valid Nix (for --parse) and,
# where it can be, evaluates to something small.
CONSTRUCTS = {
    "not": lambda n: rep("!", n) + "true",
    "neg": lambda n: rep("-", n) + "1",
    "neg-spaced": lambda n: rep("- ", n) + "1",
    "paren": lambda n: rep("(", n) + "1" + rep(")", n),
    "list": lambda n: rep("[", n) + rep("]", n),
    "list-flat": lambda n: "[" + rep("1 ", n) + "]",
    "attrs-nest": lambda n: rep("{a=", n) + "1" + rep(";}", n),
    "attrs-flat": lambda n: "{" + "".join("a%d=%d;" % (i, i) for i in range(n)) + "}",
    "attrpath": lambda n: "{" + ".".join(["a"] * n) + "=1;}",
    "let-nest": lambda n: rep("let a = 1; in ", n) + "a",
    "let-flat": lambda n: "let " + "".join("a%d=%d;" % (i, i) for i in range(n)) + "in a0",
    "with": lambda n: rep("with {}; ", n) + "1",
    "assert": lambda n: rep("assert true; ", n) + "1",
    "if": lambda n: rep("if true then ", n) + "1" + rep(" else 0", n),
    "lambda": lambda n: rep("x: ", n) + "x",
    "lambda-app": lambda n: "(" + rep("x: ", n) + "x)" + rep(" 1", n),
    "formals": lambda n: rep("{a}: ", n) + "a",
    # Nested lambdas whose innermost body uses every parameter: with flat closures each level
    # captures all the variables used below it (quadratic in the nesting depth, which the
    # parser bounds at 20,000).
    "lambda-capture": lambda n: "".join("x%d: " % i for i in range(n)) + " + ".join("x%d" % i for i in range(n)),
    "formals-many": lambda n: "({" + ",".join("a%d" % i for i in range(n)) + "}: a0) {"
    + "".join("a%d=%d;" % (i, i) for i in range(n)) + "}",
    "select": lambda n: "let x = { a = x; b = 1; }; in (x" + rep(".a", n) + ").b",
    "hasattr": lambda n: "{} ? " + ".".join(["a"] * n),
    "update": lambda n: "{}" + rep(" // {}", n),
    "concat": lambda n: "[]" + rep(" ++ []", n),
    "plus": lambda n: "1" + rep(" + 1", n),
    "plus-str": lambda n: '""' + rep(' + "x"', n),
    "and": lambda n: "true" + rep(" && true", n),
    "app": lambda n: "(x: 1)" + rep(" 1", n),
    "interp-nest": lambda n: rep('"${', n) + '"x"' + rep('}"', n),
    "interp-flat": lambda n: '"' + rep('${"x"}', n) + '"',
    "indented-nest": lambda n: rep("''${", n) + "''x''" + rep("}''", n),
    "indented-lines": lambda n: "''\n" + rep("  line ${\"x\"} ''$ '''\n", n) + "''",
    "comment-line": lambda n: rep("# c\n", n) + "1",
    "comment-block": lambda n: rep("/* c */ ", n) + "1",
    "comment-long": lambda n: "/*" + rep("c", n * 10) + "*/ 1",
    "string-long": lambda n: '"' + rep("x", n * 10) + '"',
    "string-escapes": lambda n: '"' + rep("\\n\\t\\$", n) + '"',
    "rec-flat": lambda n: "builtins.length (builtins.attrNames (rec {"
    + "".join("a%d=%d;" % (i, i) for i in range(n)) + "}))",
    "rec-chain": lambda n: "(rec { a0 = 0; " + "".join("a%d=a%d+1;" % (i, i - 1) for i in range(1, n))
    + "}).a%d" % (n - 1),
    "let-chain": lambda n: "let a0 = 0; " + "".join("a%d=a%d+1;" % (i, i - 1) for i in range(1, n))
    + "in a%d" % (n - 1),
}


def swix_binary():
    if os.environ.get("SWIX"):
        return os.environ["SWIX"].split()
    for kind in ("release", "debug"):
        path = os.path.join(ROOT, ".build", kind, "swix")
        if os.path.exists(path):
            return [path]
    sys.exit("no swix binary: run `swift build -c release` (or set SWIX)")


def run(cmd, timeout):
    """Runs `cmd`; returns its CPU seconds (user + system) and outcome.

    CPU time rather than wall time: the machine is often shared with compilers, and a busy
    machine stretches wall time without changing the work done.
    """
    with tempfile.TemporaryFile() as errf:
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errf)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                p.kill()
                _, status, usage = os.wait4(p.pid, 0)
                return usage.ru_utime + usage.ru_stime, "TIMEOUT"
            time.sleep(0.005)
        elapsed = usage.ru_utime + usage.ru_stime
        code = os.waitstatus_to_exitcode(status)
        errf.seek(0)
        stderr = errf.read()
    if code == 0:
        return elapsed, "ok"
    err = stderr.decode("utf-8", "replace").strip().splitlines()
    first = next((l for l in err if "error" in l), err[0] if err else "exit %d" % code)
    first = first.replace("\x1b[31;1m", "").replace("\x1b[0m", "").replace("\x1b[35;1m", "")
    if code < 0 or code >= 128:
        return elapsed, "CRASH(%d) %s" % (code, first[:40])
    return elapsed, "err: " + first.replace("error:", "").strip()[:40]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--modes", default="parse,eval")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    if args.list:
        print("\n".join(CONSTRUCTS))
        return
    only = [n for o in args.only for n in o.split(",")]
    for n in only:
        if n not in CONSTRUCTS:
            sys.exit("unknown construct %s (see --list)" % n)
    names = only or list(CONSTRUCTS)
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    modes = args.modes.split(",")
    swix = swix_binary()
    print("# swix: %s; load average %s" % (" ".join(swix), os.getloadavg()[0]))
    header = ["construct", "mode"] + ["%g cpu s" % s for s in sizes] + ["x/10x"] * (len(sizes) - 1) + ["outcome at %g" % sizes[-1]]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    sys.stdout.flush()
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            files = []
            for s in sizes:
                path = os.path.join(tmp, "%s-%d.nix" % (name, s))
                with open(path, "w") as f:
                    f.write(CONSTRUCTS[name](s))
                files.append(path)
            for mode in modes:
                flags = ["--parse"] if mode == "parse" else ["--eval", "--strict"]
                times, outcomes = [], []
                for path in files:
                    t, o = run(swix + ["instantiate"] + flags + [path], args.timeout)
                    times.append(t)
                    outcomes.append(o)
                    if o == "TIMEOUT":
                        break
                cells = ["%.3f" % t for t in times] + ["-"] * (len(sizes) - len(times))
                ratios = []
                for i in range(1, len(sizes)):
                    if i < len(times) and times[i - 1] > 0:
                        # Subtract nothing: start-up (~10 ms) makes small sizes look sub-linear.
                        ratios.append("%.1f" % (times[i] / times[i - 1]))
                    else:
                        ratios.append("-")
                print("| " + " | ".join([name, mode] + cells + ratios + [outcomes[-1]]) + " |")
                sys.stdout.flush()


if __name__ == "__main__":
    main()
