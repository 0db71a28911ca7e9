// The lexer: turns source bytes into tokens with the same modes and longest-match rules as C++ Nix's flex lexer.

/// Character classes used by the lexer.
@usableFromInline enum CharClass {
    @inline(__always) static func isIDStart(_ c: UInt8) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95
    }
    @inline(__always) static func isIDChar(_ c: UInt8) -> Bool {
        isIDStart(c) || isDigit(c) || c == 39 || c == 45
    }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    /// `[a-zA-Z0-9._\-+]`
    @inline(__always) static func isPathChar(_ c: UInt8) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c == 46 || c == 95 || c == 45 || c == 43
    }
    /// `[a-zA-Z0-9+\-.]` (URI scheme after the first letter)
    @inline(__always) static func isSchemeChar(_ c: UInt8) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c == 43 || c == 45 || c == 46
    }
    /// `[a-zA-Z0-9%/?:@&=+$,\-_.!~*']` (URI body)
    @inline(__always) static func isURIChar(_ c: UInt8) -> Bool {
        if (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) { return true }
        switch c {
        case 37, 47, 63, 58, 64, 38, 61, 43, 36, 44, 45, 95, 46, 33, 126, 42, 39: return true
        default: return false
        }
    }
}

/// Byte classes for the lexer's hot loops, one table lookup per byte.
@usableFromInline enum ByteClass {
    static let idStart: UInt8 = 1      // [a-zA-Z_]
    static let idChar: UInt8 = 2       // [a-zA-Z0-9_'-]
    static let pathChar: UInt8 = 4     // [a-zA-Z0-9._+-]
    static let digit: UInt8 = 8        // [0-9]
    static let space: UInt8 = 16       // space, tab, CR, LF
    /// Bytes that can start a number, path, `~/` path, `<…>` path or URI: `PATH_CHAR`, `/`, `~`, `<`.
    static let longStart: UInt8 = 32

    /// The table (256 entries, allocated once and never freed).
    static let table: UnsafePointer<UInt8> = {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for i in 0..<256 {
            let c = UInt8(i)
            var k: UInt8 = 0
            if CharClass.isIDStart(c) { k |= idStart }
            if CharClass.isIDChar(c) { k |= idChar }
            if CharClass.isPathChar(c) { k |= pathChar | longStart }
            if CharClass.isDigit(c) { k |= digit }
            if c == 32 || c == 9 || c == 13 || c == 10 { k |= space }
            if c == 47 || c == 126 || c == 60 { k |= longStart }
            t[i] = k
        }
        return UnsafePointer(t)
    }()
}

/// The result of lexing a whole source: its tokens and errors found while lexing.
public struct TokenStream: Sendable {
    public var tokens: [Token]
    /// Errors attached to `.lexError` tokens, by token index; reported when the parser reaches them.
    public var errors: [Int: (code: DiagnosticCode, message: String)]
}

/// Splits Nix source into tokens, tracking string, indented-string and path modes on a state stack.
public struct Lexer {
    enum Mode { case initial, normal, string, indString, inPath, inPathSlash }

    let bytes: UnsafeBufferPointer<UInt8>
    let classes: UnsafePointer<UInt8>
    var pos = 0
    var modes: [Mode] = [.initial]
    /// Where tokens are written; room for `2 * bytes.count + 4` tokens (every token but a
    /// zero-width `pathEnd`, `eof` or lexing error consumes a byte, and each `pathEnd`
    /// follows a token that does).
    let tokens: UnsafeMutablePointer<Token>
    var tokenCount = 0
    var errors: [Int: (code: DiagnosticCode, message: String)] = [:]
    /// The last run of path characters scanned, `runStart..<runEnd`, and where the path rule
    /// `(\/{PATH_CHAR}+)+\/?` that follows it ends (-1: no segment follows). Every position of a
    /// run has the same run end, and inputs such as `----…1` or `a-a-a-…` try the path rules at
    /// each of them: remembering the run keeps lexing linear.
    var runStart = -1
    var runEnd = -1
    var runPathEnd = -1

