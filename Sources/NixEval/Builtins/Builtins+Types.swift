// Type predicates and `typeOf`.

extension Builtins {
    static let types: [BuiltinDefinition] = [
        .strict("typeOf", 1) { c, a in c.heap.string(a[0].type.rawValue) },
        .strict("isNull", 1) { _, a in .bool(a[0].isNull) },
        .strict("isInt", 1) { _, a in .bool(a[0].type == .int) },
        .strict("isFloat", 1) { _, a in .bool(a[0].type == .float) },
        .strict("isBool", 1) { _, a in .bool(a[0].isBool) },
        .strict("isString", 1) { _, a in .bool(a[0].type == .string) },
        .strict("isPath", 1) { _, a in .bool(a[0].type == .path) },
        .strict("isList", 1) { _, a in .bool(a[0].type == .list) },
        .strict("isAttrs", 1) { _, a in .bool(a[0].type == .set) },
        .strict("isFunction", 1) { _, a in .bool(a[0].type == .lambda) },
    ]
}
