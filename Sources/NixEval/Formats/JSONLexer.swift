// The JSON tokenizer of `builtins.fromJSON`: a port of nlohmann::json's lexer (used by C++ Nix
// 2.26), so that accepted input, numbers and error messages ("last read: '…'", line and column)
// are the same.

/// The tokens of nlohmann::json's lexer.
enum JSONToken {
    case literalTrue, literalFalse, literalNull, string, unsigned, integer, float
    case beginArray, beginObject, endArray, endObject, nameSeparator, valueSeparator
    case parseError, endOfInput
    /// Only used in messages: "'[', '{', or a literal".
    case literalOrValue
    /// Only used in messages: no "; expected …" part.
    case uninitialized

    /// nlohmann's `token_type_name`.
    var name: String {
        switch self {
        case .uninitialized: return "<uninitialized>"
        case .literalTrue: return "true literal"
        case .literalFalse: return "false literal"
        case .literalNull: return "null literal"
        case .string: return "string literal"
        case .unsigned, .integer, .float: return "number literal"
        case .beginArray: return "'['"
        case .beginObject: return "'{'"
        case .endArray: return "']'"
        case .endObject: return "'}'"
        case .nameSeparator: return "':'"
        case .valueSeparator: return "','"
        case .parseError: return "<parse error>"
        case .endOfInput: return "end of input"
        case .literalOrValue: return "'[', '{', or a literal"
        }
    }
}

/// Reads tokens from a byte buffer. Positions are tracked as nlohmann does: `position` counts
/// characters read (an end-of-input read counts too), and the "token string" shown in errors
/// is everything read since the start of the last string or number token.
struct JSONLexer {
    private let input: UnsafeBufferPointer<UInt8>
    /// Characters read so far (net of ungets); may exceed `input.count` by end-of-input reads.
    private var position = 0
    /// Start of the token string (nlohmann's `token_string`).
    private var tokenStart = 0
    /// The current character, or -1 at end of input.
    private var current: Int = -1
    /// A string token's bytes, or a number's text.
    private(set) var buffer: [UInt8] = []
    private(set) var errorMessage = ""
    private(set) var unsignedValue: UInt64 = 0
    private(set) var integerValue: Int64 = 0
    private(set) var floatValue: Double = 0

    init(_ input: UnsafeBufferPointer<UInt8>) {
        self.input = input
    }

    /// Whether exactly one character (end of input) has been read: the "empty input" case.
    var readNothing: Bool { position == 1 }

    @inline(__always) private mutating func get() -> Int {
        current = position < input.count ? Int(input[position]) : -1
        position += 1
        return current
    }

    @inline(__always) private mutating func unget() {
        position -= 1
    }

