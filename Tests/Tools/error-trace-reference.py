#!/usr/bin/env python3
"""Records the complete error output (trace lines included) of the reference Nix (2.26).

Usage: python3 Tests/Tools/error-trace-reference.py   (from the package root)

Reads Tests/ErrorTraces/cases.txt (one Nix expression per line; blank lines and lines starting
with `#` are skipped) and writes Tests/ErrorTraces/expected.jsonl: for each expression and for
each of `--eval --strict -E EXPR` and `--eval --strict --show-trace -E EXPR`, the exit status
and the whole stderr. Tests/SwixCLITests/ErrorTraceTests.swift compares swix's stderr with it
byte for byte. Needs `nix-ref` (the wrapper from install-reference-nix), or a Nix 2.26 on PATH.
"""
import json, os, shutil, subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIR = os.path.join(ROOT, "Tests", "ErrorTraces")
REFERENCE = [shutil.which("nix-ref"), "nix-instantiate"] if shutil.which("nix-ref") else [shutil.which("nix-instantiate") or "nix-instantiate"]


def run(expr, show_trace):
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/tmp/swix-traces-home",
           "NIX_STORE_DIR": "/nix/store", "NIX_REMOTE": "dummy://"}
    args = ["--eval", "--strict"] + (["--show-trace"] if show_trace else []) + ["-E", expr]
    p = subprocess.run(REFERENCE + args, cwd=DIR, env=env, capture_output=True, timeout=60)
    return {"expr": expr, "showTrace": show_trace, "exit": p.returncode,
            "stderr": p.stderr.decode("utf-8", "replace")}


def main():
    with open(os.path.join(DIR, "cases.txt"), encoding="utf-8") as f:
        cases = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    with open(os.path.join(DIR, "expected.jsonl"), "w", encoding="utf-8") as out:
        for expr in cases:
            for show_trace in (False, True):
                out.write(json.dumps(run(expr, show_trace), ensure_ascii=False) + "\n")
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()
