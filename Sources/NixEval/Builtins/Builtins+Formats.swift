// Data-format builtins: fromJSON, toJSON, toXML, fromTOML (the formats live in Formats/).

extension Builtins {
    static let formats: [BuiltinDefinition] = [
        .strict("fromJSON", 1) { c, a in
            let s = try c.stringNoContext(a[0])
            var parser = JSONParser(heap: c.heap, symbols: c.symbols)
            do {
                return try parser.parse(s.bytes)
            } catch var e as EvalError {
                if e.span == nil { e.span = c.span }
                throw e
            }
        },
        .frame("toJSON", 1, strict: []) { c, a in
            JSONSerializer(a[0], strict: true, span: c.span)
        },
        .strict("fromTOML", 1) { c, a in
            let s = try c.stringNoContext(a[0])
            var parser = TOMLParser(heap: c.heap, symbols: c.symbols, timestamps: c.program.settings.parseTOMLTimestamps)
            do {
                return try parser.parse(s.bytes)
            } catch var e as EvalError {
                if e.span == nil { e.span = c.span }
                throw e
            }
        },
        .frame("toXML", 1, strict: []) { c, a in
            XMLSerializer(a[0], strict: true, showLocation: false, span: c.span)
        },
    ]
}
