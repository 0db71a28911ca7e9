// `builtins.fromJSON`: parses JSON text straight into heap values, following nlohmann::json's
// SAX parser (as C++ Nix 2.26 does) with an explicit stack of open containers, so nesting depth
// costs heap memory, never native stack.

import NixSyntax

/// Parses JSON into Nix values the way C++ Nix's `parseJSON` does: integers that fit in 64
/// bits are integers (unsigned ones above 2⁶³−1 are an error), other numbers floats; the last
/// of duplicate keys wins; strings may not contain NUL bytes.
struct JSONParser {
    let heap: Heap
    let symbols: SymbolTable

    /// Values of the open containers (elements, or object values), innermost last.
    private var values: [Value] = []
    /// Keys of the open objects' values (one per value in `values` that belongs to an object).
    private var keys: [Symbol] = []
    /// Per open container: whether it is an array, and where its values start in `values`/`keys`.
    private var open: [(isArray: Bool, valueStart: Int, keyStart: Int)] = []

    init(heap: Heap, symbols: SymbolTable) {
        self.heap = heap
        self.symbols = symbols
    }

    /// The value of the JSON document in `bytes`.
    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Value {
        var lexer = JSONLexer(bytes)
        var token = lexer.scan()

        func syntaxError(_ lexer: JSONLexer, _ last: JSONToken, expected: JSONToken, context: String) -> EvalError {
            var message = "syntax error while parsing \(context) - "
            if last == .parseError {
                message += "\(lexer.errorMessage); last read: '\(lexer.tokenString)'"
            } else {
                message += "unexpected \(last.name)"
            }
            if expected != .uninitialized { message += "; expected \(expected.name)" }
            return EvalError(.other, "[json.exception.parse_error.101] parse error at \(lexer.positionText): \(message)")
        }

        /// Reads `"key" :` (the key token is current); the value's first token is read after.
        func readKey(_ lexer: inout JSONLexer, _ token: inout JSONToken, _ parser: inout JSONParser) throws {
            guard token == .string else {
                throw syntaxError(lexer, token, expected: .string, context: "object key")
            }
            if lexer.buffer.contains(0) { throw JSONParser.nulError(lexer.buffer) }
            parser.keys.append(parser.symbols.intern(lexer.buffer))
            token = lexer.scan()
            guard token == .nameSeparator else {
                throw syntaxError(lexer, token, expected: .nameSeparator, context: "object separator")
            }
            token = lexer.scan()
        }

        while true {
            // A value starts at `token`.
            var completed: Value? = nil
            switch token {
            case .beginObject:
                token = lexer.scan()
                if token == .endObject {
                    completed = heap.attrs([])
                } else {
                    try readKey(&lexer, &token, &self)
                    open.append((false, values.count, keys.count - 1))
                    continue
                }
            case .beginArray:
                token = lexer.scan()
                if token == .endArray {
                    completed = heap.list(count: 0).value
                } else {
                    open.append((true, values.count, keys.count))
                    continue
                }
            case .float:
                let d = lexer.floatValue
                guard d.isFinite else {
                    throw EvalError(.other, "[json.exception.out_of_range.406] number overflow parsing '\(lexer.tokenString)'")
                }
                completed = heap.float(d)
            case .literalFalse: completed = .false
            case .literalTrue: completed = .true
            case .literalNull: completed = .null
            case .integer: completed = heap.int(lexer.integerValue)
            case .unsigned:
                let n = lexer.unsignedValue
                guard n <= UInt64(Int64.max) else {
                    throw EvalError(.other, "unsigned json number \(n) outside of Nix integer range")
                }
                completed = heap.int(Int64(n))
            case .string:
                if lexer.buffer.contains(0) { throw JSONParser.nulError(lexer.buffer) }
                completed = heap.string(lexer.buffer)
            case .parseError:
                throw syntaxError(lexer, token, expected: .uninitialized, context: "value")
            case .endOfInput:
                if lexer.readNothing {
                    throw EvalError(.other, "[json.exception.parse_error.101] parse error at \(lexer.positionText): attempting to parse an empty input; check that your input string or stream contains the expected JSON")
                }
                throw syntaxError(lexer, token, expected: .literalOrValue, context: "value")
            default:
                throw syntaxError(lexer, token, expected: .literalOrValue, context: "value")
            }
            // A value is complete: add it to its container, closing containers as they end.
            var value = completed ?? .null
            while true {
                guard let top = open.last else {
                    token = lexer.scan()
                    guard token == .endOfInput else {
                        throw syntaxError(lexer, token, expected: .endOfInput, context: "value")
                    }
                    return value
                }
                values.append(value)
                token = lexer.scan()
                if top.isArray {
                    if token == .valueSeparator {
                        token = lexer.scan()
                        break
                    }
                    guard token == .endArray else {
                        throw syntaxError(lexer, token, expected: .endArray, context: "array")
                    }
                    value = finishArray(from: top.valueStart)
                } else {
                    if token == .valueSeparator {
                        token = lexer.scan()
                        try readKey(&lexer, &token, &self)
                        break
                    }
                    guard token == .endObject else {
                        throw syntaxError(lexer, token, expected: .endObject, context: "object")
                    }
                    value = finishObject(valueStart: top.valueStart, keyStart: top.keyStart)
                }
                open.removeLast()
            }
        }
    }

    private mutating func finishArray(from start: Int) -> Value {
        let n = values.count - start
        let list = heap.list(count: n)
        for i in 0..<n { list[i] = values[start + i] }
        values.removeLast(n)
        return list.value
    }

    private mutating func finishObject(valueStart: Int, keyStart: Int) -> Value {
        let n = values.count - valueStart
        var entries: [(Symbol, Value)] = []
        entries.reserveCapacity(n)
        for i in 0..<n { entries.append((keys[keyStart + i], values[valueStart + i])) }
        values.removeLast(n)
        keys.removeLast(keys.count - keyStart)
        return heap.attrs(entries)
    }

    /// "input string '…' cannot be represented as Nix string because it contains null bytes".
    static func nulError(_ bytes: [UInt8]) -> EvalError {
        EvalError(.other, "input string '\(showingNUL(bytes))' cannot be represented as Nix string because it contains null bytes")
    }

    /// C++ Nix shows NUL bytes as U+2400 (␀) in its message.
    static func showingNUL(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        for b in bytes {
            if b == 0 { out += [0xE2, 0x90, 0x80] } else { out.append(b) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
