#!/usr/bin/env python3
"""Generate the `parse` benchmark input: one big, realistic Nix expression.

Usage: gen-parse-input.py OUT.nix [SIZE]

SIZE is the approximate output size in bytes, optionally with a K or M suffix
(binary units); default 6M.  The output is deterministic: the same SIZE always
gives the same bytes (fixed seed, no dependence on the environment).

The file is a single expression shaped like a slice of nixpkgs:

    { lib, stdenv, fetchurl, ... }@topArgs:
    let
      inherit (lib) ...;
      callPackage = ...;
      <thousands of bindings: package functions, small libraries,
       NixOS-style modules, overlays>
    in
    { ...a set exposing all of them... }

Every variable is bound (`nix-instantiate --parse` rejects undefined
variables outside `with`), so the file parses with C++ Nix.  It exercises
function formals with defaults and `@` patterns, `let ... in`, `rec { }`,
nested attribute paths, `inherit` / `inherit (x) ...`, `with`, `if`,
`assert`, interpolation in "..." and ''...'' strings (with escapes), paths,
URL literals, search paths, lists, arithmetic, comparison and logical
operators, `//`, `++`, `?`, `or`, lambdas, and both comment styles.
"""
import random
import sys

SEED = 20250601

WORDS = (
    "fast small simple portable secure modern lightweight extensible modular "
    "robust efficient minimal flexible scalable parallel generic versatile "
    "library tool utility framework daemon server client toolkit engine "
    "compiler interpreter parser formatter linter debugger profiler monitor "
    "for the a of and with to in on from into by over "
    "image audio video text file network graphics terminal data stream "
    "compression encryption database cache queue protocol archive document "
    "font color window font shell system kernel process thread memory disk "
    "manipulation processing management rendering analysis conversion "
    "C C++ Rust Go Python Haskell OCaml Lua Perl Ruby Java JSON YAML XML "
    "HTTP TLS DNS SSH SQL Unicode Wayland X11 OpenGL Vulkan GTK Qt"
).split()

SYLLABLES = (
    "ab ac al an ar as at ba be bi bo bu ca ce ci co cu da de di do du "
    "el em en er es et fa fe fi fo fu ga ge gi go gu ha he hi ho hu ka ke "
    "ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu "
    "ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo wa we xo yu "
    "za ze zi zo"
).split()

PREFIXES = ["lib", "", "", "", "py", "g", "x", "k", "q", "", "open", "fast", "go-", "rust-", "perl-", "ocaml-"]

LIB_DEPS = [
    "zlib", "openssl", "libpng", "libjpeg", "libxml2", "libffi", "curl", "expat",
    "sqlite", "ncurses", "readline", "gettext", "glib", "gtk3", "qtbase", "boost",
    "libuv", "pcre2", "xz", "bzip2", "zstd", "libogg", "libvorbis", "freetype",
    "fontconfig", "harfbuzz", "cairo", "pango", "libiconv", "icu", "gmp", "mpfr",
    "libevent", "systemd", "dbus", "libusb1", "alsa-lib", "libpulseaudio",
    "wayland", "libX11", "libGL", "vulkan-loader", "lz4", "libarchive", "jansson",
]

NATIVE_DEPS = ["pkg-config", "cmake", "ninja", "meson", "autoreconfHook", "makeWrapper",
               "perl", "python3", "bison", "flex", "gettext", "installShellFiles", "which"]

PY_DEPS = ["setuptools", "wheel", "requests", "six", "attrs", "click", "pytest",
           "numpy", "pyyaml", "jinja2", "typing-extensions", "packaging", "hatchling"]

LICENSES = ["mit", "asl20", "bsd2", "bsd3", "gpl2Plus", "gpl3Only", "lgpl21Plus",
            "mpl20", "isc", "zlib", "unlicense", "publicDomain"]

MAINTAINERS = ["alice", "bob", "carol", "dave", "eve", "mallory", "trent", "peggy",
               "victor", "walter", "oscar", "sybil"]

PLATFORMS = ["unix", "linux", "darwin", "all", "x86_64", "aarch64"]

KEYWORDS = {"if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or"}

