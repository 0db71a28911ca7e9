// Code generation for `let`, attribute sets (plain and `rec`) and lambdas with formals.

import NixSyntax

extension Compiler {
    /// Pushes the values of recursive bindings as consecutive locals, then finalises the
    /// thunks that captured bindings not initialised when they were created.
    /// Returns the slot of the first binding; the scope holds `hidden + attrs.count` locals.
    mutating func compileRecursiveBindings(_ b: Bindings) throws -> (firstSlot: Int, localCount: Int) {
        // `inherit x` reads the enclosing scope: resolve before declaring this scope's names.
        var inherited: [Int: Resolution?] = [:]
        for (k, a) in b.attrs.enumerated() {
            if case .inherited = a.kind { inherited[k] = resolve(.name(a.name), in: fs) }
        }
        let firstSlot = fs.depth
        // With `__overrides`, every read of a sibling must see the overridden value: make all
        // of them lazy, so that the finalisation after the overrides re-reads the slots.
        let overridesName = program.symbols.intern("__overrides")
        let hasOverrides = b.recursive && b.attrs.contains { $0.name == overridesName }
        // Phantom bindings for `inherit (e)` sources, evaluated once.
        var sourceSlots: [Int] = []
        for k in b.inheritSources.indices {
            sourceSlots.append(declare(hiddenKey(), pending: k))
        }
        var slots: [Int] = []
        for (k, a) in b.attrs.enumerated() { slots.append(declare(.name(a.name), pending: sourceSlots.count + k)) }
        var needsFinalise: [Int] = []
        let scopeSlots = firstSlot..<(firstSlot + sourceSlots.count + slots.count)
        for (k, s) in b.inheritSources.enumerated() {
            if let p = try compileLazy(s, ownSlot: sourceSlots[k]), capturesAny(p, slots: scopeSlots) { needsFinalise.append(sourceSlots[k]) }
        }
        for (k, a) in b.attrs.enumerated() {
            var made: Int? = nil
            switch a.kind {
            case .plain(let e):
                lambdaName = lambdaName(of: e, a.name)
                made = try compileLazy(e, ownSlot: hasOverrides ? firstSlot : slots[k])
                lambdaName = nil
            case .inherited:
                if let r = inherited[k] ?? nil {
                    load(r)
                } else if let g = program.global(a.name) {
                    constant(g)
                } else {
                    try compileInheritFromWith(a)
                }
            case .inheritedFrom(let source):
                made = try compileInheritFrom(sourceSlot: sourceSlots[source], name: a.name, span: a.span)
            }
            if let p = made, capturesAny(p, slots: scopeSlots) { needsFinalise.append(slots[k]) }
        }
        for s in needsFinalise { emit(.finalise, Int32(s)) }
        return (firstSlot, sourceSlots.count + slots.count)
    }

    /// `inherit x;` where `x` comes from a `with`: a thunk doing the dynamic lookup. The lookup
    /// goes straight to the `with` scopes, so the binding being defined cannot shadow it.
    mutating func compileInheritFromWith(_ a: Binding) throws {
        let index = try compileNested(isLambda: false, span: a.span) { c in
            c.compileWithLookup(a.name, a.span)
            c.emit(.force)
            c.emit(.ret)
        }
        emit(.makeThunk, Int32(index))
    }

    /// `inherit (e) name;`: a thunk selecting `name` from the phantom binding of `e`.
    @discardableResult
    mutating func compileInheritFrom(sourceSlot: Int, name: Symbol, span: SourceRange) throws -> Int {
        let key = fs.locals.last(where: { $0.slot == sourceSlot })?.key ?? .hidden(-1)
        let range = SourceRange(start: span.start, end: span.end)
        let index = try compileNested(isLambda: false, span: range) { c in
            guard let r = c.resolve(key, in: c.fs) else { return }
            c.load(r)
            c.mark(range)
            c.emit(.force)
            c.mark(range)
            c.emit(.select, c.symbolOperand(name))
            c.emit(.force)
            c.emit(.ret)
        }
        emit(.makeThunk, Int32(index))
        return index
    }

    mutating func compileLet(_ b: Bindings, body: ExprID) throws {
        let (_, count) = try compileRecursiveBindings(b)
        try compile(body)
        endScope(count)
        emit(.popUnder, Int32(count))
    }

    mutating func compileAttrs(_ b: Bindings, _ id: ExprID) throws {
        if b.recursive {
            var (first, count) = try compileRecursiveBindings(b)
            let attrSlots = (first + b.inheritSources.count)..<(first + b.inheritSources.count + b.attrs.count)
            // `__overrides` (deprecated): its attributes replace those of the set, also in the
            // recursive scope, and the others are added to the result.
            let overridesName = program.symbols.intern("__overrides")
            var extrasSlot: Int? = nil
            if let k = b.attrs.firstIndex(where: { $0.name == overridesName }) {
                emit(.loadLocal, Int32(attrSlots.lowerBound + k))
                mark(id)
                emit(.force)
                mark(id)
                fs.proto.code.append(Int32(Op.applyOverrides.rawValue))
                fs.proto.code.append(Int32(attrSlots.lowerBound))
                fs.proto.code.append(Int32(b.attrs.count))
                fs.proto.code.append(contentsOf: b.attrs.map { symbolOperand($0.name) })
                fs.lastOp = .applyOverrides
                extrasSlot = declareTop(hiddenKey())
                count += 1
                for s in attrSlots { emit(.finalise, Int32(s)) }
            }
            for s in attrSlots { emit(.loadLocal, Int32(s)) }
            emitMakeAttrs(b.attrs, id)
            if let extrasSlot {
                emit(.loadLocal, Int32(extrasSlot))
                mark(id)
                emit(.update)
            }
            try compileDynamicAttrs(b)
            endScope(count)
            emit(.popUnder, Int32(count))
            return
        }
        var sourceSlots: [Int] = []
        for s in b.inheritSources {
            try compileLazy(s)
            sourceSlots.append(declareTop(hiddenKey()))
        }
        for a in b.attrs {
            switch a.kind {
            case .plain(let e):
                lambdaName = lambdaName(of: e, a.name)
                try compileLazy(e)
                lambdaName = nil
            case .inherited:
                if let r = resolve(.name(a.name), in: fs) {
                    load(r)
                } else if let g = program.global(a.name) {
                    constant(g)
                } else {
                    try compileInheritFromWith(a)
                }
            case .inheritedFrom(let source):
                try compileInheritFrom(sourceSlot: sourceSlots[source], name: a.name, span: a.span)
            }
        }
        emitMakeAttrs(b.attrs, id)
        try compileDynamicAttrs(b)
        if !sourceSlots.isEmpty {
            endScope(sourceSlots.count)
            emit(.popUnder, Int32(sourceSlots.count))
        }
    }

