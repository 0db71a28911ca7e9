// Code generation for each kind of expression.

import NixSyntax

extension Compiler {
    /// Emits code that leaves the value of `id` on the stack (possibly an unforced thunk).
    mutating func compile(_ id: ExprID) throws {
        switch tree[id] {
        case .int(let n):
            constant(program.heap.int(n))
        case .float(let d):
            constant(program.heap.float(d))
        case .string(let s):
            constant(program.internedString(tree.bytes(s)))
        case .path(let p):
            constant(program.heap.path(tree.bytes(p)))
        case .variable(let name):
            try compileVariable(name, id)
        case .currentPosition:
            constant(program.positionAttrs(tree.span(id)))
        case .select(let base, let path, let def):
            try compileSelect(id, base: base, path: tree.attrPath(path), defaultValue: def)
        case .hasAttr(let base, let pathID):
            let path = tree.attrPath(pathID)
            try compile(base)
            mark(id)
            emit(.force)
            var falseJumps: [Int] = []
            for (k, attr) in path.enumerated() {
                let isLast = k == path.count - 1
                let sym = try attrOperand(attr)
                mark(id)
                if isLast {
                    emit(.hasAttrFinal, sym)
                } else {
                    falseJumps.append(emitJump(.hasAttrStep, sym))
                    mark(id)
                    emit(.force)
                }
                if sym < 0 { fs.depth -= 1 }
            }
            for j in falseJumps { patch(j) }
        case .attrs(let b):
            try compileAttrs(tree.bindings(b), id)
        case .list(let list):
            let elements = tree.exprs(list)
            for e in elements { try compileLazy(e) }
            emit(.makeList, Int32(elements.count))
        case .lambda(let l):
            try compileLambda(tree.lambda(l), id)
        case .call(let f, let argsID):
            let args = tree.exprs(argsID)
            try compile(f)
            mark(f)
            emit(.force)
            for (k, a) in args.enumerated() {
                if k > 0 {
                    mark(id)
                    emit(.force)
                }
                try compileLazy(a)
                mark(id)
                emit(.call)
            }
        case .letIn(let b, let body):
            try compileLet(tree.bindings(b), body: body)
        case .with(let scope, let body):
            try compileLazy(scope)
            let withID = nextHiddenID
            nextHiddenID += 1
            _ = declareTop(.with(withID))
            fs.withScopes.append(withID)
            try compile(body)
            fs.withScopes.removeLast()
            endScope(1)
            emit(.popUnder, 1)
        case .ifThenElse(let c, let t, let e):
            let start = here
            try compile(c)
            mark(c)
            emit(.force)
            mark(id)
            let toElse = emitJump(.jumpIfFalse)
            traceRange(from: start, "while evaluating a branch condition", at: tree.ranges[Int(id.raw)])
            try compile(t)
            let toEnd = emitJump(.jump)
            fs.depth -= 1
            patch(toElse)
            try compile(e)
            patch(toEnd)
        case .assert(let c, let body):
            let check: Op
            let start = here
            if case .binary(.equal, let a, let b) = tree[c] {
                // `assert a == b` keeps the operands so that a failure can say how they differ.
                try compileOperands(a, b)
                emit(.dup2)
                mark(c)
                emit(.equal)
                check = .assertEqual
            } else {
                try compile(c)
                mark(c)
                emit(.force)
                check = .assertCheck
            }
            traceRange(from: start, "in the condition of the assert statement", at: tree.ranges[Int(id.raw)])
            fs.proto.assertions.append(c)
            mark(id)
            emit(check, Int32(fs.proto.assertions.count - 1))
            try compile(body)
        case .not(let e):
            let start = here
            try compile(e)
            mark(e)
            emit(.force)
            mark(id)
            emit(.not)
            let literal: Bool
            switch tree[e] {
            case .int, .float, .string, .path: literal = true
            default: literal = false
            }
            traceRange(from: start, "in the argument of the not operator", at: literal ? nil : tree.ranges[Int(e.raw)])
        case .negate(let e):
            constant(.smallInt(0))
            try compile(e)
            mark(e)
            emit(.force)
            mark(id)
            emit(.sub)
        case .binary(let op, let a, let b):
            try compileBinary(op, a, b, id)
        case .arithmetic(let op, let a, let b):
            try compileOperands(a, b)
            mark(id)
            switch op {
            case .subtract: emit(.sub)
            case .multiply: emit(.mul)
            case .divide: emit(.div)
            }
        case .comparison(let op, let a, let b):
            try compileOperands(a, b)
            mark(id)
            switch op {
            case .less: emit(.less)
            case .greater: emit(.greater)
            case .lessOrEqual: emit(.lessEq)
            case .greaterOrEqual: emit(.greaterEq)
            }
        case .add(let a, let b):
            try compileOperands(a, b)
            // Errors of `+` point at the operand that cannot be added, as in C++ Nix.
            mark(b)
            emit(.add)
        case .interpolation(let partsID, let isPath):
            let parts = tree.exprs(partsID)
            for (k, p) in parts.enumerated() {
                try compile(p)
                mark(p)
                emit(.force)
                if !(isPath && k == 0) {
                    // Inside a path literal, interpolated paths are not copied to the store.
                    // Coercion errors point at the `${` (C++ Nix's position of the part).
                    mark(interpolationRange(p))
                    emit(.coerceForInterpolation, isPath ? 0 : 1)
                }
            }
            mark(id)
            emit(.concatStrings, Int32(parts.count), isPath ? 1 : 0)
        case .searchPath(let p):
            // `<p>` is `__findFile __nixPath "p"`.
            try compileVariable(program.symbols.intern("__findFile"), id)
            mark(id)
            emit(.force)
            try compileVariable(program.symbols.intern("__nixPath"), id)
            mark(id)
            emit(.call)
            mark(id)
            emit(.force)
            constant(program.internedString(tree.bytes(p)))
            mark(id)
            emit(.call)
        }
    }

