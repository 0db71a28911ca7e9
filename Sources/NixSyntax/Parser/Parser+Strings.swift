// Parsing of strings, indented strings (with Nix's indentation stripping) and path literals.

extension Parser {
    /// Decodes the escapes of a `"…"` fragment; CR and CR/LF become LF.
    static func unescape<C: Collection>(_ s: C) -> [UInt8] where C.Element == UInt8, C.Index == Int {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = s.startIndex
        let end = s.endIndex
        while i < end {
            let c = s[i]
            i += 1
            if c == 92 {  // '\\'
                guard i < end else { out.append(c); break }
                let e = s[i]
                i += 1
                switch e {
                case 110: out.append(10)
                case 114: out.append(13)
                case 116: out.append(9)
                default: out.append(e)
                }
            } else if c == 13 {
                out.append(10)
                if i < end && s[i] == 10 { i += 1 }
            } else {
                out.append(c)
            }
        }
        return out
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
                if pending == nil { pending = []; pendingStart = t.start }
                let bytes = Parser.unescape(text(t))
                try rejectNul(bytes, t)
                pending! += bytes
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

    /// One piece of an indented string before indentation is stripped.
    enum IndentedPart {
        case text([UInt8], hasIndentation: Bool, start: Int32, end: Int32)
        case interpolation(ExprID)
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
                try rejectNul(Array(text(t)), t)
                parts.append(.text(Array(text(t)), hasIndentation: true, start: t.start, end: t.end))
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
                parts.append(.text(bytes, hasIndentation: false, start: t.start, end: t.end))
            case .dollarCurly:
                advance()
                let e = try parseExpr()
                _ = try expect(.rbrace)
                parts.append(.interpolation(e))
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
        for part in parts {
            guard case .text(let bytes, let hasIndentation, _, _) = part, hasIndentation else {
                if atStartOfLine {
                    atStartOfLine = false
                    minIndent = min(minIndent, curIndent)
                }
                continue
            }
            for c in bytes {
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
                }
            }
        }
        // Strip the indentation.
        var out: [ExprID] = []
        atStartOfLine = true
        var curDropped = 0
        for (k, part) in parts.enumerated() {
            switch part {
            case .interpolation(let e):
                atStartOfLine = false
                curDropped = 0
                out.append(e)
            case .text(let bytes, _, let start, let end):
                var s: [UInt8] = []
                s.reserveCapacity(bytes.count)
                for c in bytes {
                    if atStartOfLine {
                        if c == 32 {
                            if curDropped >= minIndent { s.append(c) }
                            curDropped += 1
                        } else if c == 10 {
                            curDropped = 0
                            s.append(c)
                        } else {
                            atStartOfLine = false
                            curDropped = 0
                            s.append(c)
                        }
                    } else {
                        s.append(c)
                        if c == 10 { atStartOfLine = true }
                    }
                }
                // Remove the last line if it is empty and consists only of spaces.
                if k == parts.count - 1, let p = s.lastIndex(of: 10), s[(p + 1)...].allSatisfy({ $0 == 32 }) {
                    s.removeSubrange((p + 1)...)
                }
                if !s.isEmpty { out.append(tree.addString(s, range(start, end))) }
            }
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
