// String builtins.

extension Builtins {
    static let strings: [BuiltinDefinition] = [
        .valueOrFrame("toString", 1, strict: [0]) { c, a in
            // Strings and numbers directly; sets, lists and the rest through the coercion frame.
            let v = a[0]
            if v.isObject(.string) { return .value(v) }
            if let n = v.intValue { return .value(c.heap.decimalString(n)) }
            return .frame(CoerceToStringFrame(v, span: c.span, mode: .toString))
        },
        // Like C++ Nix, the argument is coerced (paths, `__toString` and `outPath` count too).
        .strict("stringLength", 1) { c, a in .smallInt(Int64(a[0].asString.count)) }.coercing(0, .interpolation),
        .strict("substring", 3) { c, a in
            let start = try c.int(a[0])
            let length = try c.int(a[1])
            guard start >= 0 else { throw c.error("negative start position in 'substring'") }
            let s = a[2].asString
            let n = s.count
            let from = min(Int(start), n)
            let len = length < 0 ? n - from : min(Int(min(length, Int64(Int32.max))), n - from)
            let slice = s.bytes[from..<(from + len)]
            return c.heap.string(slice, context: s.context?.value)
        }.coercing(2, .interpolation),
        .frame("concatStringsSep", 2, strict: [0, 1]) { c, a in
            ConcatStringsSepFrame(separator: try c.string(a[0]), list: try c.list(a[1]), span: c.span)
        },
    ]
}

import NixSyntax

/// `builtins.concatStringsSep sep list`: each element is coerced like an interpolation.
final class ConcatStringsSepFrame: NativeFrame {
    let separator: NixString
    let list: NixList
    let span: Span?
    var parts: [Value] = []
    var index = 0

    init(separator: NixString, list: NixList, span: Span?) {
        self.separator = separator
        self.list = list
        self.span = span
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input {
            if input.isObject(.string) {
                parts.append(input)
            } else if let s = try vm.coerceSimple(input, mode: .interpolation, span: span) {
                parts.append(s)
            } else {
                return .run(CoerceToStringFrame(input, span: span, mode: .interpolation))
            }
        }
        if index < list.count {
            index += 1
            return .force(list[index - 1])
        }
        var count = 0
        for (k, p) in parts.enumerated() {
            if k > 0 { vm.push(separator.value); count += 1 }
            vm.push(p)
            count += 1
        }
        if count == 0 { return .done(vm.heap.string([], context: separator.context?.value)) }
        let r = try vm.concatStrings(count: count, isPath: false, span: span ?? vm.internalSpan)
        vm.sp -= count
        return .done(r)
    }
}
