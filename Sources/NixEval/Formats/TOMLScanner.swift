// The character level of `builtins.fromTOML`: a cursor over the input with whitespace,
// comments, keys and strings as TOML 1.0 defines them, failing with toml11's messages (the
// TOML library of C++ Nix 2.26).

/// A TOML error: toml11's first message line and where it happened (`toml11` false: one of
/// C++ Nix's own messages, shown as is).
struct TOMLError: Error {
    let message: String
    let offset: Int
    var toml11 = true
}

/// A position in the TOML input and the lexical rules that do not build values.
struct TOMLScanner {
    let input: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ input: UnsafeBufferPointer<UInt8>) {
        self.input = input
    }

    var atEnd: Bool { position >= input.count }
    /// The current byte, or 0 at the end.
    var current: UInt8 { position < input.count ? input[position] : 0 }
    func peek(_ k: Int) -> UInt8 { position + k < input.count ? input[position + k] : 0 }

    func error(_ message: String, at offset: Int? = nil) -> TOMLError {
        TOMLError(message: message, offset: offset ?? position)
    }

    func starts(with text: StaticString) -> Bool {
        let n = text.utf8CodeUnitCount
        guard position + n <= input.count else { return false }
        for i in 0..<n where input[position + i] != text.utf8Start[i] { return false }
        return true
    }

    /// Spaces and tabs.
    mutating func skipSpaces() {
        while current == 32 || current == 9 { position += 1 }
    }

    /// A comment up to (not including) the line end. It stops early at a character a comment
    /// may not contain (control characters but tab, DEL, bytes that are not UTF-8).
    mutating func skipComment() {
        guard current == 35 else { return }
        position += 1
        while !atEnd, let n = characterLength(position) { position += n }
    }

    /// A line end (LF or CRLF); false if there is none here.
    mutating func skipNewline() -> Bool {
        if current == 10 { position += 1; return true }
        if current == 13 && peek(1) == 10 { position += 2; return true }
        return false
    }

    /// A comment that must reach the line end (after a key/value or header, on its own line).
    mutating func skipLineComment() throws {
        guard current == 35 else { return }
        skipComment()
        if !atEnd && current != 10 && !(current == 13 && peek(1) == 10) {
            throw error("toml::parse_comment_line: newline (LF / CRLF) or EOF is expected")
        }
    }

    /// Whitespace, comments and line ends between document lines; inside arrays (`lines`
    /// false) a comment cut short by a bad character just ends there.
    mutating func skipBlank(lines: Bool = true) throws {
        while true {
            skipSpaces()
            if lines { try skipLineComment() } else { skipComment() }
            if !skipNewline() { return }
        }
    }

    /// The length of the character at `p` if strings and comments may contain it: tab,
    /// printable ASCII, or a well-formed UTF-8 sequence; nil otherwise.
    func characterLength(_ p: Int) -> Int? {
        guard p < input.count else { return nil }
        let c = input[p]
        if c == 9 || (c >= 32 && c < 127) { return 1 }
        guard let ranges = UTF8Bytes.continuationRanges(after: c) else { return nil }
        for (i, r) in ranges.enumerated() where !(p + 1 + i < input.count && r.contains(input[p + 1 + i])) { return nil }
        return ranges.count + 1
    }

    /// Appends the character at the cursor if a string may contain it (see `characterLength`).
    private mutating func takeCharacter(_ out: inout [UInt8]) -> Bool {
        guard let n = characterLength(position) else { return false }
        out += input[position..<(position + n)]
        position += n
        return true
    }

    static func isBareKeyByte(_ c: UInt8) -> Bool {
        (65...90).contains(c) || (97...122).contains(c) || (48...57).contains(c) || c == 95 || c == 45
    }

    /// A dotted key: simple keys separated by `.` (spaces allowed around the dots).
    mutating func dottedKey() throws -> [[UInt8]] {
        var parts = [try simpleKey()]
        while true {
            let save = position
            skipSpaces()
            guard current == 46 else { position = save; return parts }
            position += 1
            skipSpaces()
            parts.append(try simpleKey())
        }
    }

    mutating func simpleKey() throws -> [UInt8] {
        // `'''a'''` reads as the empty key `''` followed by junk, as in toml11.
        if current == 34 { return try basicString() }
        if current == 39 { return try literalString() }
        let start = position
        while Self.isBareKeyByte(current) { position += 1 }
        guard position > start else {
            throw error("toml::parse_simple_key: invalid key: key must be \"quoted\", 'quoted-literal', or bare key.")
        }
        return Array(input[start..<position])
    }

    // MARK: - Strings

    private mutating func appendUTF8(_ cp: UInt32, _ out: inout [UInt8], start: Int) throws {
        if (0xD800...0xDFFF).contains(cp) {
            throw error("toml::parse_utf8_codepoint: [0xD800, 0xDFFF] is not a valid UTF-8", at: start)
        }
        guard cp <= 0x10FFFF else { throw error("toml::parse_utf8_codepoint: input codepoint is too large.", at: start) }
        UTF8Bytes.append(cp, to: &out)
    }

    /// An escape sequence after `\` in a basic string; false if it is not one.
    private mutating func escape(_ out: inout [UInt8]) throws -> Bool {
        let start = position - 1
        let c = current
        position += 1
        switch c {
        case 98: out.append(8)
        case 116: out.append(9)
        case 110: out.append(10)
        case 102: out.append(12)
        case 114: out.append(13)
        case 34: out.append(34)
        case 92: out.append(92)
        case 117, 85:
            let n = c == 117 ? 4 : 8
            var cp: UInt32 = 0
            for _ in 0..<n {
                let h = current
                let d: UInt8
                switch h {
                case 48...57: d = h - 48
                case 65...70: d = h - 55
                case 97...102: d = h - 87
                default: return false
                }
                cp = cp << 4 | UInt32(d)
                position += 1
            }
            try appendUTF8(cp, &out, start: start)
        default:
            return false
        }
        return true
    }

    /// `"…"` (the cursor is on the opening quote).
    mutating func basicString() throws -> [UInt8] {
        let start = position
        let bad = error("toml::parse_basic_string: invalid string format", at: start)
        position += 1
        var out: [UInt8] = []
        while true {
            guard !atEnd else { throw bad }
            let c = current
            if c == 34 { position += 1; return out }
            if c == 92 {
                position += 1
                guard try escape(&out) else { throw bad }
                continue
            }
            guard takeCharacter(&out) else { throw bad }
        }
    }

    /// `'…'`.
    mutating func literalString() throws -> [UInt8] {
        let start = position
        position += 1
        var out: [UInt8] = []
        while true {
            if current == 39 { position += 1; return out }
            guard takeCharacter(&out) else {
                throw error("toml::parse_literal_string: invalid string format", at: start)
            }
        }
    }

    /// The end of a multi-line string: the delimiter and up to two more quotes, which belong
    /// to the string. True if the string ends here.
    private mutating func closesMultiline(_ quote: UInt8, _ out: inout [UInt8]) -> Bool {
        guard current == quote && peek(1) == quote && peek(2) == quote else { return false }
        var n = 3
        while n < 5 && peek(n) == quote { n += 1 }
        out += repeatElement(quote, count: n - 3)
        position += n
        return true
    }

    /// A line end inside a multi-line string, kept as written (LF or CRLF).
    private mutating func takeNewline(_ out: inout [UInt8]) -> Bool {
        let start = position
        guard skipNewline() else { return false }
        out += input[start..<position]
        return true
    }

    /// `"""…"""` (a line end right after the opening quotes is dropped; `\` at a line end
    /// drops the line end and following whitespace).
    mutating func multilineBasicString() throws -> [UInt8] {
        let start = position
        let bad = error("toml::parse_ml_basic_string: invalid string format", at: start)
        position += 3
        _ = skipNewline()
        var out: [UInt8] = []
        while true {
            guard !atEnd else { throw bad }
            if closesMultiline(34, &out) { return out }
            let c = current
            if c == 92 {
                // A line-ending backslash: whitespace, then a line end, then blank lines.
                var p = position + 1
                while p < input.count && (input[p] == 32 || input[p] == 9) { p += 1 }
                if p < input.count && (input[p] == 10 || (input[p] == 13 && p + 1 < input.count && input[p + 1] == 10)) {
                    position = p
                    while true {
                        if current == 32 || current == 9 { position += 1 } else if !skipNewline() { break }
                    }
                    continue
                }
                position += 1
                guard try escape(&out) else { throw bad }
                continue
            }
            if takeNewline(&out) { continue }
            guard takeCharacter(&out) else { throw bad }
        }
    }

    /// `'''…'''`.
    mutating func multilineLiteralString() throws -> [UInt8] {
        let start = position
        let bad = error("toml::parse_ml_literal_string: invalid string format", at: start)
        position += 3
        _ = skipNewline()
        var out: [UInt8] = []
        while true {
            guard !atEnd else { throw bad }
            if closesMultiline(39, &out) { return out }
            if takeNewline(&out) { continue }
            guard takeCharacter(&out) else { throw bad }
        }
    }
}
