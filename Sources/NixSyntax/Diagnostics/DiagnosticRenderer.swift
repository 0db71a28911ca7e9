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
                if note.omittedDuplicates > 0 {
                    out += "\n       (\(note.omittedDuplicates) duplicate frames omitted)\n"
                    continue
                }
                out += "\n       … " + note.message
                if let span = note.span { out += "\n" + renderLocation(span, atIndent: "         ") }
                out += "\n"
            }
            if d.truncated {
                out += "\n       (stack trace truncated; use '--show-trace' to show the full, detailed trace)\n"
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
            out += "\n" + codeLine(prefix, line - 1, excerpt(prev, around: 1).text)
        }
        if let current = file.lineText(line) {
            let (text, caret) = excerpt(current, around: column)
            out += "\n" + codeLine(prefix, line, text)
            out += "\n\(prefix)      |" + String(repeating: " ", count: caret) + "^"
        }
        if let next = file.lineText(line + 1) {
            out += "\n" + codeLine(prefix, line + 1, excerpt(next, around: 1).text)
        }
        return out
    }

    /// A line as shown in an excerpt: whole if it is at most `maxExcerptBytes` long, otherwise
    /// a window of that many bytes around `column` with `…` where it was cut; and the caret's
    /// column in what is shown.
    private static func excerpt(_ line: [UInt8], around column: Int) -> (text: [UInt8], caret: Int) {
        guard line.count > maxExcerptBytes else { return (line, column) }
        let ellipsis: [UInt8] = [0xE2, 0x80, 0xA6]
        let start = max(0, min(column - 1 - maxExcerptBytes / 2, line.count - maxExcerptBytes))
        let end = start + maxExcerptBytes
        let text = (start > 0 ? ellipsis : []) + line[start..<end] + (end < line.count ? ellipsis : [])
        return (text, column - start + (start > 0 ? 1 : 0))
    }

    private static func codeLine(_ prefix: String, _ number: Int, _ text: [UInt8]) -> String {
        let digits = String(number)
        let padded = String(repeating: " ", count: max(0, 5 - digits.count)) + digits
        var end = text.count
        while end > 0 && (text[end - 1] == 32 || text[end - 1] == 9) { end -= 1 }
        if end == 0 { return "\(prefix) \(padded)|" }
        return "\(prefix) \(padded)| " + String(decoding: text[..<end], as: UTF8.self)
    }
}
