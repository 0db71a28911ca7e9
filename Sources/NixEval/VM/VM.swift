// The virtual machine: a value stack, an explicit frame stack and the outer loop that runs frames.

import NixSyntax

/// Executes prototypes. Calls, thunk forcing and builtins that need evaluation push frames on
/// an explicit frame stack; the Swift stack never grows with the depth of the Nix program.
public final class VM {
    let program: Program
    let heap: Heap
    var stack: UnsafeMutablePointer<Value>
    var stackCapacity: Int
    var sp = 0
    var frames = FrameStack()
    /// The objects of `.native` frames, in the same order as those frames.
    var nativeFrames: [any NativeFrame] = []
    var callDepth = 0
    /// Where the arguments of a builtin call are gathered (builtins take at most a few).
    let argumentBuffer = UnsafeMutablePointer<Value>.allocate(capacity: 16)
    /// Arity, strictness and coerced arguments of every builtin, as plain data for the call path.
    let builtinShapes: UnsafeMutablePointer<(arity: Int32, strict: UInt32, coerced: UInt32)>
    /// The index of `lessThan`, which C++ Nix's comparison operators call (for error traces).
    lazy var lessThanBuiltin: Int = program.builtins.indexByName["lessThan"] ?? -1
    /// Messages of `builtins.trace` and warnings, in order.
    var diagnostics: (String) -> Void

    init(program: Program, diagnostics: @escaping (String) -> Void) {
        self.program = program
        self.heap = program.heap
        self.diagnostics = diagnostics
        stackCapacity = 1 << 16
        stack = .allocate(capacity: stackCapacity)
        let entries = program.builtins.entries
        builtinShapes = .allocate(capacity: max(entries.count, 1))
        for (i, b) in entries.enumerated() { builtinShapes[i] = (Int32(b.arity), b.strictArguments, b.coercedArguments) }
        installDerivationWrapper()
    }

    deinit {
        stack.deallocate()
        frames.deallocate()
        argumentBuffer.deallocate()
        builtinShapes.deallocate()
    }

    // MARK: - Stack

    @inline(__always) func push(_ v: Value) {
        if sp == stackCapacity { growStack() }
        stack[sp] = v
        sp += 1
    }

    @inline(__always) func pop() -> Value {
        sp -= 1
        return stack[sp]
    }

    @inline(__always) var top: Value {
        get { stack[sp - 1] }
        set { stack[sp - 1] = newValue }
    }

    func growStack() {
        let bigger = UnsafeMutablePointer<Value>.allocate(capacity: stackCapacity * 2)
        bigger.moveInitialize(from: stack, count: sp)
        stack.deallocate()
        stack = bigger
        stackCapacity *= 2
    }

    /// Makes room for `n` more values (so a code frame can write without checks).
    @inline(__always) func reserve(_ n: Int) {
        while sp + n >= stackCapacity { growStack() }
    }

    /// Calls `f x`, forcing `f` first if it is a thunk.
    func callForcingFunction(_ f: Value, _ x: Value) throws {
        if f.isThunk && f.asThunk.state != .evaluated {
            push(x)
            frames.append(.applyToPendingArgument)
            push(f)
            try startForcing(f)
            return
        }
        push(f.isThunk ? f.asThunk.result : f)
        push(x)
        try callTop()
    }

    func pushNative(_ n: any NativeFrame, awaiting: Bool, origin: NativeOrigin = .none) {
        nativeFrames.append(n)
        frames.append(.native(awaiting: awaiting, origin: origin))
    }

    // MARK: - Running

    /// Evaluates a compiled top-level prototype to weak head normal form.
    func evaluate(proto: Int) throws -> Value {
        let base = sp
        frames.append(.code(CodeFrame(proto: proto, pc: 0, base: base, captures: nil, isCall: false)))
        try run(until: frames.count - 1)
        return pop()
    }

    /// Forces `v` to weak head normal form.
    func force(_ v: Value) throws -> Value {
        guard v.isThunk else { return v }
        let t = v.asThunk
        if t.state == .evaluated { return t.result }
        let floor = frames.count
        push(v)
        try startForcing(v)
        try run(until: floor)
        return pop()
    }

    /// Runs a native frame to completion from outside the loop (top-level printing, deep forcing).
    func runNative(_ frame: any NativeFrame) throws -> Value {
        let floor = frames.count
        pushNative(frame, awaiting: false)
        try run(until: floor)
        return pop()
    }

    /// The outer loop: runs frames until the frame stack is back to `floor` entries.
    func run(until floor: Int) throws {
        while frames.count > floor {
            do {
                try step(floor: floor)
            } catch var error as EvalError {
                try unwind(&error, floor: floor)
            }
        }
    }

    /// Pops and runs one frame.
    @inline(__always) func step(floor: Int) throws {
        if case .native(let awaiting, _) = frames[frames.count - 1] {
            // A builtin frame stays on the stacks while it waits for what it asks of the VM.
            let n = nativeFrames[nativeFrames.count - 1]
            try resumeNative(n, input: awaiting ? pop() : nil)
            return
        }
        let frame = frames.removeLast()
        switch frame {
        case .code(let f):
            try execute(f, floor: floor)
        case .updateThunk(let thunkValue):
            let result = pop()
            let t = thunkValue.asThunk
            t.word1 = result.bits
            t.setState(.evaluated)
            top = result
        case .native:
            break
        case .tryEval:
            let v = pop()
            push(heap.attrs([(program.names.success, .true), (program.names.value, v)]))
        case .applyToPendingArgument:
            let f = pop()
            let x = pop()
            push(f)
            push(x)
            try callTop()
        case .fold(let listValue, let f, let next, let site):
            let accumulator = pop()
            let list = listValue.asList
            if Int(next) == list.count {
                push(accumulator)
            } else {
                continueFold(list: list, function: f, accumulator: accumulator, next: Int(next), site: site)
                try callForcingFunction(f, accumulator)
            }
        case .forceArguments(let builtin, let count, let next, let siteProto, let sitePC):
            let forced = pop()
            stack[sp - Int(count) + Int(next)] = forced
            let site = siteProto >= 0 ? Site(proto: Int(siteProto), pc: Int(sitePC)) : nil
            // The same argument again: it may still need coercion to a string.
            try forceArgument(builtin: Int(builtin), count: Int(count), from: Int(next), site: site)
        }
    }

