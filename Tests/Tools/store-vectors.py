#!/usr/bin/env python3
"""Regenerates Tests/NixStoreTests/Vectors/store-vectors.json from the reference Nix (2.26).

Usage: python3 Tests/Tools/store-vectors.py   (from the package root; needs `nix-ref`, or Nix 2.26
on PATH)

The vectors:
- hashes: for each string and algorithm, the hash in base16, nix32, base64 and SRI
  (`builtins.hashString` and `builtins.convertHash`);
- parses: `builtins.convertHash { hash; hashAlgo?; toHashFormat = "sri"; }` results or final
  error messages, for `Hash.parseAny`;
- trees: small file trees described entry by entry (the Swift test builds the same tree in a
  temporary directory), with the SHA-256 and size of their NAR (`nix-store --dump`), their
  NAR hash in nix32 (`nix-hash --type sha256 --base32`) and the paths `nix-store --add` and
  `nix-store --add-fixed [--recursive] ALGO` give them;
- large: the NAR SHA-256 of a sparse regular file of zeros of a given size;
- textPaths: `builtins.toFile NAME CONTENTS` paths (also with references and another store
  directory) and the messages for invalid names;
- placeholders: `builtins.placeholder OUTPUT`.
"""
import hashlib, json, os, shutil, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "NixStoreTests", "Vectors", "store-vectors.json")
NIX = [shutil.which("nix-ref")] if shutil.which("nix-ref") else []
ENV = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/tmp/swix-store-vectors-home"}

STRINGS = ["", "abc", "hello world\n", "Grüße, ☃", "x" * 1000]
ALGOS = ["md5", "sha1", "sha256", "sha512"]


def nix(*args, env=None, check=True):
    p = subprocess.run(NIX + list(args), env={**ENV, **(env or {})}, capture_output=True, cwd="/tmp")
    if check and p.returncode != 0:
        raise SystemExit(f"{args}: {p.stderr.decode()}")
    return p


def final_error(stderr):
    lines = [l.strip() for l in stderr.decode("utf-8", "replace").splitlines()]
    errors = [l for l in lines if l.startswith("error:") and l != "error:"]
    return errors[-1][len("error:"):].strip() if errors else ""


def eval_json(expr, env=None):
    return json.loads(nix("nix-instantiate", "--eval", "--strict", "--json", "--readonly-mode", "-E", expr, env=env).stdout)


def nix_string(s):
    return json.dumps(s, ensure_ascii=False).replace("${", "\\${")


def hashes():
    exprs = []
    for s in STRINGS:
        for a in ALGOS:
            h = f"builtins.hashString \"{a}\" {nix_string(s)}"
            conv = lambda f: f"builtins.convertHash {{ hash = {h}; hashAlgo = \"{a}\"; toHashFormat = \"{f}\"; }}"
            exprs.append(f"{{ string = {nix_string(s)}; algorithm = \"{a}\"; base16 = {h}; nix32 = {conv('nix32')}; "
                         f"base64 = {conv('base64')}; sri = {conv('sri')}; }}")
    return eval_json("[" + " ".join(exprs) + "]")


