#!/usr/bin/env python3
"""Compares swix's builtins.match/builtins.split with the reference Nix on random patterns.

Usage: python3 Tests/Tools/regex-fuzz.py [COUNT] [SEED] [chaos]   (from the package root, after
`swift build`; needs `nix-ref`). Generates COUNT random extended regular expressions over a
small alphabet (groups, alternation with empty branches, loops, bounds, brackets, anchors)
with random subjects, evaluates `match` and `split` of each in one batch with both
evaluators, and prints the cases where they differ. Patterns swix rejects are checked one
by one (the reference must reject them too); with `chaos`, stray special characters are mixed
in so that many patterns are invalid. REGEX_FUZZ_LENGTH sets the longest subject (default 6). Exit status 1 when something differs.
"""
import json, random, subprocess, sys, os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SWIX = os.path.join(ROOT, ".build", "debug", "swix")


CHAOS = False


def atom(r, depth):
    k = r.random()
    if depth < 2 and k < 0.25:
        return "(" + alternation(r, depth + 1) + ")"
    if k < 0.35:
        return r.choice(["[ab]", "[^a]", "[a-c]", "[]a]", "[^]b]", "[[:alpha:]]", "[-a]", "[a-]"])
    if k < 0.42:
        return "."
    return r.choice("abc")


def piece(r, depth):
    a = atom(r, depth)
    for _ in range(r.choice([0, 0, 0, 0, 1, 1, 1, 2])):
        a += r.choice(["*", "+", "?", "*", "{0,1}", "{1,2}", "{2}", "{0,}", "{1,}"])
    return a


def branch(r, depth):
    items = []
    for _ in range(r.choice([0, 1, 1, 2, 2, 3])):
        k = r.random()
        if k < 0.03 and CHAOS:
            items.append(r.choice(["(", ")", "{", "}", "{1", "\\", "\\.", "\\a", "[", "]", "*", "+", "?", "|", "-", ",", "2", "[:", "[=a=]", "[[.a.]]", "[b-a]", "[a-b-c]", "[[:alpha:]-z]", "\\{", "\\}"]))
        elif k < 0.04:
            items.append("^")
        elif k < 0.08:
            items.append("$")
        else:
            items.append(piece(r, depth))
    return "".join(items)


def alternation(r, depth):
    return "|".join(branch(r, depth) for _ in range(r.choice([1, 1, 1, 2, 2, 3])))


def nix_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


def evaluate(command, expr, timeout=8):
    try:
        p = subprocess.run(command + ["--eval", "--strict", "--json", "-E", expr], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", "timeout"
    return p.returncode, p.stdout.strip(), p.stderr


def batch(command, cases):
    items = " ".join("[(builtins.match %s %s) (builtins.split %s %s)]" % (nix_string(p), nix_string(s), nix_string(p), nix_string(s))
                     for p, s in cases)
    code, out, err = evaluate(command, "[ %s ]" % items)
    if code != 0:
        return None if len(cases) == 1 else [x for half in (cases[:len(cases) // 2], cases[len(cases) // 2:])
                                               for x in (batch(command, half) or [None] * len(half))]
    return json.loads(out)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    global CHAOS
    CHAOS = len(sys.argv) > 3
    r = random.Random(seed)
    cases = []
    for _ in range(count):
        pattern = alternation(r, 0)
        subject = "".join(r.choice("abcab") for _ in range(r.randint(0, int(os.environ.get("REGEX_FUZZ_LENGTH", "6")))))
        cases.append((pattern, subject))
    valid, invalid = [], []
    for c in cases:
        code, _, _ = evaluate([SWIX, "instantiate"], "builtins.match %s \"\"" % nix_string(c[0]))
        (valid if code == 0 else invalid).append(c)
    failures = 0
    for p, s in invalid:
        code, _, _ = evaluate(["nix-ref", "nix-instantiate"], "builtins.match %s \"\"" % nix_string(p))
        if code == 0:
            print("swix rejects, reference accepts:", p)
            failures += 1
    mine, reference = [], []
    for k in range(0, len(valid), 10):
        chunk = valid[k:k + 10]
        mine += batch([SWIX, "instantiate"], chunk) or [None] * len(chunk)
        reference += batch(["nix-ref", "nix-instantiate"], chunk) or [None] * len(chunk)
    skipped = 0
    for (p, s), a, b in zip(valid, mine, reference):
        if b is None:
            skipped += 1  # the reference timed out (exponential backtracking) or failed
        elif a != b:
            failures += 1
            print("DIFF %s on %s\n  swix: %s\n  nix:  %s" % (json.dumps(p), json.dumps(s), json.dumps(a), json.dumps(b)))
    print("%d cases (%d invalid, %d without a reference answer), %d differences" % (len(cases), len(invalid), skipped, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
