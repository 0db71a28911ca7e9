// Prints a syntax tree in exactly the format of `nix-instantiate --parse` (C++ Nix's `Expr::show`).

/// Renders expressions the way C++ Nix 2.26 shows them: fully parenthesised, desugared.
///
/// The printer borrows the tree's node array and side tables as unsafe buffers for the
/// duration of printing, so reading a node, a binding list or an attribute path neither
/// copies nor retains anything.
public struct ASTPrinter {
    /// The nodes and side tables, borrowed for the duration of printing.
    let nodes: UnsafeBufferPointer<ExprNode>
    let byteStore: UnsafeBufferPointer<[UInt8]>
    let pathStore: UnsafeBufferPointer<[AttrName]>
    let bindingsStore: UnsafeBufferPointer<Bindings>
    let listStore: UnsafeBufferPointer<[ExprID]>
    let lambdaStore: UnsafeBufferPointer<Lambda>
    /// The bytes of all symbols and their offsets (symbol `i` is `names[offsets[i]..<offsets[i+1]]`).
    let names: UnsafeBufferPointer<UInt8>
    let offsets: UnsafeBufferPointer<Int32>
    /// Name order of all symbols (C++ Nix prints attributes and formals sorted by name).
    let ranks: [Int32]
    /// Per symbol: 0 = not yet known, 1 = prints bare, 2 = needs quotes.
    var bare: [UInt8]
    /// Sort keys (`rank << 32 | index`) of the binding lists being printed, used as a stack.
    var scratch: [UInt64] = []
    var out: ByteWriter

    /// The printed form of the whole tree (without a trailing newline).
    public static func print(_ tree: SyntaxTree) -> [UInt8] {
        print(tree, tree.root)
    }