    /// Resumes the builtin frame on top of the frame stack (it is still there). It is removed
    /// when it finishes; while it waits, it stays below the frames it asked for.
    func resumeNative(_ n: any NativeFrame, input: Value?) throws {
        var input = input
        let frameIndex = frames.count - 1
        let nativeIndex = nativeFrames.count - 1
        while true {
            switch try n.resume(self, input) {
            case .done(let v):
                frames.removeLast()
                nativeFrames.removeLast()
                push(v)
                if v.isThunk && v.asThunk.state != .evaluated {
                    try startForcing(v)
                } else if v.isThunk {
                    top = v.asThunk.result
                }
                return
            case .force(let v):
                if !v.isThunk {
                    input = v
                    continue
                }
                let t = v.asThunk
                if t.state == .evaluated {
                    input = t.result
                    continue
                }
                frames.setLastAwaiting()
                push(v)
                try startForcing(v)
                return
            case .call(let f, let x):
                frames.setLastAwaiting()
                try callForcingFunction(f, x)
                return
            case .call2(let f, let x, let y):
                frames.setLastAwaiting()
                push(y)
                frames.append(.applyToPendingArgument)
                try callForcingFunction(f, x)
                return
            case .run(let sub):
                frames.setLastAwaiting()
                pushNative(sub, awaiting: false)
                return
            case .handedOff:
                // The frame set up its result above itself: take it out from under that.
                frames.remove(at: frameIndex)
                nativeFrames.remove(at: nativeIndex)
                return
            }
        }
    }

    /// Unwinds frames after an error: resets thunks under evaluation and stops at a `tryEval`
    /// for catchable errors. Rethrows when the error leaves the frames above `floor`.
    func unwind(_ error: inout EvalError, floor: Int) throws {
        var pendingCallSite = false
        var innermost = true
        while frames.count > floor {
            let frame = frames.removeLast()
            defer { innermost = false }
            switch frame {
            case .code(let f):
                if error.span == nil && !error.positionFinal && f.pc > 0 {
                    // An error raised outside any source position (e.g. in a call made by a
                    // builtin) is reported at the expression that led to it.
                    error.span = program.protos[f.proto].spanAt(f.pc - 1)
                }
                traceCodeFrame(f, &error, pendingCallSite: &pendingCallSite)
                continue
            case .fold(_, _, _, let site):
                // A step of `foldl'` failed (unless the builtin's own call already said so).
                if let index = program.builtins.entries.firstIndex(where: { $0.name == "foldl'" }) {
                    let at = span(site.site)
                    if !(error.trace.last?.message == "while calling the 'foldl'' builtin" && error.trace.last?.span == at) {
                        addBuiltinTrace(&error, builtin: index, site: site.site, arguments: nil)
                    }
                }
            case .forceArguments(let builtin, _, _, let siteProto, let sitePC):
                // Forcing an argument of a builtin failed (inside the builtin, for C++ Nix).
                let site = siteProto >= 0 ? Site(proto: Int(siteProto), pc: Int(sitePC)) : nil
                addBuiltinTrace(&error, builtin: Int(builtin), site: site, arguments: nil)
            case .updateThunk(let v):
                let t = v.asThunk
                if t.state == .blackhole {
                    t.setState(ThunkState(rawValue: UInt8(ObjectHeader.aux(t.p))) ?? .code)
                }
                if pendingCallSite && t.state == .apply {
                    // A call made by forcing an application thunk (`map` and the like): C++ Nix
                    // reports the function's own position as the call site.
                    if let at = lambdaSpan(Value(bits: t.word1)) { error.addTrace("from call site", at, showTraceOnly: true) }
                }
            case .native(_, let origin):
                // Only the error path pays for the cast.
                if let annotating = nativeFrames.last as? AnnotatingFrame { annotating.annotate(&error, vm: self) }
                if origin.builtin >= 0 {
                    if innermost, let traced = nativeFrames.last as? TracingFrame {
                        for _ in 0..<max(traced.ownErrorRepeats, 0) {
                            error.addTrace(traced.ownErrorContext(for: error), traced.ownErrorSpan(self))
                        }
                    }
                    addBuiltinTrace(&error, builtin: Int(origin.builtin), site: origin.site, arguments: nil)
                }
                nativeFrames.removeLast()
            case .tryEval(let height, let site):
                if error.kind != .catchable, let index = program.builtins.entries.firstIndex(where: { $0.name == "tryEval" }) {
                    addBuiltinTrace(&error, builtin: index, site: site.site, arguments: nil)
                }
                if error.kind == .catchable {
                    sp = height
                    callDepth = frames.callFrameCount
                    push(heap.attrs([(program.names.success, .false), (program.names.value, .false)]))
                    return
                }
            default:
                break
            }
            pendingCallSite = false
        }
        throw error
    }
}
