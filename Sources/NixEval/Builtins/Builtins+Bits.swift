// Integer bit operations and rounding: `bitAnd`, `bitOr`, `bitXor`, `floor`, `ceil`.

extension Builtins {
    static let bits: [BuiltinDefinition] = [
        .strict("bitAnd", 2) { c, a in c.heap.int(try c.int(a[0]) & c.int(a[1])) },
        .strict("bitOr", 2) { c, a in c.heap.int(try c.int(a[0]) | c.int(a[1])) },
        .strict("bitXor", 2) { c, a in c.heap.int(try c.int(a[0]) ^ c.int(a[1])) },
        .strict("floor", 1) { c, a in c.heap.int(roundedToInt((try c.floatArgument(a[0])).rounded(.down))) },
        .strict("ceil", 1) { c, a in c.heap.int(roundedToInt((try c.floatArgument(a[0])).rounded(.up))) },
    ]

    /// C++ Nix 2.26 converts the rounded double with a plain cast; on x86-64 a value out of
    /// range (or NaN) becomes the "integer indefinite" value, INT64_MIN.
    static func roundedToInt(_ d: Double) -> Int64 {
        guard d.isFinite, d >= -9.223372036854775808e18, d < 9.223372036854775808e18 else { return Int64.min }
        return Int64(d)
    }
}

extension BuiltinContext {
    /// `forceFloat`: a float, or an integer converted to one.
    func floatArgument(_ v: Value) throws -> Double {
        if let n = v.intValue { return Double(n) }
        guard v.isObject(.float) else { throw typeError(expected: "a float", found: v) }
        return v.floatValue
    }
}
