// The inner bytecode loop: decodes and runs the instructions of one code frame until it
// returns or suspends (to force a thunk or enter a call).

import NixSyntax

extension VM {
    /// Runs `frame`, continuing inline into called closures, forced code thunks and the frames
    /// they return to, as long as those are code frames above `floor`.
    func execute(_ frame: CodeFrame, floor: Int) throws {
        var (protoIndex, code, constants, pc, base, captures, isCall) = registers(of: frame)
        var proto: Proto { program.protos[protoIndex] }
        do {
        while true {
            let op = unsafeBitCast(UInt8(truncatingIfNeeded: code[pc]), to: Op.self)
            pc += 1
            switch op {
            case .constant:
                push(constants[Int(code[pc])])
                pc += 1
            case .loadLocal:
                push(stack[base + Int(code[pc])])
                pc += 1
            case .loadUpvalue:
                push(captures.unsafelyUnwrapped[Int(code[pc])])
                pc += 1
            case .pop:
                sp -= 1
            case .popUnder:
                let n = Int(code[pc])
                pc += 1
                let v = stack[sp - 1]
                sp -= n
                stack[sp - 1] = v
            case .force:
                let v = stack[sp - 1]
                if v.isPointer && ObjectHeader.kind(v.pointer) == .thunk {
                    let t = v.asThunk
                    if t.state == .evaluated {
                        stack[sp - 1] = t.result
                    } else if t.state == .code {
                        // Enter the thunk's code inline.
                        frames.append(.code(CodeFrame(proto: protoIndex, pc: pc, base: base, captures: captures, isCall: isCall)))
                        ObjectHeader.setAux(t.p, UInt16(ThunkState.code.rawValue))
                        t.setState(.blackhole)
                        frames.append(.updateThunk(v))
                        (protoIndex, code, constants, pc, base, captures, isCall) = registers(of: CodeFrame(
                            proto: Int(t.word1), pc: 0, base: sp, captures: t.captures, isCall: false))
                    } else if t.state == .apply, Value(bits: t.word1).isObject(.closure), callDepth < program.callDepthLimit {
                        // Enter the applied closure inline.
                        frames.append(.code(CodeFrame(proto: protoIndex, pc: pc, base: base, captures: captures, isCall: isCall)))
                        ObjectHeader.setAux(t.p, UInt16(ThunkState.apply.rawValue))
                        t.setState(.blackhole)
                        frames.append(.updateThunk(v))
                        let c = Value(bits: t.word1).asClosure
                        push(Value(bits: t.word2))
                        callDepth += 1
                        countCall()
                        (protoIndex, code, constants, pc, base, captures, isCall) = registers(of: CodeFrame(
                            proto: c.protoIndex, pc: 0, base: sp - 1, captures: c.captures, isCall: true))
                    } else {
                        frames.append(.code(CodeFrame(proto: protoIndex, pc: pc, base: base, captures: captures, isCall: isCall)))
                        try startForcing(v)
                        return
                    }
                }
            case .makeThunk:
                let index = Int(code[pc])
                pc += 1
                let p = program.runtime[index]
                let t = heap.codeThunk(proto: index, captureCount: p.captureCount)
                fillCaptures(t.captures, p, base: base, captures: captures)
                push(t.value)
            case .makeClosure:
                let index = Int(code[pc])
                pc += 1
                let p = program.runtime[index]
                let c = heap.closure(proto: index, captureCount: p.captureCount)
                fillCaptures(c.captures, p, base: base, captures: captures)
                push(c.value)
            case .finalise, .finaliseDefault:
                let v = stack[base + Int(code[pc])]
                pc += 1
                if op == .finaliseDefault {
                    // The caller gave this formal: its value is not ours to refill.
                    let given = stack[base].isObject(.attrs) && stack[base].asAttrs[Symbol(id: UInt32(bitPattern: code[pc]))] != nil
                    pc += 1
                    if given { continue }
                }
                if v.isObject(.thunk) {
                    let t = v.asThunk
                    if t.state == .code { fillCaptures(t.captures, program.runtime[Int(t.word1)], base: base, captures: captures) }
                } else if v.isObject(.closure) {
                    let c = v.asClosure
                    fillCaptures(c.captures, program.runtime[c.protoIndex], base: base, captures: captures)
                }
            case .call:
                let f = stack[sp - 2]
                if f.isPointer && ObjectHeader.kind(f.pointer) == .closure && callDepth < program.callDepthLimit {
                    // Enter the closure inline: the argument becomes slot 0 where `f` was.
                    frames.append(.code(CodeFrame(proto: protoIndex, pc: pc, base: base, captures: captures, isCall: isCall)))
                    callDepth += 1
                    countCall()
                    let c = f.asClosure
                    stack[sp - 2] = stack[sp - 1]
                    sp -= 1
                    (protoIndex, code, constants, pc, base, captures, isCall) = registers(of: CodeFrame(
                        proto: c.protoIndex, pc: 0, base: sp - 1, captures: c.captures, isCall: true))
                    continue
                }
                frames.append(.code(CodeFrame(proto: protoIndex, pc: pc, base: base, captures: captures, isCall: isCall)))
                try callTop(site: Site(proto: protoIndex, pc: pc - 1))
                return
            case .ret:
                let result = stack[sp - 1]
                sp = base
                if isCall { callDepth -= 1 }
                push(result)
                // Continue inline with the frames this one returns to.
                var resumed = false
                var pendingCall: (Value, Value)? = nil
                returning: while frames.count > floor {
                    switch frames[frames.count - 1] {
                    case .updateThunk(let thunkValue):
                        frames.removeLast()
                        let r = pop()
                        let t = thunkValue.asThunk
                        t.word1 = r.bits
                        t.setState(.evaluated)
                        stack[sp - 1] = r
                    case .code(let next):
                        frames.removeLast()
                        (protoIndex, code, constants, pc, base, captures, isCall) = registers(of: next)
                        resumed = true
                        break returning
                    case .fold(let listValue, let f, let next, let site):
                        // The next step of a `foldl'`: `f acc`, then the pending element.
                        frames.removeLast()
                        let accumulator = pop()
                        let list = listValue.asList
                        if Int(next) == list.count {
                            push(accumulator)
                            continue returning
                        }
                        continueFold(list: list, function: f, accumulator: accumulator, next: Int(next), site: site)
                        pendingCall = (f, accumulator)
                    case .applyToPendingArgument:
                        frames.removeLast()
                        let f = pop()
                        let x = pop()
                        pendingCall = (f, x)
                    default:
                        return
                    }
                    // A call that the frame below asks for: enter a closure inline, else let
                    // `callTop` handle it (builtins, `__functor`, errors, the depth limit).
                    if let (f, x) = pendingCall {
                        pendingCall = nil
                        guard f.isObject(.closure) && callDepth < program.callDepthLimit else {
                            push(f)
                            push(x)
                            // The frame has returned: an error here is not raised inside it.
                            protoIndex = -1
                            try callTop()
                            return
                        }
                        let c = f.asClosure
                        push(x)
                        callDepth += 1
                        countCall()
                        (protoIndex, code, constants, pc, base, captures, isCall) = registers(of: CodeFrame(
                            proto: c.protoIndex, pc: 0, base: sp - 1, captures: c.captures, isCall: true))
                        resumed = true
                        break returning
                    }
                }
                if !resumed { return }
            case .jump:
                pc = Int(code[pc])
            case .jumpIfFalse:
                let v = pop()
                guard v.isBool else { throw typeError(expected: "a Boolean", found: v, span: proto.spanAt(pc - 1)) }
                pc = v == .false ? Int(code[pc]) : pc + 1
            case .jumpIfFalseKeep, .jumpIfTrueKeep:
                let v = stack[sp - 1]
                guard v.isBool else { throw typeError(expected: "a Boolean", found: v, span: proto.spanAt(pc - 1)) }
                let jumpOn: Value = op == .jumpIfFalseKeep ? .false : .true
                pc = v == jumpOn ? Int(code[pc]) : pc + 1
            case .assertBool:
                let v = stack[sp - 1]
                guard v.isBool else { throw typeError(expected: "a Boolean", found: v, span: proto.spanAt(pc - 1)) }
            case .implication:
                let v = pop()
                guard v.isBool else { throw typeError(expected: "a Boolean", found: v, span: proto.spanAt(pc - 1)) }
                if v == .false {
                    push(.true)
                    pc = Int(code[pc])
                } else {
                    pc += 1
                }
            case .not:
                let v = stack[sp - 1]
                guard v.isBool else {
                    // As C++ Nix: no position of its own (the trace line gives the argument's).
                    var e = typeError(expected: "a Boolean", found: v, span: nil)
                    e.positionFinal = true
                    throw e
                }
                stack[sp - 1] = v == .true ? .false : .true
            case .negate:
                break
            case .add:
                let b = pop(), a = stack[sp - 1]
                if a.isSmallInt && b.isSmallInt {
                    let (r, o) = a.smallIntValue.addingReportingOverflow(b.smallIntValue)
                    if !o && Value.fitsSmall(r) { stack[sp - 1] = .smallInt(r); continue }
                }
                if let r = try add(a, b, span: proto.spanAt(pc - 1)) {
                    stack[sp - 1] = r
                } else {
                    // An operand needs `__toString` or an unevaluated `outPath`.
                    _ = pop()
                    frames.append(.code(CodeFrame(proto: protoIndex, pc: pc, base: base, captures: captures, isCall: isCall)))
                    pushNative(ConcatCoercingFrame(a, b, span: proto.spanAt(pc - 1)), awaiting: false)
                    return
                }
            case .sub, .mul, .div:
                let b = pop(), a = stack[sp - 1]
                if a.isSmallInt && b.isSmallInt {
                    let x = a.smallIntValue, y = b.smallIntValue
                    if op == .sub {
                        let r = x - y
                        if Value.fitsSmall(r) { stack[sp - 1] = .smallInt(r); continue }
                    } else if op == .mul {
                        let (r, o) = x.multipliedReportingOverflow(by: y)
                        if !o && Value.fitsSmall(r) { stack[sp - 1] = .smallInt(r); continue }
                    }
                }
                stack[sp - 1] = try operatorArithmetic(op, a, b, span: proto.spanAt(pc - 1))
            case .less, .lessEq, .greater, .greaterEq:
                let b = pop(), a = stack[sp - 1]
                if a.isSmallInt && b.isSmallInt {
                    let x = a.smallIntValue, y = b.smallIntValue
                    let r: Bool
                    switch op {
                    case .less: r = x < y
                    case .lessEq: r = x <= y
                    case .greater: r = x > y
                    default: r = x >= y
                    }
                    stack[sp - 1] = .bool(r)
                    continue
                }
                if a.isObject(.list) && b.isObject(.list) {
                    // Lists force their elements: compared by a frame, like `==` below.
                    sp -= 1
                    frames.append(.code(CodeFrame(proto: protoIndex, pc: pc, base: base, captures: captures, isCall: isCall)))
                    let span = proto.spanAt(pc - 1)
                    // C++ Nix calls `__lessThan`: its errors say so.
                    let origin = NativeOrigin(builtin: lessThanBuiltin, site: Site(proto: protoIndex, pc: pc - 1))
                    switch op {
                    case .less: pushNative(CompareFrame(a, b, negate: false, span: span), awaiting: false, origin: origin)
                    case .lessEq: pushNative(CompareFrame(b, a, negate: true, span: span), awaiting: false, origin: origin)
                    case .greater: pushNative(CompareFrame(b, a, negate: false, span: span), awaiting: false, origin: origin)
                    default: pushNative(CompareFrame(a, b, negate: true, span: span), awaiting: false, origin: origin)
                    }
                    return
                }
                let span = proto.spanAt(pc - 1)
                let r: Bool
                switch op {
                case .less: r = try operatorLessThan(a, b, span: span)
                case .lessEq: r = try !operatorLessThan(b, a, span: span)
                case .greater: r = try operatorLessThan(b, a, span: span)
                default: r = try !operatorLessThan(a, b, span: span)
                }
                stack[sp - 1] = .bool(r)
            case .equal, .notEqual:
                let b = pop(), a = pop()
                if let r = try shallowEqual(a, b) {
                    push(.bool(op == .equal ? r : !r))
                } else {
                    frames.append(.code(CodeFrame(proto: protoIndex, pc: pc, base: base, captures: captures, isCall: isCall)))
                    pushNative(EqualityFrame(a, b, negate: op == .notEqual), awaiting: false)
                    return
                }
            case .concatLists:
                let b = pop(), a = stack[sp - 1]
                stack[sp - 1] = try concatLists(a, b, span: proto.spanAt(pc - 1))
            case .update:
                let b = pop(), a = stack[sp - 1]
                stack[sp - 1] = try update(a, b, span: proto.spanAt(pc - 1))
            case .coerceForInterpolation:
                let v = stack[sp - 1]
                let mode: CoercionMode = code[pc] != 0 ? .interpolation : .plain
                pc += 1
                if v.isObject(.string) { continue }
                let coerced: Value?
                do {
                    coerced = try coerceSimple(v, mode: mode, span: proto.spanAt(pc - 2))
                } catch var e as EvalError {
                    // As C++ Nix: positionless, under "while evaluating a path segment" at the `${`.
                    e.span = nil
                    e.positionFinal = true
                    e.addTrace("while evaluating a path segment", proto.spanAt(pc - 2))
                    throw e
                }
                if let s = coerced {
                    stack[sp - 1] = s
                } else {
                    _ = pop()
                    frames.append(.code(CodeFrame(proto: protoIndex, pc: pc, base: base, captures: captures, isCall: isCall)))
                    pushNative(CoerceToStringFrame(v, span: proto.spanAt(pc - 2), mode: mode), awaiting: false)
                    return
                }
            case .concatStrings:
                let n = Int(code[pc]), isPath = code[pc + 1] != 0
                pc += 2
                let r = try concatStrings(count: n, isPath: isPath, span: proto.spanAt(pc - 3))
                sp -= n
                push(r)
            case .makeList:
                let n = Int(code[pc])
                pc += 1
                let l = heap.list(count: n)
                for i in 0..<n { l[i] = stack[sp - n + i] }
                sp -= n
                push(l.value)
            case .makeAttrs:
                let n = Int(code[pc])
                let positions = UInt64(UInt32(bitPattern: code[pc + 1]))
                let first = sp - n
                let operands = code + pc + 2
                let v = heap.attrs(sortedCount: n) { out in
                    for i in 0..<n {
                        out[2 * i] = UInt64(UInt32(bitPattern: operands[2 * i])) | (positions &+ UInt64(i)) << 32
                        out[2 * i + 1] = stack[first + Int(operands[2 * i + 1])].bits
                    }
                }
                pc += 2 + 2 * n
                sp = first
                push(v)
            case .insertDynamic:
                let value = pop(), name = pop(), attrs = stack[sp - 1]
                let position = UInt32(bitPattern: code[pc])
                pc += 1
                stack[sp - 1] = try insertDynamic(attrs, name: name, value: value, position: position, span: proto.spanAt(pc - 2))
            case .select:
                let sym = try symbolOperand(code[pc], span: proto.spanAt(pc - 1))
                pc += 1
                let v = stack[sp - 1]
                guard v.isObject(.attrs) else {
                    // As C++ Nix: no position of its own, under "while selecting an attribute".
                    var e = EvalError(.other, "expected a set but found \(describe(v)): \(try printForError(v))", span: nil)
                    e.positionFinal = true
                    e.addTrace("while selecting an attribute", proto.spanAt(pc - 1))
                    throw e
                }
                guard let r = v.asAttrs[sym] else {
                    throw EvalError(.other, "attribute '\(program.symbols.name(sym))' missing", span: proto.spanAt(pc - 1))
                }
                stack[sp - 1] = r
            case .selectOrJump:
                let sym = try symbolOperand(code[pc], span: proto.spanAt(pc - 1))
                let v = pop()
                if v.isObject(.attrs), let r = v.asAttrs[sym] {
                    push(r)
                    pc += 2
                } else {
                    pc = Int(code[pc + 1])
                }
            case .hasAttrStep:
                let sym = try symbolOperand(code[pc], span: proto.spanAt(pc - 1))
                let v = pop()
                if v.isObject(.attrs), let r = v.asAttrs[sym] {
                    push(r)
                    pc += 2
                } else {
                    push(.false)
                    pc = Int(code[pc + 1])
                }
            case .hasAttrFinal:
                let sym = try symbolOperand(code[pc], span: proto.spanAt(pc - 1))
                pc += 1
                let v = pop()
                push(.bool(v.isObject(.attrs) && v.asAttrs.index(of: sym) != nil))
            case .withLookup:
                let sym = Symbol(id: UInt32(bitPattern: code[pc]))
                let v = pop()
                guard v.isObject(.attrs) else {
                    throw EvalError(.other, "expected a set but found \(describe(v)): \(try printForError(v))", span: proto.spanAt(pc - 1))
                }
                if let r = v.asAttrs[sym] {
                    push(r)
                    pc = Int(code[pc + 1])
                } else {
                    pc += 2
                }
            case .undefinedVariable:
                throw EvalError(.other, "undefined variable '\(program.symbols.name(Symbol(id: UInt32(bitPattern: code[pc]))))'", span: proto.spanAt(pc - 1))
            case .assertCheck:
                let v = pop()
                let index = Int(code[pc])
                pc += 1
                guard v.isBool else { throw typeError(expected: "a Boolean", found: v, span: proto.spanAt(pc - 1)) }
                if v == .false {
                    let shown = String(decoding: ASTPrinter.print(proto.tree, proto.assertions[index]), as: UTF8.self)
                    throw EvalError(.catchable, "assertion '\(shown)' failed", span: proto.spanAt(pc - 1))
                }
            case .dup2:
                let a = stack[sp - 2], b = stack[sp - 1]
                push(a)
                push(b)
            case .assertEqual:
                let equal = pop(), b = pop(), a = pop()
                let index = Int(code[pc])
                pc += 1
                if equal != .true {
                    let condition = proto.assertions[index]
                    let shown = String(decoding: ASTPrinter.print(proto.tree, condition), as: UTF8.self)
                    frames.append(.code(CodeFrame(proto: protoIndex, pc: pc, base: base, captures: captures, isCall: isCall)))
                    pushNative(AssertEqualityFrame(a, b, assertion: shown, assertSpan: proto.spanAt(pc - 1)), awaiting: false)
                    return
                }
            case .checkFormals:
                let info = proto.formals[Int(code[pc])]
                pc += 1
                try checkFormals(info, proto: proto, base: base, pc: pc - 2)
            case .selectFormal:
                let sym = Symbol(id: UInt32(bitPattern: code[pc]))
                if let r = stack[base].asAttrs[sym] {
                    push(r)
                    pc += 2
                } else {
                    pc = Int(code[pc + 1])
                }
            case .applyOverrides:
                let first = Int(code[pc]), n = Int(code[pc + 1])
                let names = code + pc + 2
                pc += 2 + n
                let overrides = stack[sp - 1]
                guard overrides.isObject(.attrs) else {
                    throw EvalError(.other, "expected a set but found \(describe(overrides)): \(try printForError(overrides))", span: proto.spanAt(pc - 3 - n))
                }
                let o = overrides.asAttrs
                var extras: [(Symbol, Value)] = []
                for i in 0..<o.count {
                    let sym = o.symbol(at: i)
                    if let k = (0..<n).first(where: { UInt32(bitPattern: names[$0]) == sym.id }) {
                        stack[base + first + k] = o.value(at: i)
                    } else {
                        extras.append((sym, o.value(at: i)))
                    }
                }
                stack[sp - 1] = heap.attrs(extras)
            case .missingArgument:
                let sym = Symbol(id: UInt32(bitPattern: code[pc]))
                let name = "function '\(proto.name ?? "anonymous lambda")'"
                var e = EvalError(.other, "\(name) called without required argument '\(program.symbols.name(sym))'", span: proto.spanAt(pc - 1))
                e.beforeLambdaBody = true
                throw e
            }
        }
        } catch {
            // The error path only: the failing frame goes back on the frame stack for tracing.
            if protoIndex >= 0 {
                restoreFailedFrame(CodeFrame(proto: protoIndex, pc: pc, base: base, captures: captures, isCall: isCall))
            }
            throw error
        }
    }