    /// The text nlohmann shows as "last read", control characters as `<U+XXXX>`.
    var tokenString: String {
        var out: [UInt8] = []
        let end = min(position, input.count)
        if tokenStart < end {
            for c in input[tokenStart..<end] {
                if c <= 0x1F {
                    out += Array("<U+00".utf8)
                    out.append(hexDigit(c >> 4))
                    out.append(hexDigit(c & 15))
                    out.append(62)
                } else {
                    out.append(c)
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func hexDigit(_ d: UInt8) -> UInt8 { d < 10 ? 48 + d : 55 + d }

    /// " at line L, column C" as nlohmann's `position_string` writes it.
    var positionText: String {
        let end = min(position, input.count)
        var line = 1
        var lineStart = 0
        for i in 0..<end where input[i] == 10 {
            line += 1
            lineStart = i + 1
        }
        return "line \(line), column \(position - lineStart)"
    }

    private mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        tokenStart = position - 1
    }

    /// The next token.
    mutating func scan() -> JSONToken {
        if position == 0 {
            // Skip a byte order mark.
            if get() == 0xEF {
                if !(get() == 0xBB && get() == 0xBF) {
                    errorMessage = "invalid BOM; must be 0xEF 0xBB 0xBF if given"
                    return .parseError
                }
            } else {
                unget()
            }
        }
        repeat { _ = get() } while current == 32 || current == 9 || current == 10 || current == 13
        switch current {
        case 91: return .beginArray
        case 93: return .endArray
        case 123: return .beginObject
        case 125: return .endObject
        case 58: return .nameSeparator
        case 44: return .valueSeparator
        case 116: return scanLiteral("true", .literalTrue)
        case 102: return scanLiteral("false", .literalFalse)
        case 110: return scanLiteral("null", .literalNull)
        case 34: return scanString()
        case 45, 48...57: return scanNumber()
        case 0, -1: return .endOfInput
        default:
            errorMessage = "invalid literal"
            return .parseError
        }
    }

    private mutating func scanLiteral(_ text: StaticString, _ token: JSONToken) -> JSONToken {
        let p = text.utf8Start
        for i in 1..<text.utf8CodeUnitCount where get() != Int(p[i]) {
            errorMessage = "invalid literal"
            return .parseError
        }
        return token
    }

    /// Four hex digits after `\u`, or -1.
    private mutating func codepoint() -> Int {
        var value = 0
        for factor in [12, 8, 4, 0] {
            let c = get()
            switch c {
            case 48...57: value += (c - 48) << factor
            case 65...70: value += (c - 55) << factor
            case 97...102: value += (c - 87) << factor
            default: return -1
            }
        }
        return value
    }

    /// Reads the continuation bytes of a UTF-8 sequence; each must be in its range.
    private mutating func bytesInRange(_ ranges: [ClosedRange<UInt8>]) -> Bool {
        buffer.append(UInt8(current))
        for r in ranges {
            let c = get()
            guard c >= 0, r.contains(UInt8(c)) else {
                errorMessage = "invalid string: ill-formed UTF-8 byte"
                return false
            }
            buffer.append(UInt8(c))
        }
        return true
    }

    private mutating func scanString() -> JSONToken {
        reset()
        while true {
            let c = get()
            switch c {
            case -1:
                errorMessage = "invalid string: missing closing quote"
                return .parseError
            case 34:
                return .string
            case 92:
                switch get() {
                case 34: buffer.append(34)
                case 92: buffer.append(92)
                case 47: buffer.append(47)
                case 98: buffer.append(8)
                case 102: buffer.append(12)
                case 110: buffer.append(10)
                case 114: buffer.append(13)
                case 116: buffer.append(9)
                case 117:
                    let first = codepoint()
                    var cp = first
                    if first == -1 {
                        errorMessage = "invalid string: '\\u' must be followed by 4 hex digits"
                        return .parseError
                    }
                    if 0xD800...0xDBFF ~= first {
                        guard get() == 92 && get() == 117 else {
                            errorMessage = "invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF"
                            return .parseError
                        }
                        let second = codepoint()
                        if second == -1 {
                            errorMessage = "invalid string: '\\u' must be followed by 4 hex digits"
                            return .parseError
                        }
                        guard 0xDC00...0xDFFF ~= second else {
                            errorMessage = "invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF"
                            return .parseError
                        }
                        cp = (first << 10) + second - 0x35FDC00
                    } else if 0xDC00...0xDFFF ~= first {
                        errorMessage = "invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF"
                        return .parseError
                    }
                    UTF8Bytes.append(UInt32(cp), to: &buffer)
                default:
                    errorMessage = "invalid string: forbidden character after backslash"
                    return .parseError
                }
            case 0...0x1F:
                errorMessage = JSONLexer.controlCharacterMessage(c)
                return .parseError
            case 0x20...0x7F:
                buffer.append(UInt8(c))
            case 0x80...0xFF:
                guard let ranges = UTF8Bytes.continuationRanges(after: UInt8(c)) else {
                    errorMessage = "invalid string: ill-formed UTF-8 byte"
                    return .parseError
                }
                guard bytesInRange(ranges) else { return .parseError }
            default:
                errorMessage = "invalid string: ill-formed UTF-8 byte"
                return .parseError
            }
        }
    }

    private static let controlNames = ["NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF",
                                       "VT", "FF", "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK",
                                       "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US"]

    /// "invalid string: control character U+0009 (HT) must be escaped to \u0009 or \t".
    static func controlCharacterMessage(_ c: Int) -> String {
        let hex = String(c, radix: 16, uppercase: true)
        let code = String(repeating: "0", count: 4 - hex.count) + hex
        let short: [Int: String] = [8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r"]
        let alternative = short[c].map { " or " + $0 } ?? ""
        return "invalid string: control character U+\(code) (\(controlNames[c])) must be escaped to \\u\(code)\(alternative)"
    }

    private mutating func isDigit(_ c: Int) -> Bool { 48...57 ~= c }

    private mutating func scanNumber() -> JSONToken {
        reset()
        var type = JSONToken.unsigned
        buffer.append(UInt8(current))
        var c = current
        if c == 45 {
            type = .integer
            c = get()
            guard isDigit(c) else {
                errorMessage = "invalid number; expected digit after '-'"
                return .parseError
            }
            buffer.append(UInt8(c))
        }
        if c != 48 {
            while isDigit(get()) { buffer.append(UInt8(current)) }
        } else {
            _ = get()
        }
        if current == 46 {
            buffer.append(46)
            type = .float
            guard isDigit(get()) else {
                errorMessage = "invalid number; expected digit after '.'"
                return .parseError
            }
            buffer.append(UInt8(current))
            while isDigit(get()) { buffer.append(UInt8(current)) }
        }
        if current == 101 || current == 69 {
            buffer.append(UInt8(current))
            type = .float
            let s = get()
            if s == 43 || s == 45 {
                buffer.append(UInt8(s))
                guard isDigit(get()) else {
                    errorMessage = "invalid number; expected digit after exponent sign"
                    return .parseError
                }
            } else if !isDigit(s) {
                errorMessage = "invalid number; expected '+', '-', or digit after exponent"
                return .parseError
            }
            buffer.append(UInt8(current))
            while isDigit(get()) { buffer.append(UInt8(current)) }
        }
        unget()
        if type != .float, let magnitude = decimalMagnitude() {
            if type == .unsigned {
                unsignedValue = magnitude
                return .unsigned
            }
            if magnitude <= UInt64(Int64.max) + 1 {
                integerValue = magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)
                return .integer
            }
        }
        // Floats, and integers beyond 64 bits (strtod, as nlohmann falls back to).
        floatValue = Double(String(decoding: buffer, as: UTF8.self)) ?? .infinity
        return .float
    }

    /// The digits of an integer token (after an optional `-`), or nil beyond `UInt64`.
    private func decimalMagnitude() -> UInt64? {
        var value: UInt64 = 0
        for c in buffer where c != 45 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (r, o2) = m.addingReportingOverflow(UInt64(c - 48))
            if o1 || o2 { return nil }
            value = r
        }
        return value
    }
}
