// Prints values as `nix-instantiate --eval` does, with an explicit work stack (no recursion).

import NixSyntax

/// Renders values in Nix syntax: sorted attributes, quoted names, `%g` floats, `«repeated»`.
struct ValuePrinter {
    enum Style {
        /// `nix-instantiate --eval`: unevaluated thunks print as `<CODE>`.
        case eval
        /// `builtins.trace`: unevaluated thunks print as `«thunk»`, nothing is elided.
        case trace
        /// Values inside error messages: `«thunk»`, bounded size, derivations abbreviated.
        case error
    }

    let vm: VM
    let style: Style
    var out: [UInt8] = []
    var seen = Set<UInt64>()
    /// C++ Nix stores lists of up to two elements inside the value itself, so such a list is
    /// "the same" only when it is reached through the same value: here, the same word as stored
    /// in its container (the same thunk, or the same list), not merely the same result.
    var seenSmallLists = Set<UInt64>()

    init(vm: VM, style: Style) {
        self.vm = vm
        self.style = style
    }

    enum Item {
        case value(Value, depth: Int)
        case text(StaticString)
        case attrName(Symbol)
    }

    mutating func emit(_ s: StaticString) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    mutating func print(_ root: Value) -> [UInt8] {
        var work: [Item] = [.value(root, depth: 0)]
        let symbols = vm.program.symbols
        while let item = work.popLast() {
            switch item {
            case .text(let s):
                emit(s)
            case .attrName(let s):
                symbols.withBytes(s) { NixQuoting.appendAttributeName($0, to: &out) }
            case .value(let raw, let depth):
                var v = raw
                if v.isThunk {
                    let t = v.asThunk
                    if t.state != .evaluated {
                        emit(style == .eval ? "<CODE>" : "«thunk»")
                        continue
                    }
                    v = t.result
                }
                if let n = v.intValue {
                    out.append(contentsOf: String(n).utf8)
                    continue
                }
                switch v.type {
                case .null: emit("null")
                case .bool: emit(v == .true ? "true" : "false")
                case .float: out.append(contentsOf: NumberFormatting.formatG(v.floatValue).utf8)
                case .string:
                    let s = v.asString.bytes
                    if style == .error && s.count > 1024 {
                        NixQuoting.appendStringLiteral(s[0..<1024], to: &out)
                        emit("«")
                        out.append(contentsOf: String(s.count - 1024).utf8)
                        emit(" bytes elided»")
                    } else {
                        NixQuoting.appendStringLiteral(s, to: &out)
                    }
                case .path: out.append(contentsOf: v.asPath.bytes)
                case .lambda:
                    if style == .eval {
                        if v.isBuiltin { emit("<PRIMOP>") } else if v.isObject(.builtinApp) { emit("<PRIMOP-APP>") } else { emit("<LAMBDA>") }
                    } else {
                        out.append(contentsOf: vm.functionDescription(v).utf8)
                    }
                case .list:
                    let l = v.asList
                    if l.count == 0 { emit("[ ]"); continue }
                    let fresh = l.count <= 2 ? seenSmallLists.insert(raw.bits).inserted : seen.insert(v.bits).inserted
                    if !fresh { emit("«repeated»"); continue }
                    if style == .error && depth >= 10 { emit("[ … ]"); continue }
                    emit("[ ")
                    work.append(.text("]"))
                    let shown = style == .error ? min(l.count, 10) : l.count
                    if shown < l.count { work.append(.text("«elided» ")) }
                    for i in stride(from: shown - 1, through: 0, by: -1) {
                        work.append(.text(" "))
                        work.append(.value(l[i], depth: depth + 1))
                    }
                case .set:
                    let s = v.asAttrs
                    if s.count == 0 { emit("{ }"); continue }
                    if !seen.insert(v.bits).inserted { emit("«repeated»"); continue }
                    if style == .error {
                        if vm.isDerivation(s) {
                            emit("«derivation»")
                            continue
                        }
                        if depth >= 10 { emit("{ … }"); continue }
                    }
                    emit("{ ")
                    work.append(.text("}"))
                    var order = Array(0..<s.count)
                    order.sort { symbols.lexicographicallyPrecedes(s.symbol(at: $0), s.symbol(at: $1)) }
                    if style == .error && order.count > 10 {
                        order = Array(order.prefix(10))
                        work.append(.text("«elided» "))
                    }
                    for i in order.reversed() {
                        work.append(.text("; "))
                        work.append(.value(s.value(at: i), depth: depth + 1))
                        work.append(.text(" = "))
                        work.append(.attrName(s.symbol(at: i)))
                    }
                case .int: break
                }
            }
        }
        return out
    }
}

extension VM {
    /// A function as traces and error messages show it: `«lambda f @ file:1:9»`,
    /// `«primop map»`, `«partially applied primop add»`.
    func functionDescription(_ v: Value) -> String {
        if v.isBuiltin { return "«primop \(program.builtins.entries[v.builtinIndex].name)»" }
        if v.isObject(.builtinApp) {
            return "«partially applied primop \(program.builtins.entries[v.asBuiltinApp.builtinIndex].name)»"
        }
        let proto = program.protos[v.asClosure.protoIndex]
        let span = Span(file: proto.source, start: Int(proto.span.start), end: Int(proto.span.end))
        return "«lambda \(proto.name.map { $0 + " " } ?? "")@ \(span.description)»"
    }

    /// A value as shown inside error messages.
    func printForError(_ v: Value) throws -> String {
        var p = ValuePrinter(vm: self, style: .error)
        return String(decoding: p.print(v), as: UTF8.self)
    }
}
