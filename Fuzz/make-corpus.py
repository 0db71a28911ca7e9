#!/usr/bin/env python3
"""Fuzz/make-corpus.py -- writes the seed corpora of the fuzz harnesses into Fuzz/corpus/ (git-ignored).

FuzzParser and FuzzEval: every .nix file of the language corpus (Tests/Data/nix-lang-tests/lang)
and of nixpkgs lib (Tests/Data/nixpkgs-lib/lib, up to 4 KiB, libFuzzer's -max_len in run.sh).
FuzzFormats: a selector byte (0 fromJSON, 1 fromTOML, 2 match, 3 split) followed by the JSON
and TOML documents of the language corpus and the strings that its tests pass to fromJSON,
fromTOML, match and split, plus a few regular expressions.
"""

import hashlib
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fuzz", "corpus")
LANG = os.path.join(ROOT, "Tests", "Data", "nix-lang-tests", "lang")
LIB = os.path.join(ROOT, "Tests", "Data", "nixpkgs-lib", "lib")
MAX = 4096


def write(harness, data):
    d = os.path.join(OUT, harness)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def nix_files():
    for base in (LANG, LIB):
        for dirpath, _, files in os.walk(base):
            for f in sorted(files):
                if f.endswith(".nix"):
                    yield os.path.join(dirpath, f)


def main():
    count = {"FuzzParser": 0, "FuzzEval": 0, "FuzzFormats": 0}
    strings = re.compile(rb'"((?:[^"\\]|\\.){1,400})"')
    for path in nix_files():
        with open(path, "rb") as f:
            data = f.read()
        if len(data) <= MAX:
            for h in ("FuzzParser", "FuzzEval"):
                write(h, data)
                count[h] += 1
        for selector, builtin in ((0, b"fromJSON"), (1, b"fromTOML"), (2, b"match"), (3, b"split")):
            if builtin in data:
                for m in strings.finditer(data):
                    s = m.group(1).replace(b"\\n", b"\n").replace(b'\\"', b'"').replace(b"\\\\", b"\\")
                    write("FuzzFormats", bytes([selector]) + s)
                    count["FuzzFormats"] += 1
    for f in sorted(os.listdir(LANG)):
        if f.endswith((".json", ".toml")):
            with open(os.path.join(LANG, f), "rb") as fh:
                write("FuzzFormats", bytes([0 if f.endswith(".json") else 1]) + fh.read()[:MAX])
                count["FuzzFormats"] += 1
    for p, s in ((b"a(b|c)*d", b"abcbd"), (b"([[:alpha:]]+)([0-9]{2,3})?", b"foo123"), (b"^(.*)\\.nix$", b"x.nix"),
                 (b"[^]a-z-]+", b"Q]"), (b"(a?){10}a{10}", b"aaaaaaaaaa"), (b"\\.|\\\\", b"a.b\\c")):
        for selector in (2, 3):
            write("FuzzFormats", bytes([selector]) + p + b"\0" + s)
            count["FuzzFormats"] += 1
    print("seed corpus: " + ", ".join("%s %d" % kv for kv in count.items()))


if __name__ == "__main__":
    main()