    /// `makeAttrs n positions (symbol, offset)*` with the pairs sorted by symbol id; the
    /// attributes' positions are registered as `positions`, `positions + 1`, … in that order.
    mutating func emitMakeAttrs(_ bindings: [Binding], _ id: ExprID) {
        let order = bindings.indices.sorted { bindings[$0].name.id < bindings[$1].name.id }
        var operands: [Int32] = [Int32(bindings.count), 0]
        for (k, i) in order.enumerated() {
            let position = program.registerAttrPosition(tree.span(of: bindings[i].span))
            if k == 0 { operands[1] = Int32(bitPattern: position) }
            operands.append(symbolOperand(bindings[i].name))
            operands.append(Int32(i))
        }
        mark(id)
        fs.proto.code.append(Int32(Op.makeAttrs.rawValue))
        fs.lastOp = .makeAttrs
        fs.proto.code.append(contentsOf: operands)
        fs.depth -= bindings.count - 1
    }

    mutating func compileDynamicAttrs(_ b: Bindings) throws {
        for d in b.dynamic {
            try compile(d.name)
            mark(d.name)
            emit(.force)
            try compileLazy(d.value)
            mark(SourceRange(start: d.span.start, end: d.span.end))
            emit(.insertDynamic, Int32(bitPattern: program.registerAttrPosition(tree.span(of: d.span))))
        }
    }

    /// The name a binding gives its value when the value is a lambda.
    func lambdaName(of value: ExprID, _ name: Symbol) -> Symbol? {
        if case .lambda = tree[value] { return name }
        return nil
    }

    mutating func compileLambda(_ l: Lambda, _ id: ExprID) throws {
        let range = tree.ranges[Int(id.raw)]
        let symbol = lambdaName
        let name = symbol.map { program.symbols.name($0) }
        lambdaName = nil
        let index = try compileNested(isLambda: true, span: range) { c in
            c.fs.proto.name = name
            c.fs.depth = 1
            let argKey: VariableKey = l.arg.map { .name($0) } ?? c.hiddenKey()
            c.fs.addLocal(argKey, slot: 0)
            c.fs.proto.argName = l.arg
            if let formals = l.formals {
                let positions = formals.entries.map { c.program.registerAttrPosition(c.tree.span(of: $0.span)) }
                let info = FormalsInfo(names: formals.entries.map(\.name), positions: positions, hasDefault: formals.entries.map { $0.defaultValue != nil }, ellipsis: formals.ellipsis,
                                       lambdaName: nil, span: c.tree.span(id))
                c.fs.proto.formals.append(info)
                c.emit(.loadLocal, 0)
                c.mark(range)
                c.emit(.force)
                c.mark(range)
                c.emit(.checkFormals, Int32(c.fs.proto.formals.count - 1))
                var slots: [Int] = []
                for (k, f) in formals.entries.enumerated() { slots.append(c.declare(.name(f.name), pending: k)) }
                // (slot, name) of defaults that capture formals: refilled only when the default
                // is used, never when the slot holds the caller's value.
                var needsFinalise: [(Int, Symbol)] = []
                let scopeSlots = 1..<(1 + slots.count)
                for (k, f) in formals.entries.enumerated() {
                    c.mark(range)
                    let missing = c.emitJump(.selectFormal, c.symbolOperand(f.name))
                    c.fs.depth += 1
                    let done = c.emitJump(.jump)
                    c.patch(missing)
                    c.fs.depth -= 1
                    if let d = f.defaultValue {
                        if let p = try c.compileLazy(d, ownSlot: slots[k]), c.capturesAny(p, slots: scopeSlots) { needsFinalise.append((slots[k], f.name)) }
                    } else {
                        c.mark(range)
                        c.emit(.missingArgument, c.symbolOperand(f.name))
                        c.fs.depth += 1
                    }
                    c.patch(done)
                }
                for (s, name) in needsFinalise { c.emit(.finaliseDefault, Int32(s), c.symbolOperand(name)) }
            }
            // As C++ Nix (`ExprLambda::setName`): `f = a: b: …` names the inner lambdas too.
            if case .lambda = c.tree[l.body] { c.lambdaName = symbol }
            try c.compile(l.body)
            c.emit(.force)
            c.emit(.ret)
        }
        emit(.makeClosure, Int32(index))
    }
}
