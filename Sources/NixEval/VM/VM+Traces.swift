// Error traces: C++ Nix's `… while …` lines, built only on the error path from the frames that
// an error unwinds through (see Documentation/Diagnostics.md).

import NixSyntax

extension VM {
    /// The error `error` left the body of builtin `index` called at `site`: C++ Nix reports the
    /// error without a position, under "while calling the 'NAME' builtin" at the call site, and
    /// a rejected argument under "while evaluating the N-th argument passed to builtins.NAME".
    func addBuiltinTrace(_ error: inout EvalError, builtin index: Int, site: Site?, arguments: BuiltinArguments?) {
        let shortName = builtinTraceName(index)
        // Raised by the builtin itself (at its call site, or nowhere): no position of its own.
        if !error.positionFinal && (error.span == nil || error.span == span(site)) {
            if let line = BuiltinArgumentContexts.missingAttribute(builtin: shortName, message: error.message) {
                error.addTrace(line, nil)
            }
            error.span = nil
            error.positionFinal = true
        }
        if let rejected = error.rejectedValue, let arguments {
            error.rejectedValue = nil
            // Strict arguments first: a lazy one equal to it (the shared empty list) is not the one.
            let strict = builtinShapes[index].strict
            let order = (0..<arguments.count).filter { strict & (1 << $0) != 0 } + (0..<arguments.count).filter { strict & (1 << $0) == 0 }
            for i in order where VM.sameValue(arguments[i], rejected) {
                error.addTrace(BuiltinArgumentContexts.line(builtin: shortName, argument: i), nil)
                break
            }
        }
        error.addTrace("while calling the '\(shortName)' builtin", span(site))
    }

    /// A builtin's name as C++ Nix's traces show it (without the `__` of `__foo` names).
    func builtinTraceName(_ index: Int) -> String {
        let name = program.builtins.entries[index].name
        return name.hasPrefix("__") ? String(name.dropFirst(2)) : name
    }

    /// Whether `v` is (or is a thunk evaluated to) the value with these bits.
    static func sameValue(_ v: Value, _ bits: UInt64) -> Bool {
        if v.bits == bits { return true }
        if v.isThunk && v.asThunk.state == .evaluated { return v.asThunk.result.bits == bits }
        return false
    }

    static func ordinal(_ i: Int) -> String {
        ["first", "second", "third", "fourth", "fifth"][min(i, 4)]
    }

    /// The position of a lambda value (its start), nil for other values.
    func lambdaSpan(_ v: Value) -> Span? {
        guard v.isObject(.closure) else { return nil }
        return lambdaTraceLine(v.asClosure.protoIndex).1
    }

    /// "while calling 'f'" / "while calling anonymous lambda" for a call of prototype `proto`.
    func lambdaTraceLine(_ proto: Int) -> (String, Span) {
        let p = program.protos[proto]
        let what = p.name.map { "'\($0)'" } ?? "anonymous lambda"
        return ("while calling \(what)", Span(file: p.source, start: Int(p.span.start), end: Int(p.span.start)))
    }

    /// Trace lines for a code frame popped while unwinding. `pendingCallSite` is set when the
    /// frame above was a closure call whose call site this frame holds.
    func traceCodeFrame(_ f: CodeFrame, _ error: inout EvalError, pendingCallSite: inout Bool) {
        if pendingCallSite {
            pendingCallSite = false
            // A formals error carries its call site even without `--show-trace`.
            let always = error.callSiteAlwaysShown
            error.callSiteAlwaysShown = false
            if f.pc > 0 { error.addTrace("from call site", program.protos[f.proto].spanAt(f.pc - 1), showTraceOnly: !always) }
        }
        let p = program.protos[f.proto]
        if !p.traceRanges.isEmpty && f.pc > 0 {
            // Innermost first: of nested ranges, the one that starts later is inside.
            let at = Int32(f.pc - 1)
            let hits = p.traceRanges.filter { $0.start <= at && at < $0.end }.sorted { $0.start > $1.start }
            for r in hits {
                error.addTrace(r.message, r.span.map { Span(file: p.source, start: Int($0.start), end: Int($0.end)) })
            }
        }
        if f.isCall {
            if error.beforeLambdaBody {
                error.beforeLambdaBody = false
                error.callSiteAlwaysShown = true
            } else {
                let (line, at) = lambdaTraceLine(f.proto)
                error.addTrace(line, at, showTraceOnly: true)
            }
            pendingCallSite = true
        }
    }

    /// The dispatch loop failed while running `current`: put the frame back on the frame stack
    /// (unless it is already there, suspended for a call or a force) so unwinding sees it.
    func restoreFailedFrame(_ current: CodeFrame) {
        var i = frames.count - 1
        let lowest = max(0, frames.count - 8)
        while i >= lowest {
            if case .code(let g) = frames[i], g.proto == current.proto, g.base == current.base { return }
            i -= 1
        }
        frames.append(.code(current))
    }
}

/// A builtin frame whose own errors (raised by its `resume`, not by what it called) come with a
/// trace line, C++ Nix's error context for that step, e.g. "while evaluating the return value of
/// the function passed to builtins.all". Asked on the error path only.
protocol TracingFrame: NativeFrame {
    var ownErrorContext: String { get }
    /// Where C++ Nix places that line (usually nowhere).
    func ownErrorSpan(_ vm: VM) -> Span?
    /// How many times the line is repeated (once per level of a nested walk).
    var ownErrorRepeats: Int { get }
    /// The line for this error, for frames whose steps have different contexts.
    func ownErrorContext(for error: EvalError) -> String
}

extension TracingFrame {
    func ownErrorContext(for error: EvalError) -> String { ownErrorContext }
    func ownErrorSpan(_ vm: VM) -> Span? { nil }
    var ownErrorRepeats: Int { 1 }
}
