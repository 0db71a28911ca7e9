// Checked conversions of values for commands (nix-instantiate's search for derivations): C++
// Nix's `forceStringNoCtx`, `coerceToPath` and `forceBool` with their messages and a trace note.

import NixSyntax

extension Evaluator {
    /// The text of a value that must be a string without context (`forceStringNoCtx`);
    /// errors get `note` (e.g. "while evaluating the 'name' attribute of a derivation").
    public func stringWithoutContext(_ v: Value, note: String) throws -> String {
        try noting(note) {
            let s = try force(v)
            guard s.isObject(.string) else {
                throw EvalError(.other, "expected a string but found \(vm.describe(s)): \(try vm.printForError(s))")
            }
            try vm.requireNoContext(s.asString, span: nil)
            return s.asString.text
        }
    }

    /// The text of a value coerced as C++ Nix's `coerceToPath` does (a path stays its own
    /// text, not copied to the store); errors get `note`.
    public func coerceToPathText(_ v: Value, note: String) throws -> String {
        try noting(note) {
            let forced = try force(v)
            if let s = try vm.coerceSimple(forced, mode: .plain, span: nil) { return s.asString.text }
            return try vm.runNative(CoerceToStringFrame(forced, span: nil, mode: .plain)).asString.text
        }
    }

    /// The value of a Boolean (`forceBool`); errors get `note`.
    public func bool(_ v: Value, note: String) throws -> Bool {
        try noting(note) {
            let b = try force(v)
            if b == .true { return true }
            if b == .false { return false }
            throw EvalError(.other, "expected a Boolean but found \(vm.describe(b)): \(try vm.printForError(b))")
        }
    }

    /// An evaluation error with `note` added to its trace.
    public func error(_ message: String, note: String? = nil) -> EvalError {
        var e = EvalError(.other, message)
        if let note { e.trace.append(DiagnosticNote(message: note, span: nil)) }
        return e
    }

    private func noting<T>(_ note: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var e as EvalError {
            e.trace.append(DiagnosticNote(message: note, span: nil))
            throw e
        }
    }
}
