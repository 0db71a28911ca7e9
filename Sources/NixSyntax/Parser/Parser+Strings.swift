#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Parsing of strings, indented strings (with Nix's indentation stripping) and path literals.

extension Parser {
    /// Decodes the escapes of a `"…"` fragment; CR and CR/LF become LF.
    static func unescape(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let n = s.count
        guard n > 0 else { return [] }
        let p = s.baseAddress!
        // Fast path: nothing to decode.
        var k = 0
        while k < n {
            let c = p[k]
            if c == 92 || c == 13 { break }
            k += 1
        }
        if k == n { return Array(s) }
        return [UInt8](unsafeUninitializedCapacity: n) { out, count in
            let o = out.baseAddress!
            var w = 0
            var i = 0
            while i < n {
                let c = p[i]
                i += 1
                if c == 92 {  // '\\'
                    guard i < n else { o[w] = c; w += 1; break }
                    let e = p[i]
                    i += 1
                    switch e {
                    case 110: o[w] = 10
                    case 114: o[w] = 13
                    case 116: o[w] = 9
                    default: o[w] = e
                    }
                    w += 1
                } else if c == 13 {
                    o[w] = 10
                    w += 1
                    if i < n && p[i] == 10 { i += 1 }
                } else {
                    o[w] = c
                    w += 1
                }
            }
            count = w
        }
    }

    /// Whether the bytes contain a NUL.
    static func containsNul(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = s.baseAddress, s.count > 0 else { return false }
        return memchr(p, 0, s.count) != nil
    }

    /// C++ Nix strings cannot hold NUL bytes.
    func rejectNul(_ bytes: [UInt8], _ t: Token) throws {
        guard bytes.contains(0) else { return }
        var shown: [UInt8] = []
        for b in bytes {
            if b == 0 { shown += Array("␀".utf8) } else { shown.append(b) }
        }
        throw Diagnostic(
            code: .nulByte,
            message: "input string '\(String(decoding: shown, as: UTF8.self))' cannot be represented as Nix string because it contains null bytes",
            span: span(t))
    }

    /// `"…"`, starting at the opening quote.
    mutating func parseString() throws -> ExprID {
        let open = try expect(.quote)
        // Fast path: `"text"` without interpolation.
        let first = current
        if first.kind == .stringContent && peek(1).kind == .quote {
            let raw = text(first)
            let bytes = Parser.unescape(raw)
            if Parser.containsNul(raw) { try rejectNul(bytes, first) }
            advance()
            let close = current
            advance()
            return tree.addString(bytes, range(open.start, close.end))
        }
        var parts: [ExprID] = []
        var pending: [UInt8]? = nil
        var pendingStart: Int32 = 0
        var interpolated = false
        func flush(_ p: inout Parser) {
            if let bytes = pending {
                parts.append(p.tree.addString(bytes, p.range(pendingStart, p.previousEnd)))
                pending = nil
            }
        }
        while true {
            let t = current
            switch t.kind {
            case .stringContent:
                advance()
                let raw = text(t)
                let bytes = Parser.unescape(raw)
                if Parser.containsNul(raw) { try rejectNul(bytes, t) }
                if pending == nil {
                    pending = bytes
                    pendingStart = t.start
                } else {
                    pending! += bytes
                }
            case .dollarCurly:
                advance()
                flush(&self)
                interpolated = true
                parts.append(try parseExpr())
                _ = try expect(.rbrace)
            case .quote:
                advance()
                let whole = range(open.start, t.end)
                if !interpolated {
                    return tree.addString(pending ?? [], whole)
                }
                flush(&self)
                return tree.add(.interpolation(parts: tree.add(exprs: parts), isPath: false), whole)
            default:
                throw unexpected(expecting: ["'\"'"])
            }
        }
    }

    /// One piece of an indented string before indentation is stripped: source text that keeps
    /// its indentation (`escaped == nil`: the bytes are the source range), the decoded bytes
    /// of an escape, or an interpolation.
    struct IndentedPart {
        var start: Int32
        var end: Int32
        var escaped: [UInt8]?
        /// An interpolated expression (then `escaped` is nil and the range is unused).
        var interpolation: ExprID?
    }

    /// `''…''`, starting at the opening `''`.
    mutating func parseIndentedString() throws -> ExprID {
        let open = try expect(.indStringOpen)
        var parts: [IndentedPart] = []
        while true {
            let t = current
            switch t.kind {
            case .indStringContent:
                advance()
                let raw = text(t)
                if Parser.containsNul(raw) { try rejectNul(Array(raw), t) }
                parts.append(IndentedPart(start: t.start, end: t.end, escaped: nil, interpolation: nil))
            case .indStringEscape:
                advance()
                let raw = text(t)
                let bytes: [UInt8]
                if raw.count == 1 {
                    bytes = Array(raw)  // lone `$` or `'`
                } else if raw[raw.startIndex + 2] == 36 {
                    bytes = [36]  // ''$
                } else if raw[raw.startIndex + 2] == 39 {
                    bytes = [39, 39]  // '''
                } else {
                    bytes = Parser.unescape(UnsafeBufferPointer(rebasing: raw[(raw.startIndex + 2)...]))  // ''\x
                }
                parts.append(IndentedPart(start: t.start, end: t.end, escaped: bytes, interpolation: nil))
            case .dollarCurly:
                advance()
                let e = try parseExpr()
                _ = try expect(.rbrace)
                parts.append(IndentedPart(start: 0, end: 0, escaped: nil, interpolation: e))
            case .indStringClose:
                advance()
                return stripIndentation(parts, range(open.start, t.end))
            default:
                throw unexpected()
            }
        }
    }

