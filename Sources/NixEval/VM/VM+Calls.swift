// Forcing thunks and calling functions: both push frames instead of recursing.

import NixSyntax

extension VM {
    /// Starts evaluating the pending thunk `v`, which is on top of the stack. When the pushed
    /// frames finish, the thunk is updated and replaces itself on the stack with its value.
    func startForcing(_ v: Value) throws {
        let t = v.asThunk
        switch t.state {
        case .evaluated:
            top = t.result
        case .blackhole:
            throw EvalError(.other, "infinite recursion encountered", span: thunkSpan(t))
        case .code:
            ObjectHeader.setAux(t.p, UInt16(ThunkState.code.rawValue))
            t.setState(.blackhole)
            frames.append(.updateThunk(v))
            frames.append(.code(CodeFrame(proto: Int(t.word1), pc: 0, base: sp, captures: t.captures, isCall: false)))
        case .apply:
            ObjectHeader.setAux(t.p, UInt16(ThunkState.apply.rawValue))
            t.setState(.blackhole)
            frames.append(.updateThunk(v))
            let f = Value(bits: t.word1), x = Value(bits: t.word2)
            if f.isThunk {
                // Force the function first, then call it.
                push(x)
                frames.append(.applyToPendingArgument)
                push(f)
                try startForcingIfNeeded(f)
            } else {
                push(f)
                push(x)
                try callTop(site: t.applySite)
            }
        }
    }

    func startForcingIfNeeded(_ v: Value) throws {
        if v.isThunk {
            let t = v.asThunk
            if t.state == .evaluated { top = t.result } else { try startForcing(v) }
        }
    }

    func thunkSpan(_ t: Thunk) -> Span? {
        let aux = ThunkState(rawValue: UInt8(ObjectHeader.aux(t.p)))
        if aux == .code {
            let p = program.protos[Int(t.word1)]
            return Span(file: p.source, start: Int(p.span.start), end: Int(p.span.end))
        }
        return nil
    }

    /// Calls the function below the top of the stack with the argument on top: `[f, x]` becomes
    /// the (forced) result, possibly after frames pushed here have run.
    func callTop(site: Site? = nil) throws {
        let x = pop()
        let f = pop()
        if f.isPointer {
            switch ObjectHeader.kind(f.pointer) {
            case .closure:
                let c = f.asClosure
                callDepth += 1
                countCall()
                if callDepth > program.callDepthLimit {
                    callDepth -= 1
                    #if SWIX_FUZZ
                    if program.callBudget <= 0 { throw EvalError(.other, "evaluation budget exhausted (fuzzing build)", span: self.span(site)) }
                    #endif
                    if heap.exhausted { throw EvalError(.other, Heap.outOfMemory(limit: heap.maxBytes).message, span: self.span(site)) }
                    throw EvalError(.other, "stack overflow; max-call-depth exceeded", span: self.span(site))
                }
                push(x)
                frames.append(.code(CodeFrame(proto: c.protoIndex, pc: 0, base: sp - 1, captures: c.captures, isCall: true)))
                return
            case .builtinApp:
                let app = f.asBuiltinApp
                let index = app.builtinIndex
                let n = app.argCount
                for i in 0..<n { argumentBuffer[i] = app.args[i] }
                argumentBuffer[n] = x
                if n + 1 < Int(builtinShapes[index].arity) {
                    push(heap.builtinApp(index: index, args: UnsafeBufferPointer(start: argumentBuffer, count: n + 1)))
                    return
                }
                try invokeBuiltin(index, count: n + 1, site: site)
                return
            case .attrs:
                if let functor = f.asAttrs[program.names.functor] {
                    // `f x` with `f.__functor`: `(f.__functor f) x`.
                    push(x)
                    frames.append(.applyToPendingArgument)
                    pushNative(CallFrame(functor, f), awaiting: false)
                    return
                }
            default:
                break
            }
        } else if f.isBuiltin {
            let index = f.builtinIndex
            if builtinShapes[index].arity > 1 {
                argumentBuffer[0] = x
                push(heap.builtinApp(index: index, args: UnsafeBufferPointer(start: argumentBuffer, count: 1)))
                return
            }
            argumentBuffer[0] = x
            try invokeBuiltin(index, count: 1, site: site)
            return
        }
        throw EvalError(.other, "attempt to call something which is not a function but \(describe(f)): \(try printForError(f))", span: self.span(site))
    }

    /// Runs a builtin whose arguments are all present.
    /// The source span of a bytecode site.
    func span(_ site: Site?) -> Span? {
        guard let site else { return nil }
        return program.protos[site.proto].spanAt(site.pc)
    }

    /// Runs a builtin whose `count` arguments are in `argumentBuffer`.
    func invokeBuiltin(_ index: Int, count: Int, site: Site?) throws {
        let (_, strict, coerced) = builtinShapes[index]
        let args = argumentBuffer
        for i in 0..<count where strict & (1 << i) != 0 {
            var a = args[i]
            if a.isThunk {
                let t = a.asThunk
                if t.state == .evaluated {
                    a = t.result
                    args[i] = a
                } else {
                    // Some argument needs evaluation: keep the arguments on the stack and force
                    // them one by one (`forceArguments` frames), then call the builtin.
                    for k in 0..<count { push(args[k]) }
                    try forceArgument(builtin: index, count: count, from: i, site: site)
                    return
                }
            }
            if coerced & (1 << i) != 0 && !a.isObject(.string) {
                for k in 0..<count { push(args[k]) }
                try forceArgument(builtin: index, count: count, from: i, site: site)
                return
            }
        }
        try completeBuiltin(index, BuiltinArguments(base: args, count: count), site: site)
    }

