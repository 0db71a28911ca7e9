// The Nix files built into the evaluator, as C++ Nix 2.26 has them under `<nix/…>`:
// `fetchurl.nix` (a fixed-output derivation with the `builtin:fetchurl` builder) and
// `derivation-internal.nix` (the `derivation` wrapper). `<nix/NAME>` is found after every
// search-path entry, and evaluates to a path that `import` and `readFile` read from here.

import NixSyntax

enum CorePackages {
    /// The path value's text of `<nix/NAME>`.
    static func path(_ name: String) -> String { "<nix/" + name + ">" }

    /// The name of a built-in file from its path text, if it is one.
    static func name(ofPath path: String) -> String? {
        guard path.hasPrefix("<nix/"), path.hasSuffix(">") else { return nil }
        return String(path.dropFirst(5).dropLast())
    }

    /// The source of a built-in file.
    static func source(_ name: String) -> String? {
        switch name {
        case "fetchurl.nix": return fetchurl
        case DerivationWrapper.name: return DerivationWrapper.source
        default: return nil
        }
    }

    /// `import <nix/fetchurl.nix> { url = …; sha256 = …; }`: the derivation's attributes must be
    /// exactly C++ Nix's (they decide its paths), and the function stands at line 2, column 1.
    static let fetchurl = """

{
  system ? "", # not used
  url,
  hash ? "", # an SRI hash: its algorithm comes with it
  # the older ways to give the hash
  md5 ? "",
  sha1 ? "",
  sha256 ? "",
  sha512 ? "",
  outputHash ?
    if hash != "" then hash
    else if sha512 != "" then sha512
    else if sha1 != "" then sha1
    else if md5 != "" then md5
    else sha256,
  outputHashAlgo ?
    if hash != "" then ""
    else if sha512 != "" then "sha512"
    else if sha1 != "" then "sha1"
    else if md5 != "" then "md5"
    else "sha256",
  executable ? false,
  unpack ? false,
  name ? baseNameOf (toString url),
  impure ? false,
}:

derivation (
  {
    builder = "builtin:fetchurl";
    # an unpacked or executable download is hashed as an archive
    outputHashMode = if unpack || executable then "recursive" else "flat";
    inherit name url executable unpack;
    system = "builtin";
    preferLocalBuild = true;
    # kept for the derivation's hash (proxies are passed to the builtin builder anyway)
    impureEnvVars = [ "http_proxy" "https_proxy" "ftp_proxy" "all_proxy" "no_proxy" ];
    urls = [ url ];
  }
  // (if impure then { __impure = true; } else { inherit outputHashAlgo outputHash; })
)

"""
}
