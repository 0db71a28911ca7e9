// The search path: `builtins.findFile` (what `<name>` calls) over `__nixPath` entries.

import NixSyntax

extension Builtins {
    static let searchPath: [BuiltinDefinition] = [
        .strict("findFile", 2) { c, a in
            let entries = try c.list(a[0])
            let lookup = try c.string(a[1]).text
            let prefixSymbol = c.symbols.intern("prefix"), pathSymbol = c.symbols.intern("path")
            for i in 0..<entries.count {
                let entry = try c.attrs(try c.vm.force(entries[i]))
                var prefix = ""
                if let p = entry[prefixSymbol] { prefix = try c.string(try c.vm.force(p)).text }
                guard let pathValue = entry[pathSymbol] else { throw c.error("attribute 'path' missing") }
                let forced = try c.vm.force(pathValue)
                guard let coerced = try c.vm.coerceSimple(forced, forInterpolation: false, span: c.span) else {
                    throw c.typeError(expected: "a string", found: forced)
                }
                let root = coerced.asString.text
                // `prefix` matches the whole name or a leading run of components.
                let rest: String
                if prefix.isEmpty {
                    rest = lookup
                } else if lookup == prefix {
                    rest = ""
                } else if lookup.hasPrefix(prefix + "/") {
                    rest = String(lookup.dropFirst(prefix.count + 1))
                } else {
                    continue
                }
                let base = String(decoding: PathUtilities.absolute(Array(root.utf8), base: c.program.settings.currentDirectory), as: UTF8.self)
                guard c.program.settings.io.fileKind(base) != nil else {
                    c.vm.diagnostics("warning: Nix search path entry '\(base)' does not exist, ignoring\n")
                    continue
                }
                let candidate = rest.isEmpty ? base : base + "/" + rest
                if c.program.settings.io.fileKind(candidate) != nil {
                    return c.heap.path(PathUtilities.canonical(Array(candidate.utf8)))
                }
            }
            throw c.error("file '\(lookup)' was not found in the Nix search path (add it using $NIX_PATH or -I)", .catchable)
        },
    ]
}