    init(bytes: UnsafeBufferPointer<UInt8>, tokens: UnsafeMutablePointer<Token>) {
        self.bytes = bytes
        self.tokens = tokens
        self.classes = ByteClass.table
    }

    /// Lexes the whole input. The last token is always `.eof` (or a lexing error).
    public static func tokenize(_ source: [UInt8]) -> TokenStream {
        source.withUnsafeBufferPointer { p in
            var errors: [Int: (code: DiagnosticCode, message: String)] = [:]
            let tokens = [Token](unsafeUninitializedCapacity: 2 * p.count + 4) { buffer, count in
                // Tokens take about two bytes of source each.
                HugePages.advise(UnsafeMutableRawPointer(buffer.baseAddress), bytes: min(buffer.count, p.count / 2 + 4) * MemoryLayout<Token>.stride)
                var lexer = Lexer(bytes: p, tokens: buffer.baseAddress!)
                lexer.run()
                count = lexer.tokenCount
                errors = lexer.errors
            }
            return TokenStream(tokens: tokens, errors: errors)
        }
    }

    @inline(__always) func at(_ i: Int) -> UInt8 { i < bytes.count ? bytes[i] : 0 }
    @inline(__always) func has(_ i: Int) -> Bool { i < bytes.count }
    @inline(__always) func isClass(_ c: UInt8, _ k: UInt8) -> Bool { classes[Int(c)] & k != 0 }

