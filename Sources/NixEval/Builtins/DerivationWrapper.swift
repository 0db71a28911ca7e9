// The `derivation` function: a Nix wrapper around `derivationStrict` that gives every output
// its own attribute set (`outPath`, `drvPath`, `type = "derivation"`, …). It is compiled from
// the source below when the global scope is installed. Its code stands at the lines and columns
// of C++ Nix 2.26's `<nix/derivation-internal.nix>`, because positions of its attributes
// (`unsafeGetAttrPos "type" drv`, `--xml`, error traces) show them.

import NixSyntax

enum DerivationWrapper {
    /// The file name in positions (`/derivation-internal.nix`) and messages (`<nix/…>`).
    static let name = "derivation-internal.nix"

    static let source = """

# The `derivation` builtin of Swix.
#
# `derivation attrs` calls `derivationStrict attrs`, which computes the store derivation and
# its output paths, and returns the set of the first output. Each output's set holds all the
# attributes given, every output by name, `all` (the list of output sets), `drvAttrs` (the
# attributes given), and its own `outPath`, `drvPath`, `outputName` and `type = "derivation"`.
#
# The values are lazy: reading `name` or `drvAttrs` of a derivation does not compute its
# paths; reading `outPath` or `drvPath` does (once, for all outputs).
#
# The code below stands at the lines and columns C++ Nix's own wrapper has, because the
# positions of its attributes are visible to Nix code (`builtins.unsafeGetAttrPos`), in
# `--xml` output and in error traces.
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
drvAttrs@{
  outputs ? [ "out" ],
  ...
}:

let

  strict = derivationStrict drvAttrs;

  commonAttrs =
    drvAttrs
    // (builtins.listToAttrs outputsList)
    // {
      all = map (x: x.value) outputsList;
      inherit drvAttrs;
    };

  outputToAttrListElement = outputName: {
    name = outputName;
    value = commonAttrs // {
      outPath = builtins.getAttr outputName strict;
      drvPath = strict.drvPath;
      type = "derivation";
      inherit outputName;
    };
  };

  outputsList = map outputToAttrListElement outputs;

in
(builtins.head outputsList).value

"""
}

extension VM {
    /// Compiles and evaluates the wrapper (to a lambda) and makes it the global `derivation`
    /// and `builtins.derivation`. The source is fixed and always compiles.
    func installDerivationWrapper() {
        let source = SourceFile(origin: .builtinFile(name: DerivationWrapper.name),
                                text: DerivationWrapper.source, baseDirectory: "/")
        guard let tree = try? Parser.parse(source, symbols: program.symbols),
              let proto = try? Compiler.compile(tree: tree, program: program),
              let wrapper = try? evaluate(proto: proto) else { return }
        let name = program.symbols.intern("derivation")
        program.globals[name] = wrapper
        if let builtins = program.globals[program.symbols.intern("builtins")], builtins.isObject(.attrs),
           let i = builtins.asAttrs.index(of: name) {
            builtins.asAttrs.setValue(at: i, wrapper)
        }
    }
}
