// The names libstdc++'s `regex_traits<char>` knows in the classic "C" locale: character
// classes (`[:alpha:]`), collating elements (`[.space.]`) and their primary keys (`[=a=]`).

/// Character classes and collating names of `std::regex_traits<char>` in the "C" locale.
enum RegexCharacterClasses {
    /// The members of `[:name:]` (the name is case-insensitive), nil for an unknown name.
    static func named(_ name: [UInt8]) -> ((UInt8) -> Bool)? {
        switch String(decoding: name.map(lower), as: UTF8.self) {
        case "d", "digit": return isDigit
        case "w": return { isAlpha($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
        case "s", "space": return isSpace
        case "alnum": return { isAlpha($0) || isDigit($0) }
        case "alpha": return isAlpha
        case "blank": return { $0 == 0x20 || $0 == 0x09 }
        case "cntrl": return { $0 < 0x20 || $0 == 0x7F }
        case "graph": return { $0 > 0x20 && $0 < 0x7F }
        case "lower": return { $0 >= 0x61 && $0 <= 0x7A }
        case "print": return { $0 >= 0x20 && $0 < 0x7F }
        case "punct": return { $0 > 0x20 && $0 < 0x7F && !isAlpha($0) && !isDigit($0) }
        case "upper": return { $0 >= 0x41 && $0 <= 0x5A }
        case "xdigit": return { isDigit($0) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }
        default: return nil
        }
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
    static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    /// The byte a collating element names (`lookup_collatename`): one of the POSIX names of
    /// the ASCII characters, where letters are their own names; nil when unknown.
    static func collatingElement(_ name: [UInt8]) -> UInt8? {
        let text = String(decoding: name, as: UTF8.self)
        return collatingNames.firstIndex(of: text).map { UInt8($0) }
    }

    /// `__collatenames`, indexed by character code.
    private static let collatingNames: [String] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "alert", "backspace", "tab", "newline",
        "vertical-tab", "form-feed", "carriage-return", "SO", "SI", "DLE", "DC1", "DC2", "DC3",
        "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "IS4", "IS3", "IS2", "IS1", "space",
        "exclamation-mark", "quotation-mark", "number-sign", "dollar-sign", "percent-sign",
        "ampersand", "apostrophe", "left-parenthesis", "right-parenthesis", "asterisk", "plus-sign",
        "comma", "hyphen", "period", "slash", "zero", "one", "two", "three", "four", "five", "six",
        "seven", "eight", "nine", "colon", "semicolon", "less-than-sign", "equals-sign",
        "greater-than-sign", "question-mark", "commercial-at", "A", "B", "C", "D", "E", "F", "G",
        "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y",
        "Z", "left-square-bracket", "backslash", "right-square-bracket", "circumflex",
        "underscore", "grave-accent", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l",
        "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "left-curly-bracket",
        "vertical-line", "right-curly-bracket", "tilde", "DEL",
    ]
}
