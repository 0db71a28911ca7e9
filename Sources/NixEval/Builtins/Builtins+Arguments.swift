// Argument checks shared by several builtins, with C++ Nix's messages.

import NixSyntax

extension BuiltinContext {
    /// `forceStringNoCtx`: a string without context.
    func stringNoContext(_ v: Value) throws -> NixString {
        let s = try string(v)
        try vm.requireNoContext(s, span: span)
        return s
    }

    /// `forceFunction`: functions and sets with `__functor`.
    func callable(_ v: Value) throws -> Value {
        guard vm.isCallable(v) else { throw typeError(expected: "a function", found: v) }
        return v
    }
}

extension VM {
    /// C++ Nix's `forceStringNoCtx` check: a string used as a name may not carry a context.
    func requireNoContext(_ s: NixString, span: @autoclosure () -> Span?) throws {
        if let context = s.context, context.count > 0 {
            throw EvalError(.other, "the string '\(s.text)' is not allowed to refer to a store path (such as '\(firstContextElementForError(context))')", span: span())
        }
    }

    /// Whether `forceFunction` accepts `v`: a function or a set with `__functor`.
    func isCallable(_ v: Value) -> Bool {
        v.type == .lambda || (v.isObject(.attrs) && v.asAttrs.index(of: program.names.functor) != nil)
    }

    /// The value of `v` when it needs no forcing (not a thunk, or an evaluated one).
    func readyValue(_ v: Value) -> Value? {
        guard v.isThunk else { return v }
        let t = v.asThunk
        return t.state == .evaluated ? t.result : nil
    }

    /// The element C++ Nix shows first in "not allowed to refer to a store path" errors: its
    /// context set orders plain paths before `=` (whole closure) before `!` (outputs), and
    /// prints store paths without the store directory.
    func firstContextElementForError(_ context: StringContext) -> String {
        func key(_ e: [UInt8]) -> (Int, [UInt8], [UInt8]) {
            switch e.first {
            case UInt8(ascii: "="): return (1, Array(e.dropFirst()), [])
            case UInt8(ascii: "!"):
                let rest = e.dropFirst()
                if let bang = rest.firstIndex(of: UInt8(ascii: "!")) {
                    return (2, Array(rest[(bang + 1)...]), Array(rest[..<bang]))
                }
                return (2, Array(rest), [])
            default: return (0, e, [])
            }
        }
        var best: [UInt8]? = nil
        for i in 0..<context.count {
            let e = context[i].array
            guard let b = best else { best = e; continue }
            let (r1, p1, o1) = key(e), (r2, p2, o2) = key(b)
            if r1 != r2 ? r1 < r2 : (p1 != p2 ? p1.lexicographicallyPrecedes(p2) : o1.lexicographicallyPrecedes(o2)) {
                best = e
            }
        }
        let bytes = best ?? []
        let prefix = Array((program.settings.storeDir + "/").utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes.count - i >= prefix.count && bytes[i..<(i + prefix.count)].elementsEqual(prefix) {
                i += prefix.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