    /// The dispatch loop's registers for running `frame`.
    @inline(__always)
    func registers(of frame: CodeFrame) -> (Int, UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Value>, Int, Int, UnsafeMutablePointer<Value>?, Bool) {
        let info = program.runtime[frame.proto]
        return (frame.proto, info.code, info.constants, frame.pc, frame.base, frame.captures, frame.isCall)
    }

    @inline(__always)
    func fillCaptures(_ dst: UnsafeMutablePointer<Value>, _ p: ProtoRuntime, base: Int, captures: UnsafeMutablePointer<Value>?) {
        let sources = p.captures
        for i in 0..<p.captureCount {
            let s = Int(sources[i])
            dst[i] = s >= 0 ? stack[base + s] : captures.unsafelyUnwrapped[-s - 1]
        }
    }

    /// A symbol operand, or -1: then the name is on the stack (a forced string) and is popped.
    func symbolOperand(_ operand: Int32, span: @autoclosure () -> Span?) throws -> Symbol {
        if operand >= 0 { return Symbol(id: UInt32(operand)) }
        let name = pop()
        guard name.isObject(.string) else {
            throw EvalError(.other, "expected a string but found \(describe(name)): \(try printForError(name))", span: span())
        }
        try requireNoContext(name.asString, span: span())
        return name.asString.symbol(in: program.symbols)
    }

