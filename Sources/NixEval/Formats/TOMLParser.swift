// `builtins.fromTOML`: TOML 1.0 documents as C++ Nix 2.26 (toml11) reads them. Lines are
// headers or key/values; values nest (arrays, inline tables) through an explicit stack, so
// deep nesting costs heap memory, never native stack.

import NixSyntax

/// Parses a TOML document into a Nix attribute set.
///
/// Dates and times are C++ Nix's `{ _type = "timestamp"; value = "…"; }` when
/// `timestamps` is set (the `parse-toml-timestamps` experimental feature), otherwise the
/// document fails with "Dates and times are not supported" once it has been read.
struct TOMLParser {
    let heap: Heap
    let symbols: SymbolTable
    let timestamps: Bool

    private var sawTimestamp = false
    private var nulString: [UInt8]? = nil

    init(heap: Heap, symbols: SymbolTable, timestamps: Bool) {
        self.heap = heap
        self.symbols = symbols
        self.timestamps = timestamps
    }

    /// The document's value, or C++ Nix's message (without "while parsing TOML: ").
    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Value {
        var scanner = TOMLScanner(bytes)
        do {
            let root = TOMLTable(.root)
            try document(&scanner, root)
            if let s = nulString { throw TOMLDocument.nulError(s) }
            let value = try TOMLDocument.materialize(root, heap: heap, symbols: symbols)
            if sawTimestamp { throw TOMLError(message: "Dates and times are not supported", offset: -1, toml11: false) }
            return value
        } catch let e as TOMLError {
            throw EvalError(.other, "while parsing TOML: " + TOMLParser.render(e, bytes, scanner.position))
        }
    }

    /// toml11's report: `[error] message`, then the line where it happened.
    static func render(_ e: TOMLError, _ input: UnsafeBufferPointer<UInt8>, _ fallback: Int) -> String {
        guard e.toml11 else { return e.message }
        let offset = min(e.offset >= 0 ? e.offset : fallback, input.count)
        var line = 1, lineStart = 0
        for i in 0..<offset where input[i] == 10 {
            line += 1
            lineStart = i + 1
        }
        var lineEnd = lineStart
        while lineEnd < input.count && input[lineEnd] != 10 && input[lineEnd] != 13 { lineEnd += 1 }
        let text = String(decoding: input[lineStart..<lineEnd], as: UTF8.self)
        let number = String(line)
        let pad = String(repeating: " ", count: number.count)
        return "[error] \(e.message)\n --> fromTOML\n \(pad) |\n \(number) | \(text)\n \(pad) | "
            + String(repeating: " ", count: offset - lineStart) + "^-- here"
    }

    private mutating func document(_ s: inout TOMLScanner, _ root: TOMLTable) throws {
        var table = root
        if s.starts(with: "\u{FEFF}") { s.position += 3 }
        while true {
            try s.skipBlank()
            if s.atEnd { return }
            let lineStart = s.position
            if s.current == 91 {
                let array = s.peek(1) == 91
                s.position += array ? 2 : 1
                s.skipSpaces()
                let key: [[UInt8]]
                do {
                    key = try s.dottedKey()
                } catch {
                    throw s.error(array ? "toml::parse_file: invalid array-table key" : "toml::parse_file: invalid table key", at: lineStart)
                }
                s.skipSpaces()
                guard array ? s.starts(with: "]]") : s.current == 93 else {
                    throw s.error(array ? "toml::parse_file: invalid array-table key" : "toml::parse_file: invalid table key", at: lineStart)
                }
                s.position += array ? 2 : 1
                do {
                    table = array ? try TOMLDocument.appendTable(root, key) : try TOMLDocument.defineTable(root, key)
                } catch let e as TOMLError {
                    throw TOMLError(message: e.message, offset: lineStart)
                }
                s.skipSpaces()
                try s.skipLineComment()
                guard s.atEnd || s.skipNewline() else { throw s.error("toml::parse_file: newline (or EOF) expected") }
                continue
            }
            let key = try s.dottedKey()
            s.skipSpaces()
            guard s.current == 61 else { throw s.error("toml::parse_key_value_pair: invalid key value separator `=`") }
            s.position += 1
            s.skipSpaces()
            let (value, kind) = try self.value(&s)
            do {
                try TOMLDocument.insert(table, key, value, kind)
            } catch let e as TOMLError {
                throw TOMLError(message: e.message, offset: lineStart)
            }
            s.skipSpaces()
            try s.skipLineComment()
            guard s.atEnd || s.skipNewline() else { throw s.error("toml::parse_table: newline (LF / CRLF) or EOF is expected") }
        }
    }