    /// The printed form of one subexpression (used in messages such as failed assertions).
    public static func print(_ tree: SyntaxTree, _ id: ExprID) -> [UInt8] {
        let capacity = max(id == tree.root ? tree.source.bytes.count + tree.source.bytes.count / 2 : 64, 16)
        let ranks = tree.symbols.lexicographicRanks()
        return tree.nodes.withUnsafeBufferPointer { nodes in
            tree.byteStore.withUnsafeBufferPointer { byteStore in
                tree.pathStore.withUnsafeBufferPointer { pathStore in
                    tree.bindingsStore.withUnsafeBufferPointer { bindingsStore in
                        tree.listStore.withUnsafeBufferPointer { listStore in
                            tree.lambdaStore.withUnsafeBufferPointer { lambdaStore in
                                tree.symbols.withRawNames { names, offsets in
                                    // Print straight into the result's storage; if it turns out too
                                    // small the writer moves to its own buffer and that is returned.
                                    var moved: [UInt8]? = nil
                                    let result = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                                        HugePages.advise(buffer, capacity: buffer.count)
                                        var p = ASTPrinter(
                                            nodes: nodes, byteStore: byteStore, pathStore: pathStore,
                                            bindingsStore: bindingsStore, listStore: listStore, lambdaStore: lambdaStore,
                                            names: names, offsets: offsets, ranks: ranks,
                                            bare: [UInt8](repeating: 0, count: ranks.count),
                                            out: ByteWriter(external: buffer.baseAddress!, capacity: buffer.count))
                                        p.show(id)
                                        if p.out.ownsBuffer {
                                            moved = p.out.finish()
                                            count = 0
                                        } else {
                                            count = p.out.count
                                        }
                                    }
                                    return moved ?? result
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @inline(__always) mutating func emit(_ s: StaticString) {
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
        if magnitude < 10 {
            out.append(UInt8(48 + magnitude))
            return
        }
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

    @inline(__always) func nameBytes(_ s: Symbol) -> UnsafeBufferPointer<UInt8> {
        let id = Int(s.id)
        let start = Int(offsets[id]), end = Int(offsets[id + 1])
        return UnsafeBufferPointer(start: names.baseAddress.map { $0 + start }, count: end - start)
    }

    @inline(__always) mutating func symbol(_ s: Symbol) {
        out.append(bytes: nameBytes(s))
    }

    mutating func attrName(_ s: Symbol) {
        let id = Int(s.id)
        var flag = bare[id]
        let b = nameBytes(s)
        if flag == 0 {
            flag = NixQuoting.isBareIdentifier(b) ? 1 : 2
            bare[id] = flag
        }
        if flag == 1 {
            out.append(bytes: b)
        } else {
            out.appendQuoted(b)
        }
    }

    mutating func attrPath(_ id: AttrPathID) {
        let path = pathStore.baseAddress! + Int(id.raw)
        let n = path.pointee.count
        for i in 0..<n {
            if i > 0 { emit(".") }
            switch path.pointee[i] {
            case .symbol(let s): attrName(s)
            case .dynamic(let e):
                emit("\"${")
                show(e)
                emit("}\"")
            }
        }
    }

    @inline(__always) mutating func stringLiteral(_ id: BytesID) {
        byteStore[Int(id.raw)].withUnsafeBufferPointer { out.appendQuoted($0) }
    }

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
            stringLiteral(literal)
        }
        if let a = parts.first {
            emit(" ")
            show(a)
        }
        if let a = parts.second {
            emit(" ")
            show(a)
        }
        if let extra { showExprs(extra, separator: " ", leading: true) }
        emit(")")
    }

    /// The expressions of a list, each preceded (`leading`) or separated by `separator`.
    mutating func showExprs(_ id: ExprListID, separator: StaticString, leading: Bool) {
        let list = listStore.baseAddress! + Int(id.raw)
        let n = list.pointee.count
        for i in 0..<n {
            if leading || i > 0 { emit(separator) }
            show(list.pointee[i])
        }
    }

    mutating func show(_ id: ExprID) {
        switch nodes[Int(id.raw)] {
        case .int(let n): appendInteger(n)
        case .float(let d): emitString(NumberFormatting.formatG(d))
        case .string(let s): stringLiteral(s)
        case .path(let p): byteStore[Int(p.raw)].withUnsafeBufferPointer { out.append(bytes: $0) }
        case .variable(let s): symbol(s)
        case .currentPosition: emit("__curPos")
        case .select(let base, let path, let def):
            emit("(")
            show(base)
            emit(").")
            attrPath(path)
            if let def {
                emit(" or (")
                show(def)
                emit(")")
            }
        case .hasAttr(let base, let path):
            emit("((")
            show(base)
            emit(") ? ")
            attrPath(path)
            emit(")")
        case .attrs(let id):
            if bindingsStore[Int(id.raw)].recursive { emit("rec ") }
            emit("{ ")
            showBindings(id)
            emit("}")
        case .list(let elements):
            emit("[ ")
            let list = listStore.baseAddress! + Int(elements.raw)
            let n = list.pointee.count
            for i in 0..<n {
                emit("(")
                show(list.pointee[i])
                emit(") ")
            }
            emit("]")
        case .lambda(let id):
            showLambda(id)
        case .call(let f, let argsID):
            if let parts = callParts(f) {
                showCallParts(parts, extra: argsID)
            } else {
                emit("(")
                show(f)
                showExprs(argsID, separator: " ", leading: true)
                emit(")")
            }
        case .letIn(let b, let body):
            emit("(let ")
            showBindings(b)
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
            showExprs(parts, separator: " + ", leading: false)
            emit(")")
        }
    }

    mutating func showLambda(_ id: LambdaID) {
        let l = lambdaStore.baseAddress! + Int(id.raw)
        emit("(")
        if l.pointee.formals != nil {
            emit("{ ")
            // Sort the formals by name with keys `rank << 32 | index` on the scratch stack.
            let base = scratch.count
            let n = l.pointee.formals!.entries.count
            for i in 0..<n {
                let name = l.pointee.formals!.entries[i].name
                scratch.append(UInt64(UInt32(bitPattern: ranks[Int(name.id)])) << 32 | UInt64(i))
            }
            sortScratch(from: base)
            var first = true
            for k in base..<(base + n) {
                let i = Int(scratch[k] & 0xffff_ffff)
                if first { first = false } else { emit(", ") }
                let f = l.pointee.formals!.entries[i]
                symbol(f.name)
                if let d = f.defaultValue {
                    emit(" ? ")
                    show(d)
                }
            }
            scratch.removeSubrange(base...)
            if l.pointee.formals!.ellipsis {
                if !first { emit(", ") }
                emit("...")
            }
            emit(" }")
            if l.pointee.arg != nil { emit(" @ ") }
        }
        if let arg = l.pointee.arg { symbol(arg) }
        emit(": ")
        show(l.pointee.body)
        emit(")")
    }

    mutating func sortScratch(from base: Int) {
        let n = scratch.count - base
        if n < 2 { return }
        scratch.withUnsafeMutableBufferPointer { p in
            var slice = UnsafeMutableBufferPointer(rebasing: p[base...])
            if n <= 16 {
                // Insertion sort: binding lists are usually short.
                for i in 1..<n {
                    let key = slice[i]
                    var j = i - 1
                    while j >= 0 && slice[j] > key {
                        slice[j + 1] = slice[j]
                        j -= 1
                    }
                    slice[j + 1] = key
                }
            } else {
                slice.sort()
            }
        }
    }

    /// C++ Nix's `ExprAttrs::showBindings`: `inherit`s first, then plain attributes by name, then dynamic ones.
    mutating func showBindings(_ id: BindingsID) {
        let b = bindingsStore.baseAddress! + Int(id.raw)
        let n = b.pointee.attrs.count
        let base = scratch.count
        var hasInherit = false
        for i in 0..<n {
            let a = b.pointee.attrs[i]
            if case .plain = a.kind {} else { hasInherit = true }
            scratch.append(UInt64(UInt32(bitPattern: ranks[Int(a.name.id)])) << 32 | UInt64(i))
        }
        sortScratch(from: base)
        let end = base + n
        if hasInherit {
            var any = false
            for k in base..<end {
                let a = b.pointee.attrs[Int(scratch[k] & 0xffff_ffff)]
                if case .inherited = a.kind {
                    if !any { emit("inherit"); any = true }
                    emit(" ")
                    attrName(a.name)
                }
            }
            if any { emit("; ") }
            let sources = b.pointee.inheritSources.count
            for source in 0..<sources {
                var started = false
                for k in base..<end {
                    let a = b.pointee.attrs[Int(scratch[k] & 0xffff_ffff)]
                    if case .inheritedFrom(let s) = a.kind, s == source {
                        if !started {
                            emit("inherit (")
                            show(b.pointee.inheritSources[source])
                            emit(")")
                            started = true
                        }
                        emit(" ")
                        attrName(a.name)
                    }
                }
                if started { emit("; ") }
            }
        }
        for k in base..<end {
            let a = b.pointee.attrs[Int(scratch[k] & 0xffff_ffff)]
            if case .plain(let e) = a.kind {
                attrName(a.name)
                emit(" = ")
                show(e)
                emit("; ")
            }
        }
        scratch.removeSubrange(base...)
        let d = b.pointee.dynamic.count
        for i in 0..<d {
            let dyn = b.pointee.dynamic[i]
            emit("\"${")
            show(dyn.name)
            emit("}\" = ")
            show(dyn.value)
            emit("; ")
        }
    }
}