    /// C++ Nix's `stripIndentation`: removes the common indentation of all lines.
    mutating func stripIndentation(_ parts: [IndentedPart], _ whole: SourceRange) -> ExprID {
        if parts.isEmpty { return tree.addString([], whole) }
        // Minimum indentation; whitespace-only final lines do not count.
        var atStartOfLine = true
        var minIndent = 1_000_000
        var curIndent = 0
        let src = bytes.baseAddress!
        for part in parts {
            guard part.interpolation == nil, part.escaped == nil else {
                if atStartOfLine {
                    atStartOfLine = false
                    minIndent = min(minIndent, curIndent)
                }
                continue
            }
            var i = Int(part.start)
            let end = Int(part.end)
            while i < end {
                let c = src[i]
                i += 1
                if atStartOfLine {
                    if c == 32 {
                        curIndent += 1
                    } else if c == 10 {
                        curIndent = 0
                    } else {
                        atStartOfLine = false
                        minIndent = min(minIndent, curIndent)
                    }
                } else if c == 10 {
                    atStartOfLine = true
                    curIndent = 0
                } else {
                    // Skip to the end of the line.
                    while i < end && src[i] != 10 { i += 1 }
                }
            }
        }
        // Strip the indentation.
        var out: [ExprID] = []
        atStartOfLine = true
        var curDropped = 0
        for k in 0..<parts.count {
            let part = parts[k]
            if let e = part.interpolation {
                atStartOfLine = false
                curDropped = 0
                out.append(e)
                continue
            }
            let isLast = k == parts.count - 1
            func strip(_ b: UnsafeBufferPointer<UInt8>) -> [UInt8] {
                let n = b.count
                if n == 0 { return [] }
                let p = b.baseAddress!
                return [UInt8](unsafeUninitializedCapacity: n) { outBuffer, count in
                    let o = outBuffer.baseAddress!
                    var w = 0
                    var i = 0
                    while i < n {
                        let c = p[i]
                        if atStartOfLine {
                            i += 1
                            if c == 32 {
                                if curDropped >= minIndent { o[w] = c; w += 1 }
                                curDropped += 1
                            } else if c == 10 {
                                curDropped = 0
                                o[w] = c; w += 1
                            } else {
                                atStartOfLine = false
                                curDropped = 0
                                o[w] = c; w += 1
                            }
                        } else {
                            // Copy the rest of the line, with its newline, at once.
                            var j = i
                            while j < n && p[j] != 10 { j += 1 }
                            if j < n {
                                j += 1
                                atStartOfLine = true
                            }
                            (o + w).update(from: p + i, count: j - i)
                            w += j - i
                            i = j
                        }
                    }
                    // Remove the last line if it is empty and consists only of spaces.
                    if isLast {
                        var q = w
                        while q > 0 && o[q - 1] == 32 { q -= 1 }
                        if q > 0 && o[q - 1] == 10 { w = q }
                    }
                    count = w
                }
            }
            let s: [UInt8]
            if let escaped = part.escaped {
                s = escaped.withUnsafeBufferPointer { strip($0) }
            } else {
                s = strip(UnsafeBufferPointer(start: src + Int(part.start), count: Int(part.end - part.start)))
            }
            if !s.isEmpty { out.append(tree.addString(s, range(part.start, part.end))) }
        }
        if out.isEmpty { return tree.addString([], whole) }
        if out.count == 1, case .string = tree[out[0]] { return out[0] }
        return tree.add(.interpolation(parts: tree.add(exprs: out), isPath: false), whole)
    }

    /// A path literal, possibly with interpolation, starting at a `.path` or `.homePath` token.
    mutating func parsePath() throws -> ExprID {
        let t = current
        advance()
        let raw = Array(text(t))
        var resolved: [UInt8]
        if t.kind == .homePath {
            resolved = Array(options.homeDirectory.utf8) + raw.dropFirst()
        } else {
            resolved = PathUtilities.absolute(raw, base: source.baseDirectory)
            if raw.count > 1 && raw.last == 47 { resolved.append(47) }
        }
        let first = tree.add(.path(tree.add(bytes: resolved)), range(t.start, t.end))
        var parts: [ExprID] = [first]
        var interpolated = false
        while true {
            let p = current
            switch p.kind {
            case .stringContent:
                // C++ Nix's grammar: a leading fragment must be followed by `${`.
                if parts.count == 2 && !interpolated { throw unexpected(expecting: ["'${'"]) }
                advance()
                parts.append(tree.addString(Array(text(p)), range(p.start, p.end)))
            case .dollarCurly:
                advance()
                interpolated = true
                parts.append(try parseExpr())
                _ = try expect(.rbrace)
            case .pathEnd:
                if parts.count > 1 && !interpolated { throw unexpected(expecting: ["'${'"]) }
                advance()
                if parts.count == 1 { return first }
                return tree.add(.interpolation(parts: tree.add(exprs: parts), isPath: true), range(t.start, previousEnd))
            default:
                throw unexpected()
            }
        }
    }
}