PARSES = [
    ("sha256:0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73", None),
    ("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", None),
    ("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", None),
    ("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", None),
    ("sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", None),
    ("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "sha256"),
    ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256"),
    ("0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73", "sha256"),
    ("0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73", None),
    ("sha256:0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73", "sha1"),
    ("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "sha512"),
    ("sha256:0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c7", None),
    ("sha256:0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c7e", None),
    ("sha256:zzzqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73", None),
    ("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85g", None),
    ("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuF", None),
    ("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU", None),
    ("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=xyz", None),
    ("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSu*U=", None),
    ("sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSu*U=", None),
    ("sha256:", None),
    ("", "sha256"),
    ("sha257:abc", None),
    ("foo-bar:abc", None),
    ("md5:d41d8cd98f00b204e9800998ecf8427e", None),
    ("sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709", None),
    ("sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=", None),
    ("sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==", None),
    ("abc", "md5"),
]


def parses():
    out = []
    for text, algo in PARSES:
        attrs = f"hash = {nix_string(text)}; toHashFormat = \"sri\";" + (f" hashAlgo = \"{algo}\";" if algo else "")
        p = nix("nix-instantiate", "--eval", "--strict", "--json", "-E", f"builtins.convertHash {{ {attrs} }}", check=False)
        entry = {"text": text, "algorithm": algo}
        if p.returncode == 0:
            entry["sri"] = json.loads(p.stdout)
        else:
            entry["error"] = final_error(p.stderr)
        out.append(entry)
    return out


# Each tree: a name (the root's base name) and its entries: (relative path, kind, data), where
# kind is file, exec, link or dir; the root itself is "" (a file root or a directory root).
TREES = [
    ("hello.txt", [("", "file", "hello\n")]),
    ("empty", [("", "file", "")]),
    ("script.sh", [("", "exec", "#!/bin/sh\necho hi\n")]),
    ("eight", [("", "file", "12345678")]),
    ("link", [("", "link", "target/of/link")]),
    ("empty-dir", [("", "dir", "")]),
    ("tree", [
        ("", "dir", ""),
        ("B", "file", "capital b\n"),
        ("a", "file", "seven b"),
        ("a-b", "file", "nine byte"),
        ("a.b", "exec", "#!/bin/sh\n"),
        ("Z", "link", "a"),
        ("sub", "dir", ""),
        ("sub/inner.txt", "file", "inner\n"),
        ("sub/empty", "dir", ""),
        ("sub/deeper", "dir", ""),
        ("sub/deeper/x", "file", "x"),
        ("sub/dangling", "link", "../nowhere"),
    ]),
    ("deep", [("", "dir", "")] + [("/".join(["d"] * i), "dir", "") for i in range(1, 41)]
     + [("/".join(["d"] * 40) + "/leaf", "file", "leaf\n")]),
]


def build(root, entries):
    for rel, kind, data in entries:
        p = os.path.join(root, rel) if rel else root
        if kind == "dir":
            os.makedirs(p, exist_ok=True)
        elif kind == "link":
            os.symlink(data, p)
        else:
            with open(p, "w", encoding="utf-8") as f:
                f.write(data)
            os.chmod(p, 0o755 if kind == "exec" else 0o644)


def trees(tmp):
    out = []
    for name, entries in TREES:
        d = tempfile.mkdtemp(dir=tmp)
        root = os.path.join(d, name)
        build(root, entries)
        nar = nix("nix-store", "--dump", root).stdout
        entry = {"name": name, "entries": [{"path": r, "kind": k, "data": v} for r, k, v in entries],
                 "narSHA256": hashlib.sha256(nar).hexdigest(), "narSize": len(nar),
                 "narHashNix32": nix("nix-hash", "--type", "sha256", "--base32", root).stdout.decode().strip(),
                 "added": nix("nix-store", "--add", root).stdout.decode().strip(),
                 "fixed": {}}
        if name == "hello.txt":
            entry["narBase64"] = __import__("base64").b64encode(nar).decode()
        for algo in ALGOS:
            entry["fixed"]["r:" + algo] = nix("nix-store", "--add-fixed", "--recursive", algo, root).stdout.decode().strip()
            if entries[0][1] in ("file", "exec"):
                entry["fixed"][algo] = nix("nix-store", "--add-fixed", algo, root).stdout.decode().strip()
        out.append(entry)
    return out


def large(tmp):
    out = []
    for size in [(1 << 20) + 3, 1 << 30]:
        p = os.path.join(tmp, f"zeros-{size}")
        with open(p, "wb") as f:
            f.truncate(size)
        h = hashlib.sha256()
        proc = subprocess.Popen(NIX + ["nix-store", "--dump", p], stdout=subprocess.PIPE, env=ENV)
        for chunk in iter(lambda: proc.stdout.read(1 << 20), b""):
            h.update(chunk)
        proc.wait()
        out.append({"size": size, "narSHA256": h.hexdigest()})
        os.remove(p)
    return out


NAMES = ["x", "hello-1.0", "a+b_c?d=e.f", "-", ".a", "..a", ".-a", "..-a", "a b", "", ".", "..", "é",
         "a/b", "n" * 211, "n" * 212, "foo.drv"]


def text_paths():
    out = []
    cases = [("x", "y", None), ("hello", "", None), ("hello", "hello world\n", None),
             ("x", "y", "/foo/store"), ("x", "y", "/nix/store/")]
    for name, contents, store in cases:
        env = {"NIX_STORE_DIR": store} if store else None
        path = eval_json(f"builtins.toFile {nix_string(name)} {nix_string(contents)}", env=env)
        out.append({"name": name, "contents": contents, "storeDir": store, "references": [], "path": path})
    # With references: the contents mention other text paths through their context.
    refs = eval_json('[(builtins.toFile "a" "1") (builtins.toFile "b" "2")]')
    path = eval_json('let a = builtins.toFile "a" "1"; b = builtins.toFile "b" "2"; in builtins.toFile "r" "${b} ${a}"')
    out.append({"name": "r", "contents": f"{refs[1]} {refs[0]}", "storeDir": None, "references": refs, "path": path})
    bad = []
    for name in NAMES:
        p = nix("nix-instantiate", "--eval", "--strict", "--json", "--readonly-mode", "-E",
                f"builtins.toFile {nix_string(name)} \"x\"", check=False)
        bad.append({"name": name, "path": json.loads(p.stdout) if p.returncode == 0 else None,
                    "error": final_error(p.stderr) if p.returncode else None})
    return out, bad


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="swix-store-vectors-") as tmp:
        texts, names = text_paths()
        data = {"hashes": hashes(), "parses": parses(), "trees": trees(tmp), "large": large(tmp),
                "textPaths": texts, "names": names,
                "placeholders": [{"output": o, "placeholder": eval_json(f"builtins.placeholder \"{o}\"")}
                                 for o in ["out", "dev", "bin"]]}
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
