// Prints a syntax tree in exactly the format of `nix-instantiate --parse` (C++ Nix's `Expr::show`).

/// Renders expressions the way C++ Nix 2.26 shows them: fully parenthesised, desugared.
public struct ASTPrinter {
    let tree: SyntaxTree
    /// The nodes, borrowed for the duration of printing (avoids copying the array per access).
    let nodes: UnsafeBufferPointer<ExprNode>
    /// Name order of all symbols (C++ Nix prints attributes and formals sorted by name).
    let ranks: [Int32]
    var out: ByteWriter

    init(tree: SyntaxTree, nodes: UnsafeBufferPointer<ExprNode>, capacity: Int) {
        out = ByteWriter(capacity: capacity)
        self.tree = tree
        self.nodes = nodes
        self.ranks = tree.symbols.lexicographicRanks()
    }

    /// The printed form of the whole tree (without a trailing newline).
    public static func print(_ tree: SyntaxTree) -> [UInt8] {
        print(tree, tree.root)
    }

    /// The printed form of one subexpression (used in messages such as failed assertions).
    public static func print(_ tree: SyntaxTree, _ id: ExprID) -> [UInt8] {
        tree.nodes.withUnsafeBufferPointer { nodes in
            var p = ASTPrinter(tree: tree, nodes: nodes, capacity: id == tree.root ? tree.source.bytes.count + tree.source.bytes.count / 2 : 64)
            p.show(id)
            return p.out.finish()
        }
    }

    mutating func emit(_ s: StaticString) {
        out.append(s)
    }

    mutating func emitString(_ s: String) {
        var copy = s
        copy.withUTF8 { out.append(bytes: $0) }
    }

    /// Appends the decimal digits of `n` without creating a string.
    mutating func appendInteger(_ n: Int64) {
        if n < 0 { out.append(45) }
        var magnitude = n.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(48 + magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
        }
    }

    mutating func symbol(_ s: Symbol) {
        tree.symbols.withBytes(s) { out.append(bytes: $0) }
    }

    mutating func attrName(_ s: Symbol) {
        tree.symbols.withBytes(s) { NixQuoting.appendAttributeName($0, to: &out) }
    }

    mutating func attrPath(_ path: [AttrName]) {
        for (i, a) in path.enumerated() {
            if i > 0 { emit(".") }
            switch a {
            case .symbol(let s): attrName(s)
            case .dynamic(let e):
                emit("\"${")
                show(e)
                emit("}\"")
            }
        }
    }

    /// The head and leading arguments of nodes that C++ Nix represents as calls (`__sub a b` …),
    /// so that an application of them prints as one flattened call.
    /// Nodes that C++ Nix represents as calls (`__sub a b` …): their head and leading
    /// arguments, so that an application of them prints as one flattened call.
    struct CallParts {
        var head: StaticString
        var first: ExprID? = nil
        var second: ExprID? = nil
        var literal: BytesID? = nil
    }

    func callParts(_ id: ExprID) -> CallParts? {
        switch nodes[Int(id.raw)] {
        case .arithmetic(let op, let a, let b):
            let name: StaticString = op == .subtract ? "__sub" : op == .multiply ? "__mul" : "__div"
            return CallParts(head: name, first: a, second: b)
        case .negate(let e): return CallParts(head: "__sub 0", first: e)
        case .comparison(.less, let a, let b): return CallParts(head: "__lessThan", first: a, second: b)
        case .comparison(.greater, let a, let b): return CallParts(head: "__lessThan", first: b, second: a)
        case .searchPath(let p): return CallParts(head: "__findFile __nixPath", literal: p)
        default: return nil
        }
    }

    mutating func showCallParts(_ parts: CallParts, extra: ExprListID?) {
        emit("(")
        emit(parts.head)
        if let literal = parts.literal {
            emit(" ")
            NixQuoting.appendStringLiteral(tree.byteStore[Int(literal.raw)], to: &out)
        }
        for a in [parts.first, parts.second] {
            if let a {
                emit(" ")
                show(a)
            }
        }
        if let extra {
            for a in tree.listStore[Int(extra.raw)] {
                emit(" ")
                show(a)
            }
        }
        emit(")")
    }