    @inline(__always) mutating func emit(_ kind: TokenKind, _ start: Int, _ end: Int) {
        tokens[tokenCount] = Token(kind: kind, start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end))
        tokenCount += 1
        pos = end
    }

    mutating func fail(_ code: DiagnosticCode, _ message: String, at start: Int) {
        errors[tokenCount] = (code, message)
        tokens[tokenCount] = Token(kind: .lexError, start: Int32(start), end: Int32(start))
        tokenCount += 1
    }

    mutating func push(_ m: Mode) { modes.append(m) }
    mutating func pop() { if modes.count > 1 { modes.removeLast() } }

    mutating func run() {
        while true {
            let mode = modes[modes.count - 1]
            let done: Bool
            switch mode {
            case .initial, .normal: done = lexNormal()
            case .string: done = lexString()
            case .indString: done = lexIndString()
            case .inPath, .inPathSlash: done = lexInPath(slash: mode == .inPathSlash)
            }
            if done { return }
        }
    }

    // MARK: - Default mode

    /// Lexes one token in the default mode; returns true at the end of input or on an error.
    mutating func lexNormal() -> Bool {
        // Whitespace and comments.
        let n = bytes.count
        while pos < n {
            let c = bytes[pos]
            if isClass(c, ByteClass.space) {
                pos += 1
            } else if c == 35 {  // '#'
                while pos < n && bytes[pos] != 10 && bytes[pos] != 13 { pos += 1 }
            } else if c == 47 && at(pos + 1) == 42, let end = blockCommentEnd(pos) {  // "/*"
                pos = end
            } else {
                break
            }
        }
        let start = pos
        guard has(pos) else {
            emit(.eof, pos, pos)
            return true
        }
        let c = bytes[pos]

        let k = classes[Int(c)]
        if k & ByteClass.idStart != 0 {
            var i = pos + 1
            while i < n && isClass(bytes[i], ByteClass.idChar) { i += 1 }
            // Fast path: only `/`, `:`, `.` or `+` after the name can make a longer path or URI.
            var next = at(i)
            if next == 46 || next == 43 {
                // `a.b`, `a+b`: a path needs a `/` and a URI a `:` after the path characters.
                let j = pathRunEnd(i + 1)  // memoised: a long run is scanned once, not at each of its names
                next = at(j)
            }
            if next != 47 && next != 58 {
                emit(keyword(start, i) ?? .identifier, start, i)
                return false
            }
            return lexLongest(c, start, identifierEnd: i)
        } else if k & ByteClass.digit != 0 {
            // Fast path: digits not followed by a path character or `/` are an integer.
            var i = pos + 1
            while i < n && isClass(bytes[i], ByteClass.digit) { i += 1 }
            let next = at(i)
            if next != 47 && !isClass(next, ByteClass.pathChar) {
                emit(.integer, start, i)
                return false
            }
        }
        else if c == 46 {
            // Fast path: a `.` (select) that starts no float, `...` or path.
            let c1 = at(pos + 1)
            if c1 != 46 && !isClass(c1, ByteClass.digit) {
                let j = pathRunEnd(pos + 1)  // memoised, as above
                if at(j) != 47 {
                    emit(.dot, start, start + 1)
                    return false
                }
            }
        }
        // Characters that cannot start a number, path, `~/` path, `<…>` path or URI only form
        // operators and punctuation: skip the longest-match search for them.
        if k & ByteClass.longStart == 0 {
            return lexSimplePunctuation(c, start)
        }
        return lexLongest(c, start, identifierEnd: start)
    }

    /// The longest match among the multi-character rules (numbers, paths, URIs, identifiers
    /// followed by `/` or `:`), against operators and punctuation. `identifierEnd` is the end
    /// of an identifier starting at `start` (or `start`).
    @inline(never)
    mutating func lexLongest(_ c: UInt8, _ start: Int, identifierEnd: Int) -> Bool {
        var bestKind: TokenKind = .invalid
        var bestLen = 0
        @inline(__always) func consider(_ kind: TokenKind, _ len: Int) {
            if len > bestLen { bestKind = kind; bestLen = len }
        }
        if identifierEnd > start { consider(keyword(start, identifierEnd) ?? .identifier, identifierEnd - start) }
        if CharClass.isDigit(c) {
            var i = pos + 1
            while has(i) && CharClass.isDigit(bytes[i]) { i += 1 }
            consider(.integer, i - start)
        }
        consider(.float, floatLength(start))
        let pathLen = pathLength(start)
        consider(.path, pathLen)
        if c == 126 { consider(.homePath, homePathLength(start)) }  // '~'
        if c == 60 { consider(.searchPath, searchPathLength(start)) }  // '<'
        if CharClass.isIDStart(c) && (c != 95) { consider(.uri, uriLength(start)) }
        // Interpolated path starts: `{PATH_SEG}${` and `~/${`.
        let segLen = pathSegmentLength(start)
        var interpolatedPathStart = 0
        if segLen > 0 && at(start + segLen) == 36 && at(start + segLen + 1) == 123 {
            interpolatedPathStart = segLen + 2
        }
        if c == 126 && at(start + 1) == 47 && at(start + 2) == 36 && at(start + 3) == 123 {
            interpolatedPathStart = max(interpolatedPathStart, 4)
        }
        if interpolatedPathStart > bestLen {
            // `PATH_START` mode: emit the first segment as a path token, then continue in a path.
            if c == 126 && at(start + 1) == 47 && segLen == 0 {
                emit(.homePath, start, start + 2)
            } else {
                emit(.path, start, start + segLen)
            }
            push(.inPathSlash)
            return false
        }
        return lexPunctuation(c, start, bestKind: bestKind, bestLen: bestLen)
    }

    /// Punctuation, operators, strings and `${` starting with a byte that cannot start a
    /// number, path or URI (`lexPunctuation` without a competing longer match).
    mutating func lexSimplePunctuation(_ c: UInt8, _ start: Int) -> Bool {
        switch c {
        case 59: emit(.semicolon, start, start + 1)
        case 123:
            emit(.lbrace, start, start + 1)
            push(.normal)
        case 125:
            emit(.rbrace, start, start + 1)
            if modes[modes.count - 1] != .initial { pop() }
        case 61: if at(start + 1) == 61 { emit(.eq, start, start + 2) } else { emit(.assign, start, start + 1) }
        case 34:
            emit(.quote, start, start + 1)
            push(.string)
        case 40: emit(.lparen, start, start + 1)
        case 41: emit(.rparen, start, start + 1)
        case 91: emit(.lbracket, start, start + 1)
        case 93: emit(.rbracket, start, start + 1)
        case 44: emit(.comma, start, start + 1)
        case 58: emit(.colon, start, start + 1)
        case 64: emit(.at, start, start + 1)
        case 63: emit(.question, start, start + 1)
        case 42: emit(.star, start, start + 1)
        case 33: if at(start + 1) == 61 { emit(.neq, start, start + 2) } else { emit(.bang, start, start + 1) }
        case 62: if at(start + 1) == 61 { emit(.geq, start, start + 2) } else { emit(.greater, start, start + 1) }
        default:
            return lexPunctuation(c, start)
        }
        return false
    }

    /// Operators, punctuation, strings and `${`: tokens no longer rule can beat.
    mutating func lexPunctuation(_ c: UInt8, _ start: Int, bestKind: TokenKind = .invalid, bestLen: Int = 0) -> Bool {
        // Operators and punctuation of fixed length.
        let c1 = at(pos + 1)
        var fixed: TokenKind? = nil
        var fixedLen = 2
        switch (c, c1) {
        case (61, 61): fixed = .eq
        case (33, 61): fixed = .neq
        case (60, 61): fixed = .leq
        case (62, 61): fixed = .geq
        case (38, 38): fixed = .and
        case (124, 124): fixed = .or
        case (45, 62): fixed = .implication
        case (47, 47): fixed = .update
        case (43, 43): fixed = .concat
        case (36, 123): fixed = .dollarCurly
        case (39, 39): fixed = .indStringOpen
        default:
            if c == 46 && c1 == 46 && at(pos + 2) == 46 { fixed = .ellipsis; fixedLen = 3 }
        }
        if let f = fixed, fixedLen >= bestLen {
            // Keywords/operators come before ID and paths in the rules, so they win ties.
            switch f {
            case .dollarCurly:
                emit(.dollarCurly, start, start + 2)
                push(.normal)
            case .indStringOpen:
                var i = start + 2
                while has(i) && bytes[i] == 32 { i += 1 }
                let end = (has(i) && bytes[i] == 10) ? i + 1 : start + 2
                emit(.indStringOpen, start, end)
                push(.indString)
            default:
                emit(f, start, start + fixedLen)
            }
            return false
        }
        if bestLen > 0 {
            switch bestKind {
            case .path, .homePath:
                let end = start + bestLen
                emit(bestKind, start, end)
                push(bytes[end - 1] == 47 ? .inPathSlash : .inPath)
            default:
                emit(bestKind, start, start + bestLen)
            }
            return false
        }
        // Single characters.
        let kind: TokenKind
        switch c {
        case 123: kind = .lbrace
        case 125: kind = .rbrace
        case 91: kind = .lbracket
        case 93: kind = .rbracket
        case 40: kind = .lparen
        case 41: kind = .rparen
        case 59: kind = .semicolon
        case 58: kind = .colon
        case 46: kind = .dot
        case 44: kind = .comma
        case 61: kind = .assign
        case 64: kind = .at
        case 63: kind = .question
        case 33: kind = .bang
        case 43: kind = .plus
        case 45: kind = .minus
        case 42: kind = .star
        case 47: kind = .slash
        case 60: kind = .less
        case 62: kind = .greater
        case 34: kind = .quote
        default: kind = .invalid
        }
        emit(kind, start, start + 1)
        switch kind {
        case .lbrace: push(.normal)
        case .rbrace: if modes[modes.count - 1] != .initial { pop() }
        case .quote: push(.string)
        default: break
        }
        return false
    }

    func blockCommentEnd(_ start: Int) -> Int? {
        var i = start + 2
        while has(i) {
            if bytes[i] == 42 && at(i + 1) == 47 { return i + 2 }
            i += 1
        }
        return nil
    }

    func keyword(_ start: Int, _ end: Int) -> TokenKind? {
        let n = end - start
        guard n >= 2 && n <= 7 else { return nil }
        @inline(__always) func eq(_ s: StaticString) -> Bool {
            guard s.utf8CodeUnitCount == n else { return false }
            let p = s.utf8Start
            for k in 0..<n where p[k] != bytes[start + k] { return false }
            return true
        }
        switch bytes[start] {
        case 105: return eq("if") ? .kwIf : eq("in") ? .kwIn : eq("inherit") ? .kwInherit : nil
        case 116: return eq("then") ? .kwThen : nil
        case 101: return eq("else") ? .kwElse : nil
        case 97: return eq("assert") ? .kwAssert : nil
        case 119: return eq("with") ? .kwWith : nil
        case 108: return eq("let") ? .kwLet : nil
        case 114: return eq("rec") ? .kwRec : nil
        case 111: return eq("or") ? .kwOr : nil
        default: return nil
        }
    }

    /// `(([1-9][0-9]*\.[0-9]*)|(0?\.[0-9]+))([Ee][+-]?[0-9]+)?`
    func floatLength(_ start: Int) -> Int {
        var i = start
        let c = at(i)
        if c >= 49 && c <= 57 {
            i += 1
            while CharClass.isDigit(at(i)) { i += 1 }
            guard at(i) == 46 else { return 0 }
            i += 1
            while CharClass.isDigit(at(i)) { i += 1 }
        } else {
            if c == 48 { i += 1 }
            guard at(i) == 46, CharClass.isDigit(at(i + 1)) else { return 0 }
            i += 1
            while CharClass.isDigit(at(i)) { i += 1 }
        }
        if at(i) == 69 || at(i) == 101 {
            var j = i + 1
            if at(j) == 43 || at(j) == 45 { j += 1 }
            if CharClass.isDigit(at(j)) {
                while CharClass.isDigit(at(j)) { j += 1 }
                i = j
            }
        }
        return i - start
    }

    /// The end of the run of path characters starting at `start` (`start` if there is none).
    mutating func pathRunEnd(_ start: Int) -> Int {
        if start >= runStart && start < runEnd { return runEnd }
        guard CharClass.isPathChar(at(start)) else { return start }
        var i = start
        while CharClass.isPathChar(at(i)) { i += 1 }
        var j = i
        var segments = 0
        while at(j) == 47 && CharClass.isPathChar(at(j + 1)) {
            j += 2
            while CharClass.isPathChar(at(j)) { j += 1 }
            segments += 1
        }
        if segments > 0 && at(j) == 47 { j += 1 }
        runStart = start
        runEnd = i
        runPathEnd = segments > 0 ? j : -1
        return i
    }

    /// `{PATH_CHAR}*(\/{PATH_CHAR}+)+\/?`
    mutating func pathLength(_ start: Int) -> Int {
        let end = pathRunEnd(start)
        if end > start { return runPathEnd < 0 ? 0 : runPathEnd - start }
        // No path character at `start`: the path begins with a slash, `/{PATH_CHAR}+…`.
        guard at(start) == 47 && CharClass.isPathChar(at(start + 1)) else { return 0 }
        let first = pathRunEnd(start + 1)
        if runPathEnd >= 0 { return runPathEnd - start }
        return (at(first) == 47 ? first + 1 : first) - start
    }

    /// `{PATH_CHAR}*\/`: the length of a path segment ending in a slash, or 0.
    mutating func pathSegmentLength(_ start: Int) -> Int {
        let i = pathRunEnd(start)
        return at(i) == 47 ? i + 1 - start : 0
    }

    /// `\~(\/{PATH_CHAR}+)+\/?`
    func homePathLength(_ start: Int) -> Int {
        var i = start + 1
        var segments = 0
        while at(i) == 47 && CharClass.isPathChar(at(i + 1)) {
            i += 2
            while CharClass.isPathChar(at(i)) { i += 1 }
            segments += 1
        }
        guard segments > 0 else { return 0 }
        if at(i) == 47 { i += 1 }
        return i - start
    }

    /// `\<{PATH_CHAR}+(\/{PATH_CHAR}+)*\>`
    func searchPathLength(_ start: Int) -> Int {
        var i = start + 1
        guard CharClass.isPathChar(at(i)) else { return 0 }
        while CharClass.isPathChar(at(i)) { i += 1 }
        while at(i) == 47 && CharClass.isPathChar(at(i + 1)) {
            i += 2
            while CharClass.isPathChar(at(i)) { i += 1 }
        }
        return at(i) == 62 ? i + 1 - start : 0
    }

    /// `[a-zA-Z][a-zA-Z0-9\+\-\.]*\:[URI chars]+`
    func uriLength(_ start: Int) -> Int {
        var i = start + 1
        while CharClass.isSchemeChar(at(i)) { i += 1 }
        guard at(i) == 58 else { return 0 }
        i += 1
        let bodyStart = i
        while has(i) && CharClass.isURIChar(bytes[i]) { i += 1 }
        return i > bodyStart ? i - start : 0
    }

    // MARK: - Strings

    mutating func lexString() -> Bool {
        let start = pos
        var i = pos
        while has(i) {
            let c = bytes[i]
            if c == 34 { break }  // '"'
            if c == 92 {  // '\\'
                if has(i + 1) { i += 2; continue }
                break
            }
            if c == 36 {  // '$'
                let n = at(i + 1)
                if !has(i + 1) { break }
                if n == 123 { break }
                if n == 34 { i += 1; break }
                if n == 92 {
                    if has(i + 2) { i += 3; continue }
                    break
                }
                i += 2
                continue
            }
            i += 1
        }
        if i > start {
            emit(.stringContent, start, i)
            return false
        }
        guard has(pos) else {
            emit(.eof, pos, pos)
            return true
        }
        let c = bytes[pos]
        if c == 34 {
            emit(.quote, pos, pos + 1)
            pop()
            return false
        }
        if c == 36 && at(pos + 1) == 123 {
            emit(.dollarCurly, pos, pos + 2)
            push(.normal)
            return false
        }
        // A lone `$`, `\` or `$\` at the end of the input.
        emit(.eof, bytes.count, bytes.count)
        return true
    }

    mutating func lexIndString() -> Bool {
        let start = pos
        var i = pos
        while has(i) {
            let c = bytes[i]
            if c == 36 {  // '$'
                guard has(i + 1) else { break }
                let n = bytes[i + 1]
                if n == 123 || n == 39 { break }
                i += 2
            } else if c == 39 {  // '\''
                guard has(i + 1) else { break }
                let n = bytes[i + 1]
                if n == 39 || n == 36 { break }
                i += 2
            } else {
                i += 1
            }
        }
        if i > start {
            emit(.indStringContent, start, i)
            return false
        }
        guard has(pos) else {
            emit(.eof, pos, pos)
            return true
        }
        let c = bytes[pos]
        if c == 36 {
            if at(pos + 1) == 123 {
                emit(.dollarCurly, pos, pos + 2)
                push(.normal)
            } else {
                emit(.indStringEscape, pos, pos + 1)
            }
            return false
        }
        // c == '\''
        if at(pos + 1) == 39 {
            let n = at(pos + 2)
            if has(pos + 2) && n == 36 { emit(.indStringEscape, pos, pos + 3); return false }
            if has(pos + 2) && n == 39 { emit(.indStringEscape, pos, pos + 3); return false }
            if has(pos + 2) && n == 92 && has(pos + 3) { emit(.indStringEscape, pos, pos + 4); return false }
            emit(.indStringClose, pos, pos + 2)
            pop()
            return false
        }
        emit(.indStringEscape, pos, pos + 1)
        return false
    }

    // MARK: - Paths

    mutating func lexInPath(slash: Bool) -> Bool {
        if at(pos) == 36 && at(pos + 1) == 123 {
            emit(.dollarCurly, pos, pos + 2)
            pop()
            push(.inPath)
            push(.normal)
            return false
        }
        // `{PATH}|{PATH_SEG}|{PATH_CHAR}+`, longest.
        var len = pathLength(pos)
        len = max(len, pathSegmentLength(pos))
        var k = pos
        while CharClass.isPathChar(at(k)) { k += 1 }
        len = max(len, k - pos)
        if len > 0 {
            let end = pos + len
            emit(.stringContent, pos, end)
            pop()
            push(bytes[end - 1] == 47 ? .inPathSlash : .inPath)
            return false
        }
        if slash {
            fail(.pathTrailingSlash, "path has a trailing slash", at: pos)
            return true
        }
        pop()
        emit(.pathEnd, pos, pos)
        return false
    }
}
