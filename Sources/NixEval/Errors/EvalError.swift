// Evaluation errors: what went wrong, where, and whether `tryEval` may catch it.

import NixSyntax

/// An error raised while evaluating Nix code.
public struct EvalError: Error {
    /// How an error interacts with `builtins.tryEval`.
    public enum Kind: Sendable {
        /// `throw` and failed `assert`: caught by `tryEval`.
        case catchable
        /// `abort`: never caught.
        case abort
        /// Type errors, missing attributes, infinite recursion and the rest: never caught.
        case other
    }

    public var kind: Kind
    public var message: String
    public var span: Span?
    /// Context lines shown with `--show-trace` (innermost first).
    public var trace: [DiagnosticNote] = []

    public init(_ kind: Kind = .other, _ message: String, span: Span? = nil) {
        self.kind = kind
        self.message = message
        self.span = span
    }

    static func undefinedVariable(_ name: String, span: Span) -> EvalError {
        EvalError(.other, "undefined variable '\(name)'", span: span)
    }

    /// The error as a diagnostic for rendering.
    public func diagnostic(showTrace: Bool) -> Diagnostic {
        Diagnostic(code: .evaluationError, message: message, span: span, notes: showTrace ? trace : trace.filter(\.alwaysShown))
    }
}
