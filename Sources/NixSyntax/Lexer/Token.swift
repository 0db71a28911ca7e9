// Tokens of the Nix language, with the names C++ Nix uses for them in syntax errors.

/// The kind of a token. Single-character tokens are named after their character.
public enum TokenKind: UInt8, Sendable {
    case eof, invalid, lexError
    case identifier, integer, float, path, homePath, searchPath, uri
    /// A fragment of a `"…"` string or of an interpolated path.
    case stringContent
    /// A run of characters inside `''…''` that keeps its indentation.
    case indStringContent
    /// `''$`, `'''`, `''\x`, and lone `$` or `'` inside `''…''`.
    case indStringEscape
    case dollarCurly, quote, indStringOpen, indStringClose, pathEnd
    case kwIf, kwThen, kwElse, kwAssert, kwWith, kwLet, kwIn, kwRec, kwInherit, kwOr, ellipsis
    case eq, neq, leq, geq, and, or, implication, update, concat
    case lbrace, rbrace, lbracket, rbracket, lparen, rparen
    case semicolon, colon, dot, comma, assign, at, question, bang, plus, minus, star, slash, less, greater

    /// How C++ Nix names the token in `unexpected …` / `expecting …`.
    public var displayName: String {
        switch self {
        case .eof: return "end of file"
        case .invalid, .lexError: return "invalid token"
        case .identifier: return "identifier"
        case .integer: return "integer"
        case .float: return "floating-point literal"
        case .path: return "path"
        case .homePath: return "'~/…' path"
        case .searchPath: return "'<…>' path"
        case .uri: return "URI"
        case .stringContent: return "string content"
        case .indStringContent, .indStringEscape: return "indented string content"
        case .dollarCurly: return "'${'"
        case .quote: return "'\"'"
        case .indStringOpen: return "start of an indented string"
        case .indStringClose: return "end of an indented string"
        case .pathEnd: return "end of a path"
        case .kwIf: return "'if'"
        case .kwThen: return "'then'"
        case .kwElse: return "'else'"
        case .kwAssert: return "'assert'"
        case .kwWith: return "'with'"
        case .kwLet: return "'let'"
        case .kwIn: return "'in'"
        case .kwRec: return "'rec'"
        case .kwInherit: return "'inherit'"
        case .kwOr: return "'or'"
        case .ellipsis: return "'...'"
        case .eq: return "'=='"
        case .neq: return "'!='"
        case .leq: return "'<='"
        case .geq: return "'>='"
        case .and: return "'&&'"
        case .or: return "'||'"
        case .implication: return "'->'"
        case .update: return "'//'"
        case .concat: return "'++'"
        case .lbrace: return "'{'"
        case .rbrace: return "'}'"
        case .lbracket: return "'['"
        case .rbracket: return "']'"
        case .lparen: return "'('"
        case .rparen: return "')'"
        case .semicolon: return "';'"
        case .colon: return "':'"
        case .dot: return "'.'"
        case .comma: return "','"
        case .assign: return "'='"
        case .at: return "'@'"
        case .question: return "'?'"
        case .bang: return "'!'"
        case .plus: return "'+'"
        case .minus: return "'-'"
        case .star: return "'*'"
        case .slash: return "'/'"
        case .less: return "'<'"
        case .greater: return "'>'"
        }
    }
}

/// A token: its kind and byte range. Payloads (names, numbers, string bytes) are read from the range.
public struct Token: Sendable {
    public var kind: TokenKind
    public var start: Int32
    public var end: Int32
}
