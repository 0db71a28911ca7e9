// The one JSON serialiser of Swix (`builtins.toJSON` and `nix-instantiate --eval --json`): C++
// Nix's printValueAsJSON as a resumable frame with an explicit work stack, forcing values in
// the same order (depth first, attributes by name) through the VM.

import NixSyntax

/// Serialises a value to JSON as C++ Nix 2.26 does. The frame finishes with the JSON text as a
/// string whose context is the union of the contexts of the strings it contains.
///
/// With `strict`, every value is forced when it is reached; otherwise an unevaluated value is
/// the error "cannot convert a thunk to JSON". Sets with `__toString` become the string it
/// returns (coerced without copying paths), sets with `outPath` the JSON of that value. Paths
/// would be copied to the store, which Swix cannot do yet (an error). Strings that are not
/// UTF-8 make the whole serialisation fail once everything is evaluated, as nlohmann::json's
/// dump does.
final class JSONSerializer: NativeFrame {
    private enum Item {
        case value(Value)
        /// A `,` between list elements.
        case comma
        /// The end of a list or set: the byte, and one nesting level less.
        case close(UInt8)
        /// The end of an `outPath` indirection (one nesting level less).
        case leave
        /// An attribute name (with a `,` before it unless it is the first) and the `:`.
        case key(Symbol, first: Bool)
    }

    /// C++ Nix recurses per nesting level and overflows its stack near 99,500
    /// levels; deeper (or cyclic) values fail with its message instead of running forever.
    static let maxDepth = 99_500

    let strict: Bool
    let span: Span?
    private var work: [Item]
    private var out: [UInt8] = []
    private var contexts: [Value] = []
    private var encodingError: String? = nil
    /// The output C++ Nix has written when its dump fails on a string that is not UTF-8:
    /// everything before that string, and its opening quote.
    private(set) var partialOutput: [UInt8] = []
    private var depth = 0
    /// Set while a `__toString` result is being computed (the next input is that string).
    private var awaitingString = false

    init(_ v: Value, strict: Bool, span: Span?) {
        self.strict = strict
        self.span = span
        work = [.value(v)]
    }

    private func appendString(_ s: NixString) {
        if let c = s.context { contexts.append(c.value) }
        let start = out.count
        noteEncoding(JSONEncoding.appendString(s.bytes, to: &out), start: start)
    }

    /// Records the first string that is not UTF-8 (its literal starts at `start` in `out`).
    private func noteEncoding(_ error: String?, start: Int) {
        guard encodingError == nil, let error else { return }
        encodingError = error
        partialOutput = Array(out[...start])
    }

    private func enter() throws {
        depth += 1
        if depth > JSONSerializer.maxDepth {
            throw EvalError(.other, "stack overflow (possible infinite recursion)", span: span)
        }
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if awaitingString, let input {
            awaitingString = false
            appendString(input.asString)
        }
        // Other inputs are forced values whose item was pushed again: it now finds them evaluated.
        let symbols = vm.program.symbols
        let names = vm.program.names
        while let item = work.popLast() {
            let raw: Value
            switch item {
            case .comma:
                out.append(44)
                continue
            case .close(let byte):
                out.append(byte)
                depth -= 1
                continue
            case .leave:
                depth -= 1
                continue
            case .key(let name, let first):
                if !first { out.append(44) }
                let start = out.count
                noteEncoding(JSONEncoding.appendString(symbols.bytes(name), to: &out), start: start)
                out.append(58)
                continue
            case .value(let v):
                raw = v
            }
            guard let v = vm.readyValue(raw) else {
                guard strict else { throw EvalError(.other, "cannot convert a thunk to JSON", span: span) }
                work.append(item)
                return .force(raw)
            }
            if let n = v.intValue {
                JSONEncoding.appendInteger(n, to: &out)
                continue
            }
            switch v.type {
            case .null: out += "null".utf8
            case .bool: out += (v == .true ? "true" : "false").utf8
            case .float: out += JSONEncoding.float(v.floatValue).utf8
            case .string: appendString(v.asString)
            case .path:
                let p = try vm.copyPathToStore(Array(v.asPath.bytes), span: span)
                appendString(vm.storePathString(p).asString)
            case .list:
                try enter()
                let l = v.asList
                out.append(91)
                work.append(.close(93))
                for i in stride(from: l.count - 1, through: 0, by: -1) {
                    work.append(.value(l[i]))
                    if i > 0 { work.append(.comma) }
                }
            case .set:
                let s = v.asAttrs
                if s.index(of: names.toStringAttr) != nil {
                    awaitingString = true
                    return .run(CoerceToStringFrame(v, span: span, mode: .plain))
                }
                try enter()
                if let o = s[names.outPath] {
                    work.append(.leave)
                    work.append(.value(o))
                    continue
                }
                out.append(123)
                work.append(.close(125))
                let order = vm.nameOrder(s)
                for (k, i) in order.enumerated().reversed() {
                    work.append(.value(s.value(at: i)))
                    work.append(.key(s.symbol(at: i), first: k == 0))
                }
            case .lambda:
                throw EvalError(.other, "cannot convert \(vm.describe(v)) to JSON", span: span)
            case .int:
                break
            }
        }
        if let encodingError {
            throw EvalError(.other, "JSON serialization error: " + encodingError, span: span)
        }
        let context = contexts.isEmpty ? nil : vm.mergeContexts(contexts)
        return .done(vm.heap.string(out, context: context))
    }
}