    /// The range of an interpolated part from its `${` (the part itself when there is none).
    func interpolationRange(_ p: ExprID) -> SourceRange {
        let r = tree.ranges[Int(p.raw)], bytes = tree.source.bytes
        var i = Int(r.start) - 1
        while i > 0 && i < bytes.count && [9, 10, 13, 32].contains(bytes[i]) { i -= 1 }
        if i >= 1 && i < bytes.count && bytes[i] == UInt8(ascii: "{") && bytes[i - 1] == UInt8(ascii: "$") {
            return SourceRange(start: Int32(i - 1), end: r.end)
        }
        return r
    }

    /// Records that errors in the code emitted since `start` get the trace line `message`.
    mutating func traceRange(from start: Int32, _ message: String, at span: SourceRange?) {
        fs.proto.traceRanges.append((start, here, message, span))
    }

    /// The source range of the operator token between the operands `a` and `b`.
    func operatorRange(_ token: String, between a: ExprID, _ b: ExprID) -> SourceRange? {
        let bytes = tree.source.bytes, t = Array(token.utf8)
        var i = Int(tree.ranges[Int(a.raw)].end)
        let end = min(Int(tree.ranges[Int(b.raw)].start), bytes.count)
        while i + t.count <= end {
            if Array(bytes[i..<(i + t.count)]) == t { return SourceRange(start: Int32(i), end: Int32(i + t.count)) }
            i += 1
        }
        return nil
    }

    mutating func compileOperands(_ a: ExprID, _ b: ExprID) throws {
        try compile(a)
        mark(a)
        emit(.force)
        try compile(b)
        mark(b)
        emit(.force)
    }

    mutating func compileBinary(_ op: BinaryOp, _ a: ExprID, _ b: ExprID, _ id: ExprID) throws {
        switch op {
        case .and, .or:
            let name = op == .and ? "AND (&&)" : "OR (||)"
            let at = operatorRange(op == .and ? "&&" : "||", between: a, b)
            let left = here
            try compile(a)
            mark(a)
            emit(.force)
            mark(at ?? tree.ranges[Int(a.raw)])
            let j = emitJump(op == .and ? .jumpIfFalseKeep : .jumpIfTrueKeep)
            traceRange(from: left, "in the left operand of the \(name) operator", at: at)
            emit(.pop)
            let right = here
            try compile(b)
            mark(b)
            emit(.force)
            mark(at ?? tree.ranges[Int(b.raw)])
            emit(.assertBool)
            traceRange(from: right, "in the right operand of the \(name) operator", at: at)
            patch(j)
        case .implication:
            let at = operatorRange("->", between: a, b)
            let left = here
            try compile(a)
            mark(a)
            emit(.force)
            mark(at ?? tree.ranges[Int(a.raw)])
            let j = emitJump(.implication)
            traceRange(from: left, "in the left operand of the IMPL (->) operator", at: at)
            fs.depth -= 1
            let right = here
            try compile(b)
            mark(b)
            emit(.force)
            mark(at ?? tree.ranges[Int(b.raw)])
            emit(.assertBool)
            traceRange(from: right, "in the right operand of the IMPL (->) operator", at: at)
            patch(j)
        case .equal, .notEqual:
            try compileOperands(a, b)
            mark(id)
            emit(op == .equal ? .equal : .notEqual)
        case .update:
            try compileOperands(a, b)
            mark(id)
            emit(.update)
        case .concatLists:
            try compileOperands(a, b)
            mark(id)
            emit(.concatLists)
        }
    }

    /// The operand of an attribute name: its symbol, or -1 after emitting code that pushes the
    /// name (a dynamic name is evaluated and interned at run time).
    mutating func attrOperand(_ attr: AttrName) throws -> Int32 {
        switch attr {
        case .symbol(let s):
            return symbolOperand(s)
        case .dynamic(let e):
            try compile(e)
            mark(e)
            emit(.force)
            return -1
        }
    }

    mutating func compileSelect(_ id: ExprID, base: ExprID, path: [AttrName], defaultValue: ExprID?) throws {
        try compile(base)
        mark(base)
        emit(.force)
        guard let def = defaultValue else {
            for (k, attr) in path.enumerated() {
                let sym = try attrOperand(attr)
                mark(id)
                emit(.select, sym)
                if sym < 0 { fs.depth -= 1 }
                if k < path.count - 1 {
                    mark(id)
                    emit(.force)
                }
            }
            return
        }
        var missing: [Int] = []
        for (k, attr) in path.enumerated() {
            let sym = try attrOperand(attr)
            mark(id)
            missing.append(emitJump(.selectOrJump, sym))
            if sym < 0 { fs.depth -= 1 }
            if k < path.count - 1 {
                mark(id)
                emit(.force)
            }
        }
        let done = emitJump(.jump)
        for m in missing { patch(m) }
        fs.depth -= 1
        try compile(def)
        patch(done)
    }

    /// Declares a local for the value that is already on top of the stack.
    mutating func declareTop(_ key: VariableKey) -> Int {
        let slot = fs.depth - 1
        fs.addLocal(key, slot: slot)
        return slot
    }

    mutating func hiddenKey() -> VariableKey {
        nextHiddenID += 1
        return .hidden(nextHiddenID)
    }
}
