// The search path: `builtins.findFile` (what `<name>` calls) over `__nixPath` entries.

import NixSyntax

extension Builtins {
    static let searchPath: [BuiltinDefinition] = [
        .frame("findFile", 2, strict: [0, 1]) { c, a in
            FindFileFrame(entries: try c.list(a[0]), lookup: try c.string(a[1]).text, context: c)
        },
    ]
}

/// `builtins.findFile entries name`: forces each entry, its `prefix` and its `path` in turn and
/// returns the first existing file.
final class FindFileFrame: NativeFrame {
    private enum Phase {
        case entry, prefix, path
    }

    let entries: NixList
    let lookup: String
    let context: BuiltinContext
    let prefixSymbol: Symbol, pathSymbol: Symbol
    private var phase = Phase.entry
    var index = 0
    /// The entry being looked at and its forced prefix.
    var entry: NixAttrs? = nil
    var prefix = ""

    init(entries: NixList, lookup: String, context: BuiltinContext) {
        self.entries = entries
        self.lookup = lookup
        self.context = context
        prefixSymbol = context.symbols.intern("prefix")
        pathSymbol = context.symbols.intern("path")
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        var input = input
        while true {
            switch phase {
            case .entry:
                let forced: Value
                if let input { forced = input } else {
                    guard index < entries.count else {
                        // The built-in files come after every entry (they need not exist).
                        if lookup.hasPrefix("nix/") {
                            return .done(context.heap.path(Array(CorePackages.path(String(lookup.dropFirst(4))).utf8)))
                        }
                        try vm.checkSearchPathLookup(lookup, span: context.span)
                        throw context.error("file '\(lookup)' was not found in the Nix search path (add it using $NIX_PATH or -I)", .catchable)
                    }
                    let v = entries[index]
                    index += 1
                    guard let r = vm.readyValue(v) else { return .force(v) }
                    forced = r
                }
                input = nil
                let e = try context.attrs(forced)
                entry = e
                prefix = ""
                phase = .prefix
                if let p = e[prefixSymbol] {
                    guard let r = vm.readyValue(p) else { return .force(p) }
                    input = r
                }
            case .prefix:
                if let input { prefix = try context.string(input).text }
                input = nil
                phase = .path
                guard let pathValue = entry?[pathSymbol] else { throw context.error("attribute 'path' missing") }
                guard let r = vm.readyValue(pathValue) else { return .force(pathValue) }
                input = r
            case .path:
                guard let forced = input else { throw context.error("internal error: findFile resumed without a value") }
                input = nil
                phase = .entry
                if let found = try look(vm, forced) { return .done(found) }
            }
        }
    }

    /// Looks `lookup` up under the entry whose `path` is `forced`.
    private func look(_ vm: VM, _ forced: Value) throws -> Value? {
        let c = context
        guard let coerced = try vm.coerceSimple(forced, mode: .plain, span: c.span) else {
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
            return nil
        }
        let base = String(decoding: PathUtilities.absolute(Array(root.utf8), base: c.program.settings.currentDirectory), as: UTF8.self)
        guard c.program.settings.io.fileKind(base) != nil else {
            vm.diagnostics("warning: Nix search path entry '\(base)' does not exist, ignoring\n")
            return nil
        }
        let candidate = rest.isEmpty ? base : base + "/" + rest
        if c.program.settings.io.fileKind(candidate) != nil {
            return c.heap.path(PathUtilities.canonical(Array(candidate.utf8)))
        }
        return nil
    }
}
