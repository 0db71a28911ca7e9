// Renders diagnostics the way C++ Nix prints errors: message, `at FILE:LINE:COL:`, code lines, caret.

/// Formats diagnostics as C++ Nix 2.26 does on a terminal without colours.
public enum DiagnosticRenderer {
    /// Longest excerpt line shown whole (C++ Nix shows every line whole; a line of a megabyte,
    /// as generated or hostile input has, is cut to a window of this many bytes around the
    /// caret, marked with `…`).
    public static let maxExcerptBytes = 1000

    /// The full text of an error, ending in a newline:
    /// ```
    /// error: syntax error, unexpected 'in'
    ///        at «stdin»:1:3:
    ///             1| a.in
    ///              |   ^
    /// ```
    ///
    /// With notes (trace lines, innermost first), C++ Nix's layout: `error:` alone, each note
    /// outermost first as `… NOTE` with its location, then the message as `error: MESSAGE`.
    public static func render(_ d: Diagnostic, severity: String = "error") -> String {
        var out = ""
        if d.notes.isEmpty {
            out += "\(severity): \(d.message)"
        } else {
            out += "\(severity):"
            for note in d.notes.reversed() {
                out += "\n       … " + note.message
                if let span = note.span { out += "\n" + renderLocation(span, atIndent: "         ") }
                out += "\n"
            }
            out += "\n       \(severity): \(d.message)"
        }
        if let span = d.span {
            out += "\n" + renderLocation(span)
        }
        out += "\n"
        return out
    }

    /// The `at FILE:LINE:COL:` line and the code excerpt, without a trailing newline.
    public static func renderLocation(_ span: Span, atIndent: String = "       ") -> String {
        let prefix = "       "
        let (line, column) = span.startLocation
        var out = "\(atIndent)at \(span.file.origin.displayName):\(line):\(column):"
        let file = span.file
        if line > 1, let prev = file.lineText(line - 1) {
            out += "\n" + codeLine(prefix, line - 1, prev)
        }
        if let current = file.lineText(line) {
            var shown = current[...]
            var caret = column
            var cutBefore = false, cutAfter = false
            if current.count > maxExcerptBytes {
                let start = max(0, min(column - 1 - maxExcerptBytes / 2, current.count - maxExcerptBytes))
                shown = current[start..<(start + maxExcerptBytes)]
                cutBefore = start > 0
                cutAfter = start + maxExcerptBytes < current.count
                caret = column - start + (cutBefore ? 1 : 0)
            }
            let marked = (cutBefore ? [0xE2, 0x80, 0xA6] : []) + Array(shown) + (cutAfter ? [0xE2, 0x80, 0xA6] : [])
            out += "\n" + codeLine(prefix, line, marked)
            out += "\n\(prefix)      |" + String(repeating: " ", count: caret) + "^"
        }
        if let next = file.lineText(line + 1) {
            out += "\n" + codeLine(prefix, line + 1, next)
        }
        return out
    }

    private static func codeLine(_ prefix: String, _ number: Int, _ whole: [UInt8]) -> String {
        let text = whole.count > maxExcerptBytes ? Array(whole[..<maxExcerptBytes]) + [0xE2, 0x80, 0xA6] : whole
        let digits = String(number)
        let padded = String(repeating: " ", count: max(0, 5 - digits.count)) + digits
        var end = text.count
        while end > 0 && (text[end - 1] == 32 || text[end - 1] == 9) { end -= 1 }
        if end == 0 { return "\(prefix) \(padded)|" }
        return "\(prefix) \(padded)| " + String(decoding: text[..<end], as: UTF8.self)
    }
}
