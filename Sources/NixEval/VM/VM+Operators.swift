// Operators on forced values: arithmetic, comparison, `++`, `//`, dynamic attributes.

import NixSyntax

extension VM {
    /// `an integer`, `a string`, … for error messages.
    func describe(_ v: Value) -> String {
        if v.isThunk { return "a thunk" }
        if v.isBuiltin { return "the built-in function '\(program.builtins.entries[v.builtinIndex].name)'" }
        if v.isObject(.builtinApp) {
            return "the partially applied built-in function '\(program.builtins.entries[v.asBuiltinApp.builtinIndex].name)'"
        }
        return v.type.article
    }

    func float(of v: Value) -> Double? {
        if v.isSmallInt { return Double(v.smallIntValue) }
        if v.isObject(.float) { return v.floatValue }
        if v.isObject(.int) { return Double(v.boxedIntValue) }
        return nil
    }

    /// `a + b` on numbers, strings and paths; nil when an operand needs a frame to become a
    /// string (`__toString`, an unevaluated `outPath`: see `ConcatCoercingFrame`).
    ///
    /// As C++ Nix's `ExprConcatStrings`: the first operand decides. A number adds numbers; a
    /// path appends the other operand's text (paths are not copied); anything else makes a
    /// string, where paths are copied to the store only when the first operand is a string.
    func add(_ a: Value, _ b: Value, span: @autoclosure () -> Span?) throws -> Value? {
        if let x = a.intValue, let y = b.intValue {
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw EvalError(.other, "integer overflow in adding \(x) + \(y)", span: span()) }
            return heap.int(r)
        }
        if a.type == .int || a.type == .float {
            guard let x = float(of: a), let y = float(of: b) else {
                throw EvalError(.other, "cannot add \(describe(b)) to \(describe(a))", span: span())
            }
            return heap.float(x + y)
        }
        let (firstMode, secondMode) = VM.concatenationModes(a)
        guard let s1 = try coerceSimple(a, mode: firstMode, span: span()),
              let s2 = try coerceSimple(b, mode: secondMode, span: span())
        else { return nil }
        return try concatenate(s1, s2, asPath: a.isObject(.path), span: span())
    }

    /// How the operands of `a + …` are coerced, by the first operand.
    static func concatenationModes(_ a: Value) -> (CoercionMode, CoercionMode) {
        if a.isObject(.path) { return (.plain, .plain) }
        return a.isObject(.string) ? (.interpolation, .interpolation) : (.plain, .plain)
    }

    /// Joins two coerced operands of `+` (a path when the first operand was a path).
    func concatenate(_ s1: Value, _ s2: Value, asPath: Bool, span: @autoclosure () -> Span?) throws -> Value {
        if asPath {
            if s2.asString.context != nil {
                throw EvalError(.other, "a string that refers to a store path cannot be appended to a path", span: span())
            }
            return heap.path(PathUtilities.canonical(Array(s1.asString.bytes) + Array(s2.asString.bytes)))
        }
        push(s1)
        push(s2)
        defer { sp -= 2 }
        return try concatStrings(count: 2, isPath: false, span: span())
    }

    /// `a - b`, `a * b`, `a / b` as operators: C++ Nix calls the builtins `sub`, `mul` and
    /// `div` for them, and its traces say so.
    func operatorArithmetic(_ op: Op, _ a: Value, _ b: Value, span: @autoclosure () -> Span?) throws -> Value {
        do {
            return try arithmetic(op, a, b, span: span())
        } catch var error as EvalError {
            let name = op == .sub ? "sub" : op == .mul ? "mul" : "div"
            if let rejected = error.rejectedValue {
                error.rejectedValue = nil
                let index = op == .div ? (b.bits == rejected ? 1 : 0) : (a.bits == rejected ? 0 : 1)
                error.addTrace(BuiltinArgumentContexts.line(builtin: name, argument: index), nil)
            }
            error.span = nil
            error.positionFinal = true
            error.addTrace("while calling the '\(name)' builtin", span())
            throw error
        }
    }

    func arithmetic(_ op: Op, _ a: Value, _ b: Value, span: @autoclosure () -> Span?) throws -> Value {
        if let x = a.intValue, let y = b.intValue {
            switch op {
            case .sub:
                let (r, o) = x.subtractingReportingOverflow(y)
                if o { throw EvalError(.other, "integer overflow in subtracting \(x) - \(y)", span: span()) }
                return heap.int(r)
            case .mul:
                let (r, o) = x.multipliedReportingOverflow(by: y)
                if o { throw EvalError(.other, "integer overflow in multiplying \(x) * \(y)", span: span()) }
                return heap.int(r)
            default:
                if y == 0 { throw EvalError(.other, "division by zero", span: span()) }
                let (r, o) = x.dividedReportingOverflow(by: y)
                if o { throw EvalError(.other, "integer overflow in dividing \(x) / \(y)", span: span()) }
                return heap.int(r)
            }
        }
        // As C++ Nix: with a float operand both are forced as floats, else as integers.
        let wanted = a.isObject(.float) || b.isObject(.float) ? "a float" : "an integer"
        func rejected(_ v: Value, wanted: String = wanted) throws -> EvalError {
            var e = EvalError(.other, "expected \(wanted) but found \(describe(v)): \(try printForError(v))", span: span())
            e.rejectedValue = v.bits
            return e
        }
        // C++ Nix's division checks the divisor first, and zero before the dividend.
        if op == .div {
            guard let y = float(of: b) else { throw try rejected(b, wanted: "a float") }
            if y == 0 { throw EvalError(.other, "division by zero", span: span()) }
        }
        guard let x = float(of: a) else { throw try rejected(a) }
        guard let y = float(of: b) else { throw try rejected(b) }
        switch op {
        case .sub: return heap.float(x - y)
        case .mul: return heap.float(x * y)
        default:
            if y == 0 { throw EvalError(.other, "division by zero", span: span()) }
            return heap.float(x / y)
        }
    }

    /// `a < b` as an operator: C++ Nix calls the builtin `lessThan`, and its traces say so.
    func operatorLessThan(_ a: Value, _ b: Value, span: @autoclosure () -> Span?) throws -> Bool {
        do {
            return try lessThan(a, b, span: span())
        } catch var error as EvalError {
            error.span = nil
            error.positionFinal = true
            error.addTrace("while calling the 'lessThan' builtin", span())
            throw error
        }
    }

    /// `a < b` for numbers, strings and paths. Two lists are compared by a `CompareFrame` (which
    /// forces their elements); they never reach here.
    func lessThan(_ a: Value, _ b: Value, span: @autoclosure () -> Span?) throws -> Bool {
        if let x = a.intValue, let y = b.intValue { return x < y }
        if let x = float(of: a), let y = float(of: b) { return x < y }
        if a.isObject(.string) && b.isObject(.string) {
            return a.asString.bytes.lexicographicallyPrecedes(b.asString.bytes)
        }
        if a.isObject(.path) && b.isObject(.path) {
            return a.asPath.bytes.lexicographicallyPrecedes(b.asPath.bytes)
        }
        if a.type == b.type {
            throw EvalError(.other, "cannot compare \(describe(a)) with \(describe(b)); values of that type are incomparable", span: span())
        }
        throw EvalError(.other, "cannot compare \(describe(a)) with \(describe(b))", span: span())
    }

    /// Equality when it can be decided without forcing anything; nil when containers must be
    /// compared element by element (then an `EqualityFrame` does it).
    func shallowEqual(_ a: Value, _ b: Value) throws -> Bool? {
        if a.isSmallInt && b.isSmallInt { return a == b }
        let ta = a.type, tb = b.type
        if (ta == .int || ta == .float) && (tb == .int || tb == .float) {
            if ta == .int && tb == .int { return a.intValue == b.intValue }
            return float(of: a) == float(of: b)
        }
        if ta != tb { return false }
        switch ta {
        case .null: return true
        case .bool: return a == b
        case .string: return a == b || a.asString.bytes.elementsEqual(b.asString.bytes)
        case .path: return a.asPath.bytes.elementsEqual(b.asPath.bytes)
        case .lambda: return false
        case .list:
            if a.asList.count != b.asList.count { return false }
            return a.asList.count == 0 ? true : nil
        case .set:
            if a.asAttrs.count == 0 && b.asAttrs.count == 0 { return true }
            return nil
        default: return false
        }
    }

    func concatLists(_ a: Value, _ b: Value, span: @autoclosure () -> Span?) throws -> Value {
        // As C++ Nix: a positionless error under "while evaluating one of the elements to concatenate".
        func notAList(_ v: Value) throws -> EvalError {
            var e = EvalError(.other, "expected a list but found \(describe(v)): \(try printForError(v))", span: nil)
            e.positionFinal = true
            e.addTrace("while evaluating one of the elements to concatenate", span())
            return e
        }
        guard a.isObject(.list) else { throw try notAList(a) }
        guard b.isObject(.list) else { throw try notAList(b) }
        let x = a.asList, y = b.asList
        if x.count == 0 { return b }
        if y.count == 0 { return a }
        let r = try heap.checkedList(count: x.count + y.count)
        for i in 0..<x.count { r[i] = x[i] }
        for i in 0..<y.count { r[x.count + i] = y[i] }
        return r.value
    }

    /// `a // b`: a merge of two sorted entry arrays.
    func update(_ a: Value, _ b: Value, span: @autoclosure () -> Span?) throws -> Value {
        guard a.isObject(.attrs) else {
            throw EvalError(.other, "expected a set but found \(describe(a)): \(try printForError(a))", span: span())
        }
        guard b.isObject(.attrs) else {
            throw EvalError(.other, "expected a set but found \(describe(b)): \(try printForError(b))", span: span())
        }
        let x = a.asAttrs, y = b.asAttrs
        if y.count == 0 { return a }
        if x.count == 0 { return b }
        var merged: [(UInt64, UInt64)] = []
        merged.reserveCapacity(x.count + y.count)
        var i = 0, j = 0
        let ex = x.entries, ey = y.entries
        while i < x.count || j < y.count {
            // Keys compare by symbol id (their low 32 bits); positions travel with them.
            if j == y.count || (i < x.count && UInt32(truncatingIfNeeded: ex[2 * i]) < UInt32(truncatingIfNeeded: ey[2 * j])) {
                merged.append((ex[2 * i], ex[2 * i + 1])); i += 1
            } else if i == x.count || UInt32(truncatingIfNeeded: ey[2 * j]) < UInt32(truncatingIfNeeded: ex[2 * i]) {
                merged.append((ey[2 * j], ey[2 * j + 1])); j += 1
            } else {
                merged.append((ey[2 * j], ey[2 * j + 1])); i += 1; j += 1
            }
        }
        return heap.attrs(sortedCount: merged.count) { out in
            for (k, e) in merged.enumerated() {
                out[2 * k] = e.0
                out[2 * k + 1] = e.1
            }
        }
    }

    /// Adds `${name} = value;` to an attribute set literal under construction.
    func insertDynamic(_ attrs: Value, name: Value, value: Value, position: UInt32, span: @autoclosure () -> Span?) throws -> Value {
        if name.isNull { return attrs }
        guard name.isObject(.string) else {
            throw EvalError(.other, "expected a string but found \(describe(name)): \(try printForError(name))", span: span())
        }
        try requireNoContext(name.asString, span: span())
        let sym = name.asString.symbol(in: program.symbols)
        let set = attrs.asAttrs
        if set.index(of: sym) != nil {
            throw EvalError(.other, "dynamic attribute '\(program.symbols.name(sym))' already defined at \(span()?.description ?? "«unknown»")", span: span())
        }
        var entries: [(UInt64, Value)] = []
        for i in 0..<set.count { entries.append((set.key(at: i), set.value(at: i))) }
        entries.append((UInt64(sym.id) | UInt64(position) << 32, value))
        return heap.attrs(keyed: entries)
    }
}
