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
            let name = try c.stringNoContext(a[0])
            let s = try c.attrs(a[1])
            return .bool(s.index(of: name.symbol(in: c.symbols)) != nil)
        },
        .strict("getAttr", 2) { c, a in
            let name = try c.stringNoContext(a[0])
            let s = try c.attrs(a[1])
            let sym = name.symbol(in: c.symbols)
            guard let v = s[sym] else { throw c.error("attribute '\(name.text)' missing") }
            return v
        },
        .frame("removeAttrs", 2, strict: [0, 1]) { c, a in
            RemoveAttrsFrame(set: try c.attrs(a[0]), names: try c.list(a[1]), context: c)
        },
        .frame("listToAttrs", 1, strict: [0]) { c, a in
            ListToAttrsFrame(list: try c.list(a[0]), context: c)
        },
        .lazy("mapAttrs", 2, strict: [1]) { c, a in
            let s = try c.attrs(a[1])
            let f = a[0]
            return c.heap.attrs(sortedCount: s.count) { out in
                for i in 0..<s.count {
                    let sym = s.symbol(at: i)
                    let partial = c.heap.applyThunk(f, c.vm.symbolString(sym), site: c.site)
                    out[2 * i] = UInt64(sym.id)
                    out[2 * i + 1] = c.heap.applyThunk(partial, s.value(at: i), site: c.site).bits
                }
            }
        },
        .strict("intersectAttrs", 2) { c, a in
            let x = try c.attrs(a[0]), y = try c.attrs(a[1])
            var entries: [(UInt64, Value)] = []
            for i in 0..<y.count where x.index(of: y.symbol(at: i)) != nil {
                entries.append((y.key(at: i), y.value(at: i)))
            }
            return c.heap.attrs(keyed: entries)
        },
        .strict("functionArgs", 1) { c, a in
            let f = a[0]
            guard f.type == .lambda else { throw c.error("'functionArgs' requires a function") }
            guard f.isObject(.closure) else { return c.heap.attrs([]) }
            return c.heap.attrs(keyed: c.vm.formalsWithDefaults(c.program.protos[f.asClosure.protoIndex]))
        },
        .strict("unsafeGetAttrPos", 2) { c, a in
            let name = try c.stringNoContext(a[0])
            let s = try c.attrs(a[1])
            guard let i = s.index(of: name.symbol(in: c.symbols)) else { return .null }
            return c.program.attrPositionValue(s.position(at: i))
        },
    ]
}

/// `builtins.removeAttrs set names`: the names are forced in order and must be strings.
final class RemoveAttrsFrame: NativeFrame {
    let set: NixAttrs
    let names: NixList
    let context: BuiltinContext
    var remove = Set<Symbol>()
    var index = 0

    init(set: NixAttrs, names: NixList, context: BuiltinContext) {
        self.set = set
        self.names = names
        self.context = context
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input { try take(input) }
        while index < names.count {
            let n = names[index]
            index += 1
            guard let v = vm.readyValue(n) else { return .force(n) }
            try take(v)
        }
        var entries: [(UInt64, Value)] = []
        for i in 0..<set.count where !remove.contains(set.symbol(at: i)) {
            entries.append((set.key(at: i), set.value(at: i)))
        }
        return .done(vm.heap.attrs(keyed: entries))
    }

    private func take(_ v: Value) throws {
        let n = try context.stringNoContext(v)
        remove.insert(n.symbol(in: context.symbols))
    }
}

/// `builtins.listToAttrs list`: each element is forced to a set, then its `name` to a string;
/// the first `{ name, value }` pair with a name wins (later ones need no `value`, as in C++ Nix).
final class ListToAttrsFrame: TracingFrame {
    var ownErrorContext: String { "" }
    func ownErrorContext(for error: EvalError) -> String {
        if error.message.hasPrefix("attribute '") { return "in a {name=...; value=...;} pair" }
        if error.message.hasPrefix("expected a set") { return "while evaluating an element of the list passed to builtins.listToAttrs" }
        return "while evaluating the `name` attribute of an element of the list passed to builtins.listToAttrs"
    }
    let list: NixList
    let context: BuiltinContext
    /// Keys (symbol and the position of the element's `value`, as C++ Nix keeps it) and values.
    var entries: [(UInt64, Value)] = []
    /// Names taken so far, by symbol id (a linear search of `entries` for short lists).
    var seen: [Bool] = []
    var index = 0
    /// The element whose `name` is being forced.
    var element: NixAttrs? = nil

    init(list: NixList, context: BuiltinContext) {
        self.list = list
        self.context = context
        entries.reserveCapacity(list.count)
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input {
            if let e = element {
                try takeName(input, of: e)
            } else if let step = try takeElement(input) {
                return step
            }
        }
        while index < list.count {
            let v = list[index]
            index += 1
            guard let ready = vm.readyValue(v) else { return .force(v) }
            if let step = try takeElement(ready) { return step }
        }
        // Names are unique (first one wins), so the entries need only sorting by symbol id; names
        // made in order (as by `genList`) are often sorted already.
        var sorted = true
        var k = 1
        while k < entries.count {
            if UInt32(truncatingIfNeeded: entries[k - 1].0) > UInt32(truncatingIfNeeded: entries[k].0) { sorted = false; break }
            k += 1
        }
        if !sorted { entries.sort { UInt32(truncatingIfNeeded: $0.0) < UInt32(truncatingIfNeeded: $1.0) } }
        return .done(vm.heap.attrs(sortedCount: entries.count) { out in
            entries.withUnsafeBufferPointer { e in
                for i in 0..<e.count {
                    out[2 * i] = e[i].0
                    out[2 * i + 1] = e[i].1.bits
                }
            }
        })
    }

    /// A forced element: asks for its name to be forced, or takes it when it is already a value.
    private func takeElement(_ v: Value) throws -> NativeStep? {
        let e = try context.attrs(v)
        guard let name = e[context.program.names.name] else { throw context.error("attribute 'name' missing") }
        if name.isThunk {
            let t = name.asThunk
            if t.state != .evaluated {
                element = e
                return .force(name)
            }
            try takeName(t.result, of: e)
        } else {
            try takeName(name, of: e)
        }
        return nil
    }

    private func takeName(_ v: Value, of e: NixAttrs) throws {
        element = nil
        let name = try context.stringNoContext(v)
        let sym = name.symbol(in: context.symbols)
        if list.count <= 16 {
            if entries.contains(where: { UInt32(truncatingIfNeeded: $0.0) == sym.id }) { return }
        } else {
            let id = Int(sym.id)
            if id >= seen.count {
                // Geometric growth: new names get fresh, increasing ids one at a time.
                let target = max(id + 1, context.symbols.count, 2 * seen.count, 64)
                seen += repeatElement(false, count: target - seen.count)
            }
            if seen[id] { return }
            seen[id] = true
        }
        guard let i = e.index(of: context.program.names.value) else { throw context.error("attribute 'value' missing") }
        entries.append((UInt64(sym.id) | UInt64(e.position(at: i)) << 32, e.value(at: i)))
    }
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

    /// `functionArgs`: each formal's name (with its position) and whether it has a default.
    func formalsWithDefaults(_ proto: Proto) -> [(UInt64, Value)] {
        guard let info = proto.formals.first else { return [] }
        return info.names.enumerated().map { (k, name) in
            (UInt64(name.id) | UInt64(info.positions[k]) << 32, .bool(info.hasDefault[k]))
        }
    }
}