    /// `foldl' f initial list`: calls `f acc element` for each element, forcing each result
    /// (the call results are forced), with a plain-data `fold` frame between the calls.
    func startFold(function f: Value, initial: Value, list: NixList, site: Site?) throws {
        if list.count == 0 {
            push(initial)
            try startForcingIfNeeded(initial)
            return
        }
        continueFold(list: list, function: f, accumulator: initial, next: 0, site: FrameSite(site))
        try callForcingFunction(f, initial)
    }

    /// Sets up the application of `f acc` to element `next`; the caller makes the call.
    @inline(__always)
    func continueFold(list: NixList, function f: Value, accumulator: Value, next: Int, site: FrameSite) {
        frames.append(.fold(list: list.value, function: f, next: Int32(next + 1), site: site))
        push(list[next])
        frames.append(.applyToPendingArgument)
    }

    /// Forces the first strict argument at or after `from` that needs it (the `count` arguments
    /// are on top of the stack), or calls the builtin when none is left.
    func forceArgument(builtin index: Int, count: Int, from: Int, site: Site?) throws {
        let (_, strict, coerced) = builtinShapes[index]
        let first = sp - count
        var i = from
        while i < count {
            var a = stack[first + i]
            if strict & (1 << i) != 0 && a.isThunk {
                let t = a.asThunk
                if t.state == .evaluated {
                    a = t.result
                    stack[first + i] = a
                } else {
                    frames.append(.forceArguments(builtin: Int32(index), count: Int8(count), next: Int8(i),
                                                  siteProto: Int32(site?.proto ?? -1), sitePC: Int32(site?.pc ?? 0)))
                    push(a)
                    try startForcing(a)
                    return
                }
            }
            if coerced & (1 << i) != 0 && !a.isObject(.string) {
                let mode = program.builtins.entries[index].coercionModes[i]
                let coerced: Value?
                do {
                    coerced = try coerceSimple(a, mode: mode, span: self.span(site))
                } catch var error as EvalError {
                    // The error path only: the argument and builtin trace lines.
                    error.addTrace(BuiltinArgumentContexts.line(builtin: builtinTraceName(index), argument: i), nil)
                    error.rejectedValue = nil
                    addBuiltinTrace(&error, builtin: index, site: site, arguments: nil)
                    throw error
                }
                if let s = coerced {
                    stack[first + i] = s
                } else {
                    // `__toString` or an unevaluated `outPath`: the coerced string comes back
                    // as argument i.
                    frames.append(.forceArguments(builtin: Int32(index), count: Int8(count), next: Int8(i),
                                                  siteProto: Int32(site?.proto ?? -1), sitePC: Int32(site?.pc ?? 0)))
                    pushNative(CoerceToStringFrame(a, span: self.span(site), mode: mode), awaiting: false)
                    return
                }
            }
            i += 1
        }
        for k in 0..<count { argumentBuffer[k] = stack[first + k] }
        sp = first
        try completeBuiltin(index, BuiltinArguments(base: argumentBuffer, count: count), site: site)
    }

    /// Calls the implementation of a builtin whose strict arguments are forced. Builtins never
    /// re-enter the VM, so the arguments may live in the shared `argumentBuffer`.
    func completeBuiltin(_ index: Int, _ args: BuiltinArguments, site: Site?) throws {
        do {
            try runBuiltinBody(index, args, site: site)
        } catch var error as EvalError {
            // The error path only: C++ Nix's "while calling the 'NAME' builtin" frame.
            addBuiltinTrace(&error, builtin: index, site: site, arguments: args)
            throw error
        }
    }

    @inline(__always)
    private func runBuiltinBody(_ index: Int, _ args: BuiltinArguments, site: Site?) throws {
        let builtin = program.builtins.entries[index]
        var context = BuiltinContext(vm: self, site: site, name: builtin.name)
        switch builtin.body {
        case .pure(let f):
            let v = try f(&context, args)
            push(v)
            try startForcingIfNeeded(v)
        case .native(let make):
            pushNative(try make(&context, args), awaiting: false, origin: NativeOrigin(builtin: index, site: site))
        case .direct(let f):
            try f(&context, args)
        case .valueOrFrame(let f):
            switch try f(&context, args) {
            case .value(let v):
                push(v)
                try startForcingIfNeeded(v)
            case .frame(let frame):
                pushNative(frame, awaiting: false, origin: NativeOrigin(builtin: index, site: site))
            }
        }
    }
}

/// Calls `f x` and finishes with the result.
final class CallFrame: NativeFrame {
    let f: Value, x: Value
    init(_ f: Value, _ x: Value) {
        self.f = f
        self.x = x
    }
    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input { return .done(input) }
        return .call(f, x)
    }
}

extension VM {
    #if SWIX_FUZZ
    /// Fuzzing builds only: counts calls against `Program.callBudget`, so that a program that
    /// computes for too long (`f n = f (n - 1) + f (n - 1)`) ends in an error, not a hang.
    @inline(__always) func countCall() {
        program.callBudget -= 1
        if program.callBudget == 0 { program.callDepthLimit = 0 }
    }
    #else
    /// Counts calls in fuzzing builds (`-D SWIX_FUZZ`); nothing otherwise.
    @inline(__always) func countCall() {}
    #endif
}