    func checkFormals(_ info: FormalsInfo, proto: Proto, base: Int, pc: Int) throws {
        do {
            try checkFormalsOf(info, proto: proto, base: base, pc: pc)
        } catch var e as EvalError {
            e.beforeLambdaBody = true
            throw e
        }
    }

    private func checkFormalsOf(_ info: FormalsInfo, proto: Proto, base: Int, pc: Int) throws {
        let arg = pop()
        stack[base] = arg
        guard arg.isObject(.attrs) else {
            throw EvalError(.other, "expected a set but found \(describe(arg)): \(try printForError(arg))", span: proto.spanAt(pc))
        }
        let attrs = arg.asAttrs
        // As C++ Nix: missing required arguments are reported before unexpected ones.
        for (k, name) in info.names.enumerated() where !info.hasDefault[k] && attrs.index(of: name) == nil {
            let fn = "function '\(proto.name ?? "anonymous lambda")'"
            throw EvalError(.other, "\(fn) called without required argument '\(program.symbols.name(name))'", span: proto.spanAt(pc))
        }
        if info.ellipsis { return }
        // Both are sorted by symbol id: one merge walk finds the first unexpected argument.
        let sorted = info.sortedNames
        var j = 0
        for i in 0..<attrs.count {
            let name = attrs.symbol(at: i)
            while j < sorted.count && sorted[j] < name { j += 1 }
            if j == sorted.count || sorted[j] != name {
                let fn = "function '\(proto.name ?? "anonymous lambda")'"
                throw EvalError(.other, "\(fn) called with unexpected argument '\(program.symbols.name(name))'", span: proto.spanAt(pc))
            }
        }
    }
}
