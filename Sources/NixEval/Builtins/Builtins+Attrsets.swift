// Attribute-set builtins.

import NixSyntax

extension Builtins {
    static let attrsets: [BuiltinDefinition] = [
        .strict("attrNames", 1) { c, a in
            let s = try c.attrs(a[0])
            let order = c.vm.nameOrder(s)
            return c.heap.list(order.map { c.vm.symbolString(s.symbol(at: $0)) })
        },
        .strict("attrValues", 1) { c, a in
            let s = try c.attrs(a[0])
            return c.heap.list(c.vm.nameOrder(s).map { s.value(at: $0) })
        },
        .strict("hasAttr", 2) { c, a in
            let name = try c.string(a[0])
            let s = try c.attrs(a[1])
            return .bool(s.index(of: c.symbols.intern(UnsafeBufferPointer(rebasing: name.bytes[...]))) != nil)
        },
        .strict("getAttr", 2) { c, a in
            let name = try c.string(a[0])
            let s = try c.attrs(a[1])
            let sym = c.symbols.intern(UnsafeBufferPointer(rebasing: name.bytes[...]))
            guard let v = s[sym] else { throw c.error("attribute '\(name.text)' missing") }
            return v
        },
        .strict("removeAttrs", 2) { c, a in
            let s = try c.attrs(a[0])
            let names = try c.list(a[1])
            var remove = Set<Symbol>()
            for i in 0..<names.count {
                let n = try c.string(try c.vm.force(names[i]))
                remove.insert(c.symbols.intern(UnsafeBufferPointer(rebasing: n.bytes[...])))
            }
            var entries: [(Symbol, Value)] = []
            for i in 0..<s.count where !remove.contains(s.symbol(at: i)) {
                entries.append((s.symbol(at: i), s.value(at: i)))
            }
            return c.heap.attrs(entries)
        },
        .strict("listToAttrs", 1) { c, a in
            let l = try c.list(a[0])
            var entries: [(Symbol, Value)] = []
            var seen = Set<Symbol>()
            entries.reserveCapacity(l.count)
            for i in 0..<l.count {
                let e = try c.attrs(try c.vm.force(l[i]))
                guard let nameValue = e[c.program.names.name] else { throw c.error("attribute 'name' missing") }
                let name = try c.string(try c.vm.force(nameValue))
                let sym = c.symbols.intern(UnsafeBufferPointer(rebasing: name.bytes[...]))
                guard let value = e[c.program.names.value] else { throw c.error("attribute 'value' missing") }
                if seen.insert(sym).inserted { entries.append((sym, value)) }
            }
            return c.heap.attrs(entries)
        },
        .lazy("mapAttrs", 2, strict: [1]) { c, a in
            let s = try c.attrs(a[1])
            let f = a[0]
            return c.heap.attrs(sortedCount: s.count) { out in
                for i in 0..<s.count {
                    let sym = s.symbol(at: i)
                    let partial = c.heap.applyThunk(f, c.vm.symbolString(sym))
                    out[2 * i] = UInt64(sym.id)
                    out[2 * i + 1] = c.heap.applyThunk(partial, s.value(at: i)).bits
                }
            }
        },
        .strict("intersectAttrs", 2) { c, a in
            let x = try c.attrs(a[0]), y = try c.attrs(a[1])
            var entries: [(Symbol, Value)] = []
            for i in 0..<y.count where x.index(of: y.symbol(at: i)) != nil {
                entries.append((y.symbol(at: i), y.value(at: i)))
            }
            return c.heap.attrs(entries)
        },
        .strict("functionArgs", 1) { c, a in
            let f = a[0]
            guard f.type == .lambda else { throw c.typeError(expected: "a function", found: f) }
            guard f.isObject(.closure) else { return c.heap.attrs([]) }
            return c.heap.attrs(c.vm.formalsWithDefaults(c.program.protos[f.asClosure.protoIndex]))
        },
    ]
}

extension VM {
    /// Indices of the entries of `s` in the order of their names.
    func nameOrder(_ s: NixAttrs) -> [Int] {
        let symbols = program.symbols
        return (0..<s.count).sorted { symbols.lexicographicallyPrecedes(s.symbol(at: $0), s.symbol(at: $1)) }
    }

    /// A (cached) string value holding a symbol's name.
    func symbolString(_ s: Symbol) -> Value {
        program.symbolString(s)
    }

    func formalsWithDefaults(_ proto: Proto) -> [(Symbol, Value)] {
        guard let info = proto.formals.first else { return [] }
        return info.names.enumerated().map { (k, name) in (name, .bool(info.hasDefault[k])) }
    }
}
