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
    /// Context lines shown with `--show-trace` (innermost first). Built while the error
    /// unwinds (`VM.unwind`, `VM.completeBuiltin`); see Documentation/Diagnostics.md.
    public var trace: [DiagnosticNote] = []
    /// The error has no position of its own (as C++ Nix's builtin errors): unwinding must not
    /// give it the position of the expression that led to it.
    var positionFinal = false
    /// Raised while checking a lambda's formals, before C++ Nix's "while calling" frame starts:
    /// the innermost call frame adds only its "from call site" line.
    var beforeLambdaBody = false
    /// The "from call site" line of that call is collected without `--show-trace` too.
    var callSiteAlwaysShown = false
    /// The value a builtin's type check rejected (its bits), to name the argument it came from.
    var rejectedValue: UInt64? = nil

    public init(_ kind: Kind = .other, _ message: String, span: Span? = nil) {
        self.kind = kind
        self.message = message
        self.span = span
    }

    static func undefinedVariable(_ name: String, span: Span) -> EvalError {
        EvalError(.other, "undefined variable '\(name)'", span: span)
    }

    /// Adds a trace line (the error is unwinding outwards, so after the lines already there).
    mutating func addTrace(_ message: String, _ span: Span?, showTraceOnly: Bool = false, alwaysShown: Bool = false) {
        trace.append(DiagnosticNote(message: message, span: span, alwaysShown: alwaysShown, showTraceOnly: showTraceOnly))
    }

    /// The error as a diagnostic for rendering, with the trace lines C++ Nix 2.26 prints
    /// (`showErrorInfo`): without `--show-trace`, lines are printed outermost first until their
    /// count passes 3 (a line with a position counts twice), then only `alwaysShown` ones, and
    /// the trace is marked truncated. Repeated lines are folded either way.
    public func diagnostic(showTrace: Bool) -> Diagnostic {
        var shown: [DiagnosticNote] = []
        var count = 0
        var truncated = false
        var seen = Set<NoteKey>()
        var skipped: [DiagnosticNote] = []
        func flushSkipped() {
            if skipped.isEmpty { return }
            if skipped.count <= 5 {
                for n in skipped { shown.append(n); count += n.span == nil ? 1 : 2 }
            } else {
                shown.append(DiagnosticNote(message: "", span: nil, omittedDuplicates: skipped.count))
            }
            skipped = []
        }
        for note in trace.reversed() where !note.message.isEmpty {
            if !showTrace && note.showTraceOnly { continue }
            if !showTrace && count > 3 { truncated = true }
            guard !truncated || note.alwaysShown else { continue }
            let key = NoteKey(note)
            if seen.contains(key) {
                skipped.append(note)
                continue
            }
            seen.insert(key)
            flushSkipped()
            shown.append(note)
            count += note.span == nil ? 1 : 2
        }
        flushSkipped()
        return Diagnostic(code: .evaluationError, message: message, span: span, notes: shown.reversed(), truncated: truncated)
    }
}

/// What makes two trace lines the same for folding repeats (C++ Nix compares position and text).
private struct NoteKey: Hashable {
    let message: String
    let file: String?
    let start: Int
    init(_ n: DiagnosticNote) {
        message = n.message
        file = n.span?.file.origin.displayName
        start = n.span.map { Int($0.start) } ?? -1
    }
}
