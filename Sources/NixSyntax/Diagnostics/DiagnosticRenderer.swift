// Renders diagnostics the way C++ Nix prints errors: message, `at FILE:LINE:COL:`, code lines, caret.

/// Formats diagnostics as C++ Nix 2.26 does on a terminal without colours.
public enum DiagnosticRenderer {
    /// The full text of an error, ending in a newline:
    /// ```
    /// error: syntax error, unexpected 'in'
    ///        at «stdin»:1:3:
    ///             1| a.in
    ///              |   ^
    /// ```
    public static func render(_ d: Diagnostic, severity: String = "error") -> String {
        var out = ""
        out += "\(severity): \(d.message)"
        if let span = d.span {
            out += "\n" + renderLocation(span)
        }
        for note in d.notes {
            out += "\n\n" + note.message
            if let span = note.span { out += "\n" + renderLocation(span) }
        }
        out += "\n"
        return out
    }

    /// The `at FILE:LINE:COL:` line and the code excerpt, without a trailing newline.
    public static func renderLocation(_ span: Span) -> String {
        let prefix = "       "
        let (line, column) = span.startLocation
        var out = "\(prefix)at \(span.file.origin.displayName):\(line):\(column):"
        let file = span.file
        if line > 1, let prev = file.lineText(line - 1) {
            out += "\n" + codeLine(prefix, line - 1, prev)
        }
        if let current = file.lineText(line) {
            out += "\n" + codeLine(prefix, line, current)
            out += "\n\(prefix)      |" + String(repeating: " ", count: column) + "^"
        }
        if let next = file.lineText(line + 1) {
            out += "\n" + codeLine(prefix, line + 1, next)
        }
        return out
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
