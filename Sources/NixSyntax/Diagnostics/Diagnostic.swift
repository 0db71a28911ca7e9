// Diagnostics as data: a stable code, a message, a primary span and notes. Rendering is separate.

/// A stable identifier for each kind of diagnostic, so tools and tests can match on kind.
public enum DiagnosticCode: String, Sendable {
    case syntaxError = "syntax-error"
    case duplicateAttribute = "duplicate-attribute"
    case duplicateFormal = "duplicate-formal"
    case undefinedVariable = "undefined-variable"
    case dynamicAttributeInLet = "dynamic-attribute-in-let"
    case dynamicAttributeInInherit = "dynamic-attribute-in-inherit"
    case invalidInteger = "invalid-integer"
    case invalidFloat = "invalid-float"
    case pathTrailingSlash = "path-trailing-slash"
    case nestingTooDeep = "nesting-too-deep"
    case nulByte = "nul-byte"
    case evaluationError = "evaluation-error"
}

/// A secondary message attached to a diagnostic (rendered after it).
public struct DiagnosticNote: Sendable {
    public var message: String
    public var span: Span?
    /// Shown without `--show-trace` too (C++ Nix's `TracePrint::Always`, `addErrorContext`).
    public var alwaysShown: Bool
    public init(message: String, span: Span?, alwaysShown: Bool = false) {
        self.message = message
        self.span = span
        self.alwaysShown = alwaysShown
    }
}

/// A problem found in a Nix program, with where it happened.
public struct Diagnostic: Error, Sendable {
    public var code: DiagnosticCode
    public var message: String
    public var span: Span?
    public var notes: [DiagnosticNote]

    public init(code: DiagnosticCode, message: String, span: Span?, notes: [DiagnosticNote] = []) {
        self.code = code
        self.message = message
        self.span = span
        self.notes = notes
    }
}