    /// An open array or inline table.
    private enum Container {
        case array(start: Int)
        /// The table and the key its next value goes to.
        case table(TOMLTable, key: [[UInt8]], keyOffset: Int)
    }

    /// Reads `key =` in an inline table (the cursor is on the key).
    private func inlineKey(_ s: inout TOMLScanner) throws -> [[UInt8]] {
        let key = try s.dottedKey()
        s.skipSpaces()
        guard s.current == 61 else { throw s.error("toml::parse_key_value_pair: invalid key value separator `=`") }
        s.position += 1
        s.skipSpaces()
        return key
    }

    /// A value at the cursor, and what kind of value it is.
    private mutating func value(_ s: inout TOMLScanner) throws -> (Value, TOMLValueKind) {
        var open: [Container] = []
        var elements: [Value] = []
        /// Per element in `elements`: whether it is an inline table.
        var elementIsTable: [Bool] = []
        while true {
            // A value starts here.
            if s.atEnd, case .array = open.last { throw s.error("toml::parse_array: missing closing bracket `]`") }
            var v: Value
            var kind = TOMLValueKind.plain
            switch s.current {
            case 91:
                s.position += 1
                try s.skipBlank(lines: false)
                if s.current == 93 {
                    s.position += 1
                    v = heap.list(count: 0).value
                } else {
                    open.append(.array(start: elements.count))
                    continue
                }
            case 123:
                s.position += 1
                s.skipSpaces()
                if s.current == 125 {
                    s.position += 1
                    v = heap.attrs([])
                    kind = .inlineTable
                } else {
                    let offset = s.position
                    open.append(.table(TOMLTable(.inline), key: try inlineKey(&s), keyOffset: offset))
                    continue
                }
            case 34:
                v = string(s.starts(with: "\"\"\"") ? try s.multilineBasicString() : try s.basicString())
            case 39:
                v = string(s.starts(with: "'''") ? try s.multilineLiteralString() : try s.literalString())
            default:
                v = try scalar(&s)
            }
            // Put it in its container, closing the containers that end. (A `break` inside the
            // switch leaves it, and the `break` after it goes on with the next value.)
            while true {
                guard let top = open.last else { return (v, kind) }
                switch top {
                case .array(let start):
                    elements.append(v)
                    elementIsTable.append(kind == .inlineTable)
                    try s.skipBlank(lines: false)
                    if s.current == 44 {
                        s.position += 1
                        try s.skipBlank(lines: false)
                        if s.current != 93 { break }
                    } else if s.current != 93 {
                        throw s.error(s.atEnd ? "toml::parse_array: missing closing bracket `]`"
                                      : "toml::parse_array: expected value-separator `,` or closing `]`")
                    }
                    s.position += 1
                    let n = elements.count - start
                    let list = heap.list(count: n)
                    for i in 0..<n { list[i] = elements[start + i] }
                    elements.removeLast(n)
                    v = list.value
                    kind = n > 0 && !elementIsTable[start...].contains(false) ? .inlineTables : .plain
                    elementIsTable.removeLast(n)
                    open.removeLast()
                    continue
                case .table(let table, let key, let keyOffset):
                    do {
                        try TOMLDocument.insert(table, key, v, kind)
                    } catch let e as TOMLError {
                        throw TOMLError(message: e.message, offset: keyOffset)
                    }
                    s.skipSpaces()
                    if s.current == 44 {
                        s.position += 1
                        s.skipSpaces()
                        if s.current == 125 {
                            throw s.error("toml::parse_inline_table: trailing comma is not allowed in TOML-v1.0.0)")
                        }
                        let offset = s.position
                        open[open.count - 1] = .table(table, key: try inlineKey(&s), keyOffset: offset)
                        break
                    }
                    guard s.current == 125 else {
                        throw s.error("toml::parse_inline_table: expected value-separator `,` or closing `}`")
                    }
                    s.position += 1
                    v = try TOMLDocument.materialize(table, heap: heap, symbols: symbols)
                    kind = .inlineTable
                    open.removeLast()
                    continue
                }
                break
            }
        }
    }

    private mutating func string(_ bytes: [UInt8]) -> Value {
        if nulString == nil && bytes.contains(0) { nulString = bytes }
        return heap.string(bytes)
    }

    private mutating func scalar(_ s: inout TOMLScanner) throws -> Value {
        switch try s.scalar() {
        case .integer(let n): return heap.int(n)
        case .float(let d): return heap.float(d)
        case .bool(let b): return .bool(b)
        case .timestamp(let text):
            guard timestamps else {
                sawTimestamp = true
                return .null
            }
            return heap.attrs([(symbols.intern("_type"), heap.string("timestamp")), (symbols.intern("value"), heap.string(text))])
        }
    }
}
