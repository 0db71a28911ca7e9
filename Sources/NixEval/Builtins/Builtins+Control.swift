// Control builtins: errors, `tryEval`, `seq`, `deepSeq`, `trace`.

extension Builtins {
    static let control: [BuiltinDefinition] = [
        .strict("throw", 1) { c, a in
            let s = try c.string(a[0])
            throw c.error(s.text, .catchable)
        },
        .strict("abort", 1) { c, a in
            let s = try c.string(a[0])
            throw c.error("evaluation aborted with the following error message: '\(s.text)'", .abort)
        },
        .frame("tryEval", 1, strict: []) { _, a in TryEvalFrame(a[0]) },
        .lazy("seq", 2, strict: [0]) { _, a in a[1] },
        .frame("deepSeq", 2, strict: []) { _, a in DeepForceFrame(a[0], result: a[1]) },
        .lazy("trace", 2, strict: [0]) { c, a in
            let v = a[0]
            let shown: String
            if v.isObject(.string) {
                shown = v.asString.text
            } else {
                var p = ValuePrinter(vm: c.vm, style: .trace)
                shown = String(decoding: p.print(v), as: UTF8.self)
            }
            c.vm.diagnostics("trace: \(shown)\n")
            return a[1]
        },
    ]
}

/// `builtins.tryEval e`: forces `e` under a boundary that catches `throw` and `assert` errors.
final class TryEvalFrame: NativeFrame {
    let argument: Value
    init(_ v: Value) { argument = v }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        vm.frames.append(.tryEval(stackHeight: vm.sp))
        vm.push(argument)
        try vm.startForcingIfNeeded(argument)
        return .handedOff
    }
}
