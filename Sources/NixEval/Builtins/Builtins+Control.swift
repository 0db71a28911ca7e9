// Control builtins: errors, `tryEval`, `seq`, `deepSeq`, `trace`.

import NixSyntax

extension Builtins {
    static let control: [BuiltinDefinition] = [
        .strict("throw", 1) { c, a in
            throw c.error(a[0].asString.text, .catchable)
        }.coercing(0, .interpolation),
        .strict("abort", 1) { c, a in
            throw c.error("evaluation aborted with the following error message: '\(a[0].asString.text)'", .abort)
        }.coercing(0, .interpolation),
        .frame("tryEval", 1, strict: []) { c, a in TryEvalFrame(a[0], site: c.site) },
        .lazy("seq", 2, strict: [0]) { _, a in a[1] },
        .frame("deepSeq", 2, strict: []) { _, a in DeepForceFrame(a[0], result: a[1]) },
        .lazy("trace", 2, strict: [0]) { c, a in
            c.vm.trace(a[0])
            return a[1]
        },
        // Traces only with `--trace-verbose`; the message is not even forced otherwise.
        .valueOrFrame("traceVerbose", 2, strict: []) { c, a in
            guard c.program.settings.traceVerbose else { return .value(a[1]) }
            return .frame(TraceFrame(message: a[0], result: a[1]))
        },
        // Forces the value; an error doing so gets the message as a trace line.
        .frame("addErrorContext", 2, strict: []) { _, a in ErrorContextFrame(message: a[0], value: a[1]) },
        .strict("toPath", 1) { c, a in
            c.heap.string(try c.absolutePath(a[0]), context: a[0].isObject(.string) ? a[0].asString.context?.value : nil)
        }.coercing(0, .keepingPaths),
    ]
}

extension VM {
    /// Writes `trace: …` for `builtins.trace`: a string as it is, other values printed.
    func trace(_ v: Value) {
        let shown: String
        if v.isObject(.string) {
            shown = v.asString.text
        } else {
            var p = ValuePrinter(vm: self, style: .trace)
            shown = String(decoding: p.print(v), as: UTF8.self)
        }
        diagnostics("trace: \(shown)\n")
    }
}

/// `traceVerbose` when enabled: forces the message, traces it, then gives the result.
final class TraceFrame: NativeFrame {
    let message: Value, result: Value
    init(message: Value, result: Value) {
        self.message = message
        self.result = result
    }
    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        guard let forced = input ?? vm.readyValue(message) else { return .force(message) }
        vm.trace(forced)
        return .done(result)
    }
}

/// `builtins.tryEval e`: forces `e` under a boundary that catches `throw` and `assert` errors.
final class TryEvalFrame: NativeFrame {
    let argument: Value
    let site: FrameSite
    init(_ v: Value, site: Site?) {
        argument = v
        self.site = FrameSite(site)
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        vm.frames.append(.tryEval(stackHeight: vm.sp, site: site))
        vm.push(argument)
        try vm.startForcingIfNeeded(argument)
        return .handedOff
    }
}

/// A builtin frame that adds to the errors unwinding through it (`addErrorContext`).
protocol AnnotatingFrame: NativeFrame {
    /// Called once when an error unwinds through the frame, before the frame is removed.
    func annotate(_ error: inout EvalError, vm: VM)
}

/// `builtins.addErrorContext message value`: forces `value`; an error doing so carries the
/// message (coerced only then) as a trace line shown with and without `--show-trace`.
final class ErrorContextFrame: AnnotatingFrame {
    let message: Value
    let value: Value

    init(message: Value, value: Value) {
        self.message = message
        self.value = value
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input { return .done(input) }
        return .force(value)
    }

    func annotate(_ error: inout EvalError, vm: VM) {
        // The message is evaluated on the error path only, in a nested run; as in C++ Nix, an
        // error evaluating it replaces the original one.
        let text: Value
        do {
            guard let t = try vm.coerceSimple(try vm.force(message), mode: .interpolation, span: nil),
                  t.isObject(.string) else { return }
            text = t
        } catch let e as EvalError {
            error = e
            return
        } catch {
            return
        }
        error.trace.append(DiagnosticNote(message: String(decoding: text.asString.bytes, as: UTF8.self), span: nil, alwaysShown: true))
    }
}
