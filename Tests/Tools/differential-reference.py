#!/usr/bin/env python3
"""Records what the reference Nix (2.26) answers for every differential test case.

Usage: python3 Tests/Tools/differential-reference.py [GROUP ...]   (from the package root)

Reads Tests/Differential/cases/GROUP.txt (one Nix expression per line, or `@args [JSON array]`
for a whole command line; blank lines and lines starting with `#` are skipped) and writes Tests/Differential/expected/GROUP.jsonl: one JSON
object per case with the expression, the exit status, stdout, and the final `error:` message
of `nix-instantiate --eval --strict -E EXPR` run in Tests/Differential (so `./files/…` paths
work), with that directory replaced by `/pwd` in the output (bytes that are not UTF-8 become U+FFFD,
as the Swift test decodes them too). Needs `nix-ref` (the wrapper
from install-reference-nix), or a Nix 2.26 on PATH as `nix-instantiate`.
"""
import json, os, shutil, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIR = os.path.join(ROOT, "Tests", "Differential")
REFERENCE = [shutil.which("nix-ref"), "nix-instantiate"] if shutil.which("nix-ref") else [shutil.which("nix-instantiate") or "nix-instantiate"]


def final_error(stderr):
    """The last `error: …` line of a message (2.26 nests the real message under its trace)."""
    lines = [l.strip() for l in stderr.splitlines()]
    errors = [l for l in lines if l.startswith("error:") and l != "error:"]
    return errors[-1][len("error:"):].strip() if errors else ""


def warnings(stderr):
    return [l for l in stderr.splitlines() if l.startswith("trace: ") or l.startswith("evaluation warning: ")]


def arguments(expr):
    """A case is an expression for `--eval --strict -E`, or `@args ["…", …]`: a whole command line."""
    if expr.startswith("@args "):
        return json.loads(expr[len("@args "):])
    return ["--eval", "--strict", "-E", expr]


def run(expr):
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/tmp/swix-differential-home", "NIX_STORE_DIR": "/nix/store",
           "NIX_REMOTE": "dummy://", "TEST_VAR": "foo"}
    p = subprocess.run(REFERENCE + arguments(expr), cwd=DIR, env=env, capture_output=True, timeout=60)
    out = p.stdout.decode("utf-8", "replace").replace(DIR, "/pwd")
    err = p.stderr.decode("utf-8", "replace").replace(DIR, "/pwd")
    return {"expr": expr, "exit": p.returncode, "stdout": out, "error": final_error(err) if p.returncode else "",
            "messages": warnings(err)}


def main():
    groups = sys.argv[1:] or sorted(f[:-4] for f in os.listdir(os.path.join(DIR, "cases")) if f.endswith(".txt"))
    for g in groups:
        with open(os.path.join(DIR, "cases", g + ".txt"), encoding="utf-8") as f:
            cases = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
        with open(os.path.join(DIR, "expected", g + ".jsonl"), "w", encoding="utf-8") as out:
            for expr in cases:
                out.write(json.dumps(run(expr), ensure_ascii=False) + "\n")
        print(f"{g}: {len(cases)} cases")


if __name__ == "__main__":
    main()
