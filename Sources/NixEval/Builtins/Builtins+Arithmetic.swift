// Arithmetic and comparison builtins, sharing the VM's operator implementations.

extension Builtins {
    static let arithmetic: [BuiltinDefinition] = [
        .strict("add", 2) { c, a in
            guard a[0].type == .int || a[0].type == .float else { throw c.typeError(expected: "an integer", found: a[0]) }
            guard a[1].type == .int || a[1].type == .float else { throw c.typeError(expected: "an integer", found: a[1]) }
            // Both are numbers: `VM.add` never needs a frame for them.
            guard let sum = try c.vm.add(a[0], a[1], span: c.span) else { throw c.error("internal error: add of numbers needs a frame") }
            return sum
        },
        .strict("sub", 2) { c, a in try c.vm.arithmetic(.sub, a[0], a[1], span: c.span) },
        .strict("mul", 2) { c, a in try c.vm.arithmetic(.mul, a[0], a[1], span: c.span) },
        .strict("div", 2) { c, a in try c.vm.arithmetic(.div, a[0], a[1], span: c.span) },
        .frame("lessThan", 2, strict: [0, 1]) { c, a in CompareFrame(a[0], a[1], negate: false, span: c.span) },
    ]
}

import NixSyntax

extension VM {
    /// A span for errors raised outside any source (`«nix-internal»`).
    var internalSpan: Span {
        Span(file: SourceFile(origin: .internal, bytes: [], baseDirectory: "/"), start: 0, end: 0)
    }
}
