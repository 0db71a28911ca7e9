// The tokenizer of POSIX extended regular expressions as libstdc++'s `std::regex` scans them
// (`std::regex::extended`, built with __STRICT_ANSI__ as C++ Nix is): one token of lookahead,
// errors raised when the offending token is scanned.

/// Why a pattern was rejected: C++ Nix reports every syntax error alike, and the NFA size
/// limit separately.
enum RegexError: Error, Equatable {
    /// Any syntax error (libstdc++'s error codes other than `error_space`).
    case invalid
    /// More than libstdc++'s 100 000 NFA states (`error_space`).
    case tooManyStates
}

/// The tokens of libstdc++'s `_Scanner` that extended syntax produces.
enum RegexToken: Equatable {
    case eof, ordinaryChar, anyChar, lineBegin, lineEnd
    case closure0, closure1, optional, alternation
    case groupBegin, groupEnd
    case intervalBegin, intervalEnd, count, comma
    case bracketBegin, bracketNegatedBegin, bracketEnd, bracketDash
    case collatingSymbol, equivalenceClass, characterClass
}

/// libstdc++'s `_Scanner<char>` in extended mode, over the pattern's bytes.
struct RegexScanner {
    private enum Mode { case normal, bracket, brace }

    private let pattern: [UInt8]
    private var position = 0
    private var mode = Mode.normal
    private var atBracketStart = false
    /// The current (lookahead) token and its text.
    private(set) var token = RegexToken.eof
    private(set) var value: [UInt8] = []

    /// `.[\()*+?{|^$`: the characters that are special outside brackets, and the only ones
    /// a backslash may escape.
    private static func isSpecial(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "."), UInt8(ascii: "["), UInt8(ascii: "\\"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "|"),
             UInt8(ascii: "^"), UInt8(ascii: "$"):
            return true
        default:
            return false
        }
    }

    init(_ pattern: [UInt8]) throws {
        self.pattern = pattern
        try advance()
    }

    /// Moves to the next token.
    mutating func advance() throws {
        guard position < pattern.count else {
            token = .eof
            return
        }
        switch mode {
        case .normal: try scanNormal()
        case .bracket: try scanBracket()
        case .brace: try scanBrace()
        }
    }

    private mutating func ordinary(_ c: UInt8) {
        token = .ordinaryChar
        value = [c]
    }

    private mutating func scanNormal() throws {
        let c = pattern[position]
        position += 1
        guard Self.isSpecial(c) else { return ordinary(c) }
        switch c {
        case UInt8(ascii: "\\"):
            // Only the special characters may be escaped (ordinary ones are an error in
            // strict ANSI mode); back-references do not exist in extended syntax.
            guard position < pattern.count, Self.isSpecial(pattern[position]) else { throw RegexError.invalid }
            ordinary(pattern[position])
            position += 1
        case UInt8(ascii: "("): token = .groupBegin
        case UInt8(ascii: ")"): token = .groupEnd
        case UInt8(ascii: "["):
            mode = .bracket
            atBracketStart = true
            if position < pattern.count && pattern[position] == UInt8(ascii: "^") {
                token = .bracketNegatedBegin
                position += 1
            } else {
                token = .bracketBegin
            }
        case UInt8(ascii: "{"):
            mode = .brace
            token = .intervalBegin
        case UInt8(ascii: "^"): token = .lineBegin
        case UInt8(ascii: "$"): token = .lineEnd
        case UInt8(ascii: "."): token = .anyChar
        case UInt8(ascii: "*"): token = .closure0
        case UInt8(ascii: "+"): token = .closure1
        case UInt8(ascii: "?"): token = .optional
        default: token = .alternation  // "|"
        }
    }

    private mutating func scanBracket() throws {
        let c = pattern[position]
        position += 1
        defer { atBracketStart = false }
        if c == UInt8(ascii: "-") {
            token = .bracketDash
        } else if c == UInt8(ascii: "[") {
            guard position < pattern.count else { throw RegexError.invalid }
            switch pattern[position] {
            case UInt8(ascii: "."):
                token = .collatingSymbol
                position += 1
                try eatClass(UInt8(ascii: "."))
            case UInt8(ascii: ":"):
                token = .characterClass
                position += 1
                try eatClass(UInt8(ascii: ":"))
            case UInt8(ascii: "="):
                token = .equivalenceClass
                position += 1
                try eatClass(UInt8(ascii: "="))
            default:
                ordinary(c)
            }
        } else if c == UInt8(ascii: "]") && !atBracketStart {
            // "[]…]" and "[^]…]": a "]" first in the list is an ordinary character.
            token = .bracketEnd
            mode = .normal
        } else {
            // Backslashes are ordinary inside brackets.
            ordinary(c)
        }
    }

    /// Reads the name of `[:name:]`, `[.name.]` or `[=name=]` up to the closing `delimiter]`.
    private mutating func eatClass(_ delimiter: UInt8) throws {
        value = []
        while position < pattern.count && pattern[position] != delimiter {
            value.append(pattern[position])
            position += 1
        }
        guard position + 1 < pattern.count, pattern[position + 1] == UInt8(ascii: "]") else { throw RegexError.invalid }
        position += 2
    }

    private mutating func scanBrace() throws {
        let c = pattern[position]
        position += 1
        if isDigit(c) {
            token = .count
            value = [c]
            while position < pattern.count && isDigit(pattern[position]) {
                value.append(pattern[position])
                position += 1
            }
        } else if c == UInt8(ascii: ",") {
            token = .comma
        } else if c == UInt8(ascii: "}") {
            mode = .normal
            token = .intervalEnd
        } else {
            throw RegexError.invalid
        }
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
}