    mutating func show(_ id: ExprID) {
        switch nodes[Int(id.raw)] {
        case .int(let n): appendInteger(n)
        case .float(let d): emitString(NumberFormatting.formatG(d))
        case .string(let s): NixQuoting.appendStringLiteral(tree.byteStore[Int(s.raw)], to: &out)
        case .path(let p): tree.byteStore[Int(p.raw)].withUnsafeBufferPointer { out.append(bytes: $0) }
        case .variable(let s): symbol(s)
        case .currentPosition: emit("__curPos")
        case .select(let base, let path, let def):
            emit("(")
            show(base)
            emit(").")
            attrPath(tree.attrPath(path))
            if let def {
                emit(" or (")
                show(def)
                emit(")")
            }
        case .hasAttr(let base, let path):
            emit("((")
            show(base)
            emit(") ? ")
            attrPath(tree.attrPath(path))
            emit(")")
        case .attrs(let id):
            let b = tree.bindings(id)
            if b.recursive { emit("rec ") }
            emit("{ ")
            showBindings(b)
            emit("}")
        case .list(let elements):
            emit("[ ")
            for e in tree.exprs(elements) {
                emit("(")
                show(e)
                emit(") ")
            }
            emit("]")
        case .lambda(let id):
            let l = tree.lambda(id)
            emit("(")
            if let formals = l.formals {
                emit("{ ")
                let sorted = formals.entries.sorted { ranks[Int($0.name.id)] < ranks[Int($1.name.id)] }
                var first = true
                for f in sorted {
                    if first { first = false } else { emit(", ") }
                    symbol(f.name)
                    if let d = f.defaultValue {
                        emit(" ? ")
                        show(d)
                    }
                }
                if formals.ellipsis {
                    if !first { emit(", ") }
                    emit("...")
                }
                emit(" }")
                if l.arg != nil { emit(" @ ") }
            }
            if let arg = l.arg { symbol(arg) }
            emit(": ")
            show(l.body)
            emit(")")
        case .call(let f, let argsID):
            if let parts = callParts(f) {
                showCallParts(parts, extra: argsID)
            } else {
                let args = tree.exprs(argsID)
                emit("(")
                show(f)
                for a in args {
                    emit(" ")
                    show(a)
                }
                emit(")")
            }
        case .letIn(let b, let body):
            emit("(let ")
            showBindings(tree.bindings(b))
            emit("in ")
            show(body)
            emit(")")
        case .with(let scope, let body):
            emit("(with ")
            show(scope)
            emit("; ")
            show(body)
            emit(")")
        case .ifThenElse(let c, let t, let e):
            emit("(if ")
            show(c)
            emit(" then ")
            show(t)
            emit(" else ")
            show(e)
            emit(")")
        case .assert(let c, let body):
            emit("assert ")
            show(c)
            emit("; ")
            show(body)
        case .not(let e):
            emit("(! ")
            show(e)
            emit(")")
        case .binary(let op, let a, let b):
            emit("(")
            show(a)
            emit(" ")
            emit(op.token)
            emit(" ")
            show(b)
            emit(")")
        case .add(let a, let b):
            emit("(")
            show(a)
            emit(" + ")
            show(b)
            emit(")")
        case .comparison(.lessOrEqual, let a, let b):
            emit("(! (__lessThan ")
            show(b)
            emit(" ")
            show(a)
            emit("))")
        case .comparison(.greaterOrEqual, let a, let b):
            emit("(! (__lessThan ")
            show(a)
            emit(" ")
            show(b)
            emit("))")
        case .arithmetic, .negate, .comparison, .searchPath:
            if let parts = callParts(id) { showCallParts(parts, extra: nil) }
        case .interpolation(let parts, _):
            emit("(")
            for (i, p) in tree.exprs(parts).enumerated() {
                if i > 0 { emit(" + ") }
                show(p)
            }
            emit(")")
        }
    }

    /// C++ Nix's `ExprAttrs::showBindings`: `inherit`s first, then plain attributes by name, then dynamic ones.
    mutating func showBindings(_ b: Bindings) {
        let sorted = b.attrs.count < 2 ? b.attrs : b.attrs.sorted { ranks[Int($0.name.id)] < ranks[Int($1.name.id)] }
        if b.inheritSources.isEmpty && !sorted.contains(where: { if case .inherited = $0.kind { return true } else { return false } }) {
            showPlainBindings(sorted, b)
            return
        }
        var inherits: [Symbol] = []
        var inheritsFrom: [Int: [Symbol]] = [:]
        for a in sorted {
            switch a.kind {
            case .plain: break
            case .inherited: inherits.append(a.name)
            case .inheritedFrom(let source): inheritsFrom[source, default: []].append(a.name)
            }
        }
        if !inherits.isEmpty {
            emit("inherit")
            for s in inherits {
                emit(" ")
                attrName(s)
            }
            emit("; ")
        }
        for source in inheritsFrom.keys.sorted() {
            emit("inherit (")
            show(b.inheritSources[source])
            emit(")")
            for s in inheritsFrom[source] ?? [] {
                emit(" ")
                attrName(s)
            }
            emit("; ")
        }
        showPlainBindings(sorted, b)
    }

    /// The `name = value;` and dynamic parts of a binding list.
    mutating func showPlainBindings(_ sorted: [Binding], _ b: Bindings) {
        for a in sorted {
            if case .plain(let e) = a.kind {
                attrName(a.name)
                emit(" = ")
                show(e)
                emit("; ")
            }
        }
        for d in b.dynamic {
            emit("\"${")
            show(d.name)
            emit("}\" = ")
            show(d.value)
            emit("; ")
        }
    }
}