BASE32 = "0123456789abcdfghijklmnpqrsvwxyz"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
HEX = "0123456789abcdef"


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.used_names = set()

    # ---- small random helpers -------------------------------------------
    def pick(self, xs):
        return self.r.choice(xs)

    def chance(self, p):
        return self.r.random() < p

    def sample(self, xs, lo, hi):
        k = self.r.randint(lo, min(hi, len(xs)))
        return self.r.sample(xs, k)

    def word(self):
        while True:
            w = "".join(self.pick(SYLLABLES) for _ in range(self.r.randint(2, 3)))
            if w not in KEYWORDS:
                return w

    def words(self, k):
        """k distinct words"""
        out = []
        while len(out) < k:
            w = self.word()
            if w not in out:
                out.append(w)
        return out

    def pname(self):
        base = self.pick(PREFIXES) + self.word()
        if self.chance(0.3):
            base += "-" + self.word()
        return base

    def unique_ident(self, base):
        # identifiers may contain '-' and digits; keep them unique
        i = len(self.used_names)
        name = "%s-%d" % (base, i) if self.chance(0.6) else "%s_%d" % (base.replace("-", "_"), i)
        self.used_names.add(name)
        return name

    def sentence(self, lo=4, hi=10):
        ws = [self.pick(WORDS) for _ in range(self.r.randint(lo, hi))]
        s = " ".join(ws)
        return s[0].upper() + s[1:]

    def version(self):
        parts = [str(self.r.randint(0, 12)), str(self.r.randint(0, 40))]
        if self.chance(0.7):
            parts.append(str(self.r.randint(0, 20)))
        return ".".join(parts)

    def sha256_b32(self):
        return "".join(self.pick(BASE32) for _ in range(52))

    def sri(self):
        return "sha256-" + "".join(self.pick(B64) for _ in range(43)) + "="

    def rev(self):
        return "".join(self.pick(HEX) for _ in range(40))

    def nix_string_escape_demo(self):
        # a "..." string exercising escapes
        return self.pick([
            r'"say \"hello\" to ${pname}\n"',
            r'"tab\there\\backslash"',
            r'"not interpolated: \${HOME} and $$ and $out"',
            r'"${pname}-${version}: ${toString 42} \u00e9"'.replace(r"\u00e9", "e"),
            r'"line one\nline two\r\n"',
        ])

    # ---- chunk generators -------------------------------------------------
    def package(self, ind):
        """A nixpkgs-style package function: { formals }: stdenv.mkDerivation rec { ... }"""
        p = self.pname()
        var = self.unique_ident(p)
        deps = self.sample(LIB_DEPS, 1, 6)
        native = self.sample(NATIVE_DEPS, 0, 4)
        feats = ["enable" + x.capitalize() for x in self.words(self.r.randint(0, 3))]
        withs = ["with" + x.capitalize() for x in self.words(self.r.randint(0, 2))]
        use_github = self.chance(0.5)
        fetcher = "fetchFromGitHub" if use_github else "fetchurl"
        formals = ["lib", "stdenv", fetcher]
        extra_formals = []
        need_fetchpatch = self.chance(0.3)
        if need_fetchpatch:
            formals.append("fetchpatch")
        need_runcommand = self.chance(0.4)
        if need_runcommand:
            formals.append("runCommand")
        need_coreutils = self.chance(0.5)
        if need_coreutils and "coreutils" not in formals:
            formals.append("coreutils")
        for d in native + deps:
            if d not in formals:
                formals.append(d)
        for f in feats:
            extra_formals.append("%s ? %s" % (f, self.pick(["true", "false", "stdenv.hostPlatform.isLinux", "!stdenv.hostPlatform.isDarwin"])))
        for w in withs:
            extra_formals.append("%s ? %s" % (w, self.pick(["false", "true", "config.%s or false" % w])))
        if withs:
            extra_formals.append("config ? { }")
        extra_formals.append("extraConfigureFlags ? [ ]")
        I = " " * ind
        o = []
        w = o.append
        w("%s# %s: %s\n" % (I, p, self.sentence(3, 8).lower()))
        w("%s%s =\n" % (I, var))
        # formals in nixpkgs' leading-comma style or one-line style
        allf = formals + extra_formals
        if self.chance(0.7):
            w("%s  { %s\n" % (I, allf[0]))
            for f in allf[1:]:
                w("%s  , %s\n" % (I, f))
            w("%s  , ...\n%s  }%s:\n\n" % (I, I, "@args" if self.chance(0.3) else ""))
        else:
            w("%s  %s{ %s, ... }:\n" % (I, "args@" if self.chance(0.3) else "", ", ".join(allf)))
        if feats and self.chance(0.5):
            w("%s  assert %s -> %s != null;\n" % (I, feats[0], deps[0]))
        if self.chance(0.3):
            w("%s  assert lib.versionAtLeast (lib.getVersion %s) \"%d.%d\";\n" % (I, deps[-1], self.r.randint(1, 3), self.r.randint(0, 9)))
        major = str(self.r.randint(0, 9))
        w("%s  let\n" % I)
        w("%s    majorVersion = \"%s\";\n" % (I, major))
        w("%s    minorVersion = \"%d\";\n" % (I, self.r.randint(0, 30)))
        if self.chance(0.4):
            w("%s    inherit (lib) optional optionals optionalString;\n" % I)
            opt, opts, optstr = "optional", "optionals", "optionalString"
        else:
            opt, opts, optstr = "lib.optional", "lib.optionals", "lib.optionalString"
        if self.chance(0.3):
            w("%s    /* Platform-specific settings, computed once. */\n" % I)
            w("%s    platformFlags = {\n" % I)
            w("%s      x86_64-linux = [ \"--enable-sse2\" \"--enable-avx\" ];\n" % I)
            w("%s      aarch64-linux = [ \"--enable-neon\" ];\n" % I)
            w("%s      \"x86_64-darwin\" = [ ];\n" % I)
            w("%s    }.${stdenv.hostPlatform.system} or [ ];\n" % I)
            pf = " ++ platformFlags"
        else:
            pf = ""
        w("%s    jobs = if stdenv.hostPlatform.isLinux then %d else %d;\n" % (I, self.r.randint(2, 16), self.r.randint(1, 4)))
        w("%s  in\n" % I)
        w("%s  stdenv.mkDerivation rec {\n" % I)
        J = I + "    "
        w("%spname = \"%s\";\n" % (J, p))
        w("%sversion = \"${majorVersion}.${minorVersion}.%d\";\n\n" % (J, self.r.randint(0, 9)))
        if use_github:
            owner = self.word()
            w("%ssrc = fetchFromGitHub {\n" % J)
            w("%s  owner = \"%s\";\n" % (J, owner))
            w("%s  repo = %s;\n" % (J, "pname" if self.chance(0.6) else "\"%s\"" % self.word()))
            w("%s  rev = %s;\n" % (J, self.pick(["\"v${version}\"", "\"refs/tags/${version}\"", "\"%s\"" % self.rev()])))
            w("%s  hash = \"%s\";\n" % (J, self.sri()))
            w("%s};\n\n" % J)
            homepage = "https://github.com/%s/%s" % (owner, p)
        else:
            host = self.pick(["example.org", "downloads.example.net", "ftp.gnu.example", "releases.example.com"])
            ext = self.pick(["tar.gz", "tar.xz", "tar.bz2", "zip"])
            w("%ssrc = fetchurl {\n" % J)
            if self.chance(0.3):
                w("%s  urls = [\n" % J)
                w("%s    \"https://%s/%s/%s-${version}.%s\"\n" % (J, host, p, p, ext))
                w("%s    \"mirror://sourceforge/%s/%s-${version}.%s\"\n" % (J, p, p, ext))
                w("%s  ];\n" % J)
            else:
                w("%s  url = \"https://%s/pub/%s/v${majorVersion}/%s-${version}.%s\";\n" % (J, host, p, p, ext))
            w("%s  sha256 = \"%s\";\n" % (J, self.sha256_b32()))
            w("%s};\n\n" % J)
            homepage = "https://%s/%s/" % (host, p)
        if self.chance(0.6):
            w("%spatches = [\n" % J)
            for _ in range(self.r.randint(1, 3)):
                w("%s  ./patches/%s-%s.patch\n" % (J, p, self.pick(["fix-build", "no-werror", "cross", "musl", "darwin-sdk", "CVE-2024-%04d" % self.r.randint(1, 9999)])))
            if need_fetchpatch:
                w("%s  # upstream fix, remove on next release\n" % J)
                w("%s  (fetchpatch {\n" % J)
                w("%s    name = \"%s-%s.patch\";\n" % (J, p, self.word()))
                w("%s    url = \"https://github.com/%s/%s/commit/%s.patch\";\n" % (J, self.word(), p, self.rev()))
                w("%s    hash = \"%s\";\n" % (J, self.sri()))
                w("%s  })\n" % J)
            w("%s] ++ %s stdenv.hostPlatform.isDarwin ./darwin/%s.patch;\n\n" % (J, opt, self.word()))
        if self.chance(0.4):
            outs = ["\"out\""] + self.sample(["\"dev\"", "\"lib\"", "\"man\"", "\"doc\"", "\"bin\""], 1, 3)
            w("%soutputs = [ %s ];\n\n" % (J, " ".join(outs)))
        if native:
            w("%snativeBuildInputs = [ %s ];\n" % (J, " ".join(native)))
        w("%sbuildInputs = [\n" % J)
        for d in deps[: max(1, len(deps) // 2)]:
            w("%s  %s\n" % (J, d))
        w("%s]" % J)
        rest = deps[max(1, len(deps) // 2):]
        if rest:
            cond = withs[0] if withs else (feats[0] if feats else "stdenv.hostPlatform.isLinux")
            w(" ++ %s %s [ %s ]" % (opts, cond, " ".join(rest)))
        w(";\n\n")
        if self.chance(0.8):
            w("%sconfigureFlags = [\n" % J)
            w("%s  \"--enable-shared\"\n" % J)
            w("%s  \"--with-%s=${%s.dev or %s}\"\n" % (J, deps[0], deps[0], deps[0]))
            for f in feats:
                w("%s  (lib.enableFeature %s \"%s\")\n" % (J, f, f[6:].lower()))
            for x in withs:
                w("%s  \"--with-%s=${if %s then \"yes\" else \"no\"}\"\n" % (J, x[4:].lower(), x))
            w("%s  \"--with-jobs=${toString (jobs * 2 + 1)}\"\n" % J)
            w("%s] ++ extraConfigureFlags%s;\n\n" % (J, pf))
        if self.chance(0.5):
            w("%smakeFlags = [ \"PREFIX=$(out)\" \"CC=${stdenv.cc.targetPrefix}cc\" \"JOBS=${toString jobs}\" ];\n" % J)
        if self.chance(0.4):
            w("%senv.NIX_CFLAGS_COMPILE = toString ([ \"-O%d\" \"-Wno-error=%s\" ] ++ %s stdenv.cc.isClang [ \"-Wno-unused-command-line-argument\" ]);\n" % (J, self.r.randint(1, 3), self.word(), opts))
        w("%senableParallelBuilding = %s;\n" % (J, self.pick(["true", "true", "false", "!stdenv.hostPlatform.isDarwin"])))
        w("%sdoCheck = stdenv.buildPlatform == stdenv.hostPlatform && !(stdenv.hostPlatform.isAarch64 || stdenv.hostPlatform.isDarwin);\n\n" % J)
        # indented strings
        w("%spostPatch = ''\n" % J)
        w("%s  substituteInPlace %s \\\n" % (J, self.pick(["Makefile", "configure", "CMakeLists.txt", "src/config.h", "meson.build"])))
        w("%s    --replace-fail \"/usr/local\" \"$out\" \\\n" % J)
        w("%s    --replace-fail 'gcc' '${stdenv.cc.targetPrefix}cc'\n" % J)
        if self.chance(0.5):
            w("%s  patchShebangs scripts/ tests/\n" % J)
        if self.chance(0.4):
            w("%s  # escaped interpolation and quotes inside an indented string\n" % J)
            w("%s  echo \"home is ''${HOME}, literal ''' quotes, dollar ''$\" > build-info.txt\n" % J)
        w("%s'' + %s (%s != null) ''\n" % (J, optstr, deps[0]))
        w("%s  export %s_DIR=${%s}\n" % (J, deps[0].upper().replace("-", "_"), deps[0]))
        w("%s'';\n\n" % J)
        if self.chance(0.5):
            w("%spreConfigure = %s stdenv.hostPlatform.isDarwin ''\n" % (J, optstr))
            w("%s  export MACOSX_DEPLOYMENT_TARGET=10.%d\n" % (J, self.r.randint(9, 15)))
            w("%s'';\n\n" % J)
        if self.chance(0.6):
            w("%sinstallPhase = ''\n" % J)
            w("%s  runHook preInstall\n\n" % J)
            w("%s  mkdir -p $out/bin $out/share/${pname} $out/share/doc/${pname}-${version}\n" % J)
            w("%s  install -Dm755 build/%s $out/bin/%s\n" % (J, p, p))
            w("%s  cp -r share/* $out/share/${pname}/\n" % J)
            if need_coreutils:
                w("%s  for f in $out/bin/*; do\n" % J)
                w("%s    wrapProgram \"$f\" \\\n" % J)
                w("%s      --prefix PATH : ${lib.makeBinPath [ coreutils ]} \\\n" % J)
                w("%s      --set %s_HOME \"$out/share/${pname}\"\n" % (J, p.upper().replace("-", "_")))
                w("%s  done\n" % J)
            w("\n%s  runHook postInstall\n" % J)
            w("%s'';\n\n" % J)
        if need_runcommand or self.chance(0.3):
            w("%spassthru = {\n" % J)
            if need_runcommand:
                w("%s  tests.version = runCommand \"${pname}-test-version\" { } ''\n" % J)
                w("%s    ${placeholder \"out\"}/bin/%s --version | grep -q ${lib.escapeShellArg version}\n" % (J, p))
                w("%s    touch $out\n" % J)
                w("%s  '';\n" % J)
            w("%s  updateScript = ./update.sh;\n" % J)
            w("%s};\n\n" % J)
        w("%smeta = with lib; {\n" % J)
        w("%s  description = \"%s\";\n" % (J, self.sentence()))
        if self.chance(0.4):
            w("%s  longDescription = ''\n" % J)
            for _ in range(self.r.randint(2, 5)):
                w("%s    %s.\n" % (J, self.sentence(6, 14)))
            w("%s  '';\n" % J)
        if self.chance(0.1):
            w("%s  homepage = %s;\n" % (J, homepage.rstrip("/")))  # URL literal
        else:
            w("%s  homepage = \"%s\";\n" % (J, homepage))
        if use_github and self.chance(0.5):
            w("%s  changelog = \"%s/releases/tag/v${version}\";\n" % (J, homepage))
        if self.chance(0.7):
            w("%s  license = licenses.%s;\n" % (J, self.pick(LICENSES)))
        else:
            w("%s  license = with licenses; [ %s ];\n" % (J, " ".join(self.sample(LICENSES, 2, 3))))
        w("%s  maintainers = with maintainers; [ %s ];\n" % (J, " ".join(self.sample(MAINTAINERS, 0, 3))))
        w("%s  platforms = platforms.%s;\n" % (J, self.pick(PLATFORMS)))
        if self.chance(0.5):
            w("%s  mainProgram = \"%s\";\n" % (J, p))
        if self.chance(0.2):
            w("%s  broken = stdenv.hostPlatform.isDarwin && stdenv.hostPlatform.isAarch64;\n" % J)
        w("%s};\n" % J)
        w("%s};\n\n" % (I + "  "))
        return var, "".join(o)

    def pypackage(self, ind):
        p = "py" + self.word()
        var = self.unique_ident("python-" + p)
        deps = self.sample(PY_DEPS, 1, 5)
        formals = ["lib", "buildPythonPackage", "fetchPypi", "pythonOlder"] + [d for d in deps]
        I = " " * ind
        J = I + "    "
        o = []
        w = o.append
        w("%s%s = { %s }:\n" % (I, var, ", ".join(formals)))
        w("%s  buildPythonPackage rec {\n" % I)
        w("%spname = \"%s\";\n%sversion = \"%s\";\n" % (J, p, J, self.version()))
        w("%spyproject = true;\n" % J)
        w("%sdisabled = pythonOlder \"3.%d\";\n\n" % (J, self.r.randint(6, 11)))
        w("%ssrc = fetchPypi {\n%s  inherit pname version;\n%s  hash = \"%s\";\n%s};\n\n" % (J, J, J, self.sri(), J))
        build = [d for d in deps if d in ("setuptools", "wheel", "hatchling")]
        run = [d for d in deps if d not in build]
        w("%sbuild-system = [ %s ];\n" % (J, " ".join(build)))
        w("%sdependencies = [\n" % J)
        for d in run:
            w("%s  %s\n" % (J, d))
        w("%s];\n\n" % J)
        if "pytest" in deps:
            w("%snativeCheckInputs = [ pytest ];\n" % J)
            w("%sdisabledTests = [\n%s  # needs network access\n%s  \"test_%s\"\n%s  \"test_%s_%s\"\n%s];\n" % (J, J, J, self.word(), J, self.word(), self.word(), J))
        w("%spythonImportsCheck = [ \"%s\" ];\n\n" % (J, p))
        w("%smeta = {\n" % J)
        w("%s  description = \"%s\";\n" % (J, self.sentence()))
        w("%s  homepage = \"https://pypi.example.org/project/%s\";\n" % (J, p))
        w("%s  license = lib.licenses.%s;\n" % (J, self.pick(LICENSES)))
        w("%s  maintainers = with lib.maintainers; [ %s ];\n" % (J, " ".join(self.sample(MAINTAINERS, 1, 2))))
        w("%s};\n" % J)
        w("%s  };\n\n" % I)
        return var, "".join(o)

    def helpers(self, ind):
        """A small library: a rec set of lambdas using operators and builtins."""
        var = self.unique_ident(self.word() + "Lib")
        I = " " * ind
        J = I + "  "
        a, b, c = self.r.randint(2, 9), self.r.randint(10, 99), self.r.randint(100, 999)
        o = []
        w = o.append
        w("%s/* Helper functions for %s.\n%s   %s. */\n" % (I, self.word(), I, self.sentence()))
        w("%s%s = rec {\n" % (I, var))
        w("%s# clamp an integer into [lo, hi]\n" % J)
        w("%sclamp = lo: hi: x: if x < lo then lo else if x > hi then hi else x;\n" % J)
        w("%sscale = x: (x * %d + %d) / %d - -x;\n" % (J, a, b, a + 1))
        w("%smod = a: b: a - (a / b) * b;\n" % J)
        w("%sisEven = n: mod n 2 == 0;\n" % J)
        w("%ssumBy = f: builtins.foldl' (acc: x: acc + f x) 0;\n" % J)
        w("%saverage = xs: if xs == [ ] then 0.0 else (sumBy (x: x) xs) / (builtins.length xs * 1.0);\n" % J)
        w("%sratio = %d.%de-%d * %d;\n" % (J, a, b, self.r.randint(1, 5), c))
        w("%sgetOr = attrs: name: default: attrs.${name} or default;\n" % J)
        w("%sdeepGet = set: set.a.b.\"c-d\" or set.fallback or null;\n" % J)
        w("%shasAll = attrs: names: builtins.all (n: attrs ? ${n}) names;\n" % J)
        w("%shasNested = attrs: attrs ? meta.license && !(attrs ? meta.broken) || attrs ? \"%s\";\n" % (J, self.word()))
        w("%smerge = a: b: a // b // { merged = true; count = (a.count or 0) + (b.count or 0); };\n" % J)
        w("%sconcatLists = xss: builtins.foldl' (acc: xs: acc ++ xs) [ ] xss;\n" % J)
        w("%smkFlag = cond: name: value:\n%s  if cond then \"--${name}=${toString value}\" else null;\n" % (J, J))
        w("%sflags = xs: builtins.concatStringsSep \" \" (map (x: \"-D${x}\") (builtins.filter (x: x != null) xs));\n" % J)
        w("%simplies = a: b: a -> b;\n" % J)
        w("%scompare = a: b: if a < b then -1 else if a > b then 1 else 0;\n" % J)
        w("%sinRange = lo: hi: x: x >= lo && x <= hi;\n" % J)
        w("%snewer = a: b: builtins.compareVersions a b > 0;\n" % J)
        w("%ssetOf = { name, value ? null, extra ? { }, ... }@spec: { ${name} = value; } // extra // removeAttrs spec [ \"name\" \"value\" \"extra\" ];\n" % J)
        w("%scurried = x: y: z: { inherit x y; sum = x + y + z; product = x * y * z; };\n" % J)
        w("%sdefaults = {\n" % J)
        w("%s  level = %d;\n%s  threshold = %d.%d;\n%s  name = \"%s\";\n%s  enabled = %s;\n%s  tags = [ \"%s\" \"%s\" %d %s null ];\n" % (
            J, a, J, a, b, J, self.word(), J, self.pick(["true", "false"]), J, self.word(), self.word(), c, self.pick(["true", "false"])))
        w("%s  nested.deeper.deepest = { x = %d; y = -%d; };\n" % (J, a, b))
        w("%s  \"quoted-key\" = %s;\n" % (J, self.nix_string_escape_demo().replace("${pname}", "${defaults.name}").replace("${version}", "${toString defaults.level}")))
        w("%s};\n" % J)
        w("%sexample = let inherit (defaults) level threshold name; in\n" % J)
        w("%s  clamp 0 %d (scale level) + (if threshold > %d then 1 else 0) * %d;\n" % (J, c, a, b))
        w("%ssearchPath = <nixpkgs/lib>;\n" % J) if self.chance(0.05) else None
        w("%spaths = [ ./lib/%s.nix ../common/%s/default.nix /etc/%s.conf ./data/${defaults.name}.json ];\n" % (J, self.word(), self.word(), self.word()))
        w("%s};\n\n" % I)
        return var, "".join(o)

    def module(self, ind):
        """A NixOS-style module: { config, lib, pkgs, ... }: with lib; let cfg = ...; in { options; config }"""
        svc = self.word()
        var = self.unique_ident("module-" + svc)
        I = " " * ind
        J = I + "  "
        port = self.r.randint(1024, 65535)
        o = []
        w = o.append
        w("%s%s =\n%s  { config, lib, pkgs, ... }:\n\n" % (I, var, I))
        w("%s  with lib;\n\n" % I)
        w("%s  let\n%s    cfg = config.services.%s;\n" % (I, I, svc))
        w("%s    settingsFormat = pkgs.formats.%s { };\n" % (I, self.pick(["json", "yaml", "toml", "ini"])))
        w("%s    configFile = settingsFormat.generate \"%s.conf\" cfg.settings;\n" % (I, svc))
        w("%s  in\n%s  {\n" % (I, I))
        w("%s  options.services.%s = {\n" % (J, svc))
        w("%s    enable = mkEnableOption \"the %s service\";\n" % (J, svc))
        w("%s    package = mkPackageOption pkgs \"%s\" { };\n" % (J, svc))
        w("%s    port = mkOption {\n%s      type = types.port;\n%s      default = %d;\n" % (J, J, J, port))
        w("%s      description = ''\n%s        %s.\n%s        %s.\n%s      '';\n%s    };\n" % (J, J, self.sentence(), J, self.sentence(), J, J))
        w("%s    openFirewall = mkOption {\n%s      type = types.bool;\n%s      default = false;\n%s      description = \"Whether to open port ${toString %d} in the firewall.\";\n%s    };\n" % (J, J, J, J, port, J))
        w("%s    settings = mkOption {\n%s      type = settingsFormat.type;\n%s      default = { };\n" % (J, J, J))
        w("%s      example = literalExpression ''\n%s        {\n%s          log_level = \"debug\";\n%s          workers = %d;\n%s        }\n%s      '';\n%s    };\n" % (J, J, J, J, self.r.randint(1, 32), J, J, J))
        w("%s  };\n\n" % J)
        w("%s  config = mkIf cfg.enable {\n" % J)
        w("%s    assertions = [\n%s      {\n%s        assertion = cfg.port > 1023 || config.security.allowPrivilegedPorts or false;\n%s        message = \"services.%s.port must be unprivileged\";\n%s      }\n%s    ];\n\n" % (J, J, J, J, svc, J, J))
        w("%s    users.users.%s = {\n%s      isSystemUser = true;\n%s      group = \"%s\";\n%s      home = \"/var/lib/%s\";\n%s    };\n" % (J, svc, J, J, svc, J, svc, J))
        w("%s    users.groups.%s = { };\n\n" % (J, svc))
        w("%s    networking.firewall.allowedTCPPorts = optionals cfg.openFirewall [ cfg.port ];\n\n" % J)
        w("%s    systemd.services.%s = {\n" % (J, svc))
        w("%s      description = \"%s daemon\";\n" % (J, svc.capitalize()))
        w("%s      wantedBy = [ \"multi-user.target\" ];\n%s      after = [ \"network.target\" ];\n" % (J, J))
        w("%s      environment = {\n%s        %s_PORT = toString cfg.port;\n%s        HOME = \"/var/lib/%s\";\n%s      };\n" % (J, J, svc.upper(), J, svc, J))
        w("%s      script = ''\n" % J)
        w("%s        exec ${cfg.package}/bin/%s \\\n%s          --config ${configFile} \\\n%s          --port ${toString cfg.port}\n" % (J, svc, J, J))
        w("%s      '';\n" % J)
        w("%s      serviceConfig = {\n%s        User = \"%s\";\n%s        Restart = \"on-failure\";\n%s        StateDirectory = \"%s\";\n%s        ProtectSystem = \"strict\";\n%s        MemoryMax = \"%dM\";\n%s      };\n" % (J, J, svc, J, J, svc, J, J, self.r.randint(64, 4096), J))
        w("%s    };\n%s  };\n%s}\n%s;\n\n" % (J, J, I, I))
        return var, "".join(o)

    def overlay(self, ind, known):
        var = self.unique_ident("overlay-" + self.word())
        I = " " * ind
        J = I + "  "
        targets = self.words(self.r.randint(1, 4))
        o = []
        w = o.append
        w("%s%s = final: prev: {\n" % (I, var))
        for t in targets:
            kind = self.r.randint(0, 3)
            if kind == 0:
                w("%s%s = prev.%s.overrideAttrs (old: {\n" % (J, t, t))
                w("%s  patches = (old.patches or [ ]) ++ [ ./patches/%s-%s.patch ];\n" % (J, t, self.word()))
                w("%s  doCheck = false;\n" % J)
                w("%s  meta = old.meta // { priority = %d; };\n" % (J, self.r.randint(1, 10)))
                w("%s});\n" % J)
            elif kind == 1:
                w("%s%s = prev.%s.override { %s = final.%s; enableTests = !prev.stdenv.hostPlatform.isStatic; };\n" % (J, t, t, self.word(), self.word()))
            elif kind == 2:
                w("%s%sPackages = prev.%sPackages.overrideScope (pfinal: pprev: {\n" % (J, t, t))
                w("%s  %s = pprev.%s.overrideAttrs (_: { version = \"%s\"; });\n" % (J, self.word(), self.word(), self.version()))
                w("%s});\n" % J)
            else:
                w("%s%s = final.callPackage %s { };\n" % (J, t, self.pick(known) if known else "./pkgs/%s" % t))
        w("%s};\n\n" % I)
        return var, "".join(o)


def parse_size(s):
    s = s.strip().upper()
    mult = 1
    if s.endswith("M"):
        mult, s = 1024 * 1024, s[:-1]
    elif s.endswith("K"):
        mult, s = 1024, s[:-1]
    return int(float(s) * mult)


def generate(target):
    g = Gen(SEED)
    out = []
    size = 0

    def emit(s):
        nonlocal size
        out.append(s)
        size += len(s)

    emit("# Generated by bench/gen-parse-input.py (target %d bytes) -- do not edit.\n" % target)
    emit("# A synthetic, nixpkgs-like expression used to benchmark the parser.\n")
    emit("{ lib\n, stdenv\n, fetchurl\n, fetchFromGitHub\n, fetchpatch\n, runCommand\n"
         ", pkg-config\n, cmake\n, python3\n, perl\n, coreutils\n, zlib\n, openssl\n"
         ", pythonPackages ? python3.pkgs\n, config ? { }\n"
         ", system ? builtins.currentSystem or \"x86_64-linux\"\n, ...\n}@topArgs:\n\n")
    emit("let\n")
    emit("  inherit (lib) optional optionals optionalString concatStringsSep mapAttrs filterAttrs;\n")
    emit("  inherit (builtins) length elemAt head tail;\n")
    emit("  inherit stdenv;\n\n")
    emit("  /* callPackage: fill a package function's formals from the package set,\n"
         "     then apply the explicit overrides. */\n")
    emit("  callPackage = fn: overrides:\n"
         "    let\n"
         "      f = if builtins.isFunction fn then fn else import fn;\n"
         "      auto = builtins.intersectAttrs (builtins.functionArgs f) allPackages;\n"
         "    in\n"
         "    f (auto // overrides);\n\n")
    emit("  allPackages = topArgs // packages // { inherit callPackage; };\n\n")

    pkgs, libs, modules, overlays = [], [], [], []
    tail_reserve = 0
    while size + tail_reserve < target:
        k = g.r.random()
        if k < 0.62:
            var, text = g.package(2)
            pkgs.append(var)
        elif k < 0.77:
            var, text = g.pypackage(2)
            pkgs.append(var)
        elif k < 0.87:
            var, text = g.helpers(2)
            libs.append(var)
        elif k < 0.95:
            var, text = g.module(2)
            modules.append(var)
        else:
            var, text = g.overlay(2, pkgs[-20:])
            overlays.append(var)
        emit(text)
        # the final attribute set costs roughly 2 lines per binding
        tail_reserve += 2 * len(var) + 40

    emit("  packages = {\n")
    for v in pkgs:
        emit("    %s = callPackage %s { };\n" % (v, v))
    emit("  };\n")
    emit("in\n{\n")
    emit("  inherit callPackage packages;\n")
    emit("  # everything, by kind\n")
    emit("  lib.helpers = {\n")
    for v in libs:
        emit("    inherit %s;\n" % v)
    emit("  };\n")
    emit("  nixosModules = {\n")
    for v in modules:
        emit("    \"%s\" = %s;\n" % (v, v))
    emit("  };\n")
    emit("  nixosModules.default = { imports = [\n")
    for v in modules:
        emit("    %s\n" % v)
    emit("  ]; };\n")
    emit("  overlays.all = lib.composeManyExtensions [ %s ];\n" % " ".join(overlays))
    emit("  stats = rec {\n")
    emit("    packageCount = %d;\n    libCount = %d;\n    moduleCount = %d;\n" % (len(pkgs), len(libs), len(modules)))
    emit("    total = packageCount + libCount + moduleCount;\n")
    emit("    ratio = packageCount * 100 / (total + 1);\n")
    emit("    big = total >= 1000 && !(ratio < 50) || system == \"aarch64-linux\";\n")
    emit("  };\n")
    emit("}\n")
    return "".join(out)


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) >= 2 else 2
    target = parse_size(argv[2]) if len(argv) > 2 else 6 * 1024 * 1024
    text = generate(target)
    with open(argv[1], "w", encoding="ascii") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
