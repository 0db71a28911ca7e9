// The table of builtins: one declaration per builtin (name, arity, strictness, implementation).

import NixSyntax

/// What a builtin implementation can use: the VM's heap and symbols, and where it was called.
struct BuiltinContext {
    unowned(unsafe) let vm: VM
    let site: Site?
    let name: String

    /// Where the builtin was called from.
    var span: Span? { vm.span(site) }

    var heap: Heap { vm.heap }
    var symbols: SymbolTable { vm.program.symbols }
    var program: Program { vm.program }

    /// An error at the call site.
    func error(_ message: String, _ kind: EvalError.Kind = .other) -> EvalError {
        EvalError(kind, message, span: span)
    }

    /// "expected a T but found …" errors for argument type checks.
    func typeError(expected: String, found v: Value) -> EvalError {
        let shown = (try? vm.printForError(v)) ?? ""
        return EvalError(.other, "expected \(expected) but found \(vm.describe(v)): \(shown)", span: span)
    }

    func int(_ v: Value) throws -> Int64 {
        guard let n = v.intValue else { throw typeError(expected: "an integer", found: v) }
        return n
    }
    func list(_ v: Value) throws -> NixList {
        guard v.isObject(.list) else { throw typeError(expected: "a list", found: v) }
        return v.asList
    }
    func attrs(_ v: Value) throws -> NixAttrs {
        guard v.isObject(.attrs) else { throw typeError(expected: "a set", found: v) }
        return v.asAttrs
    }
    func string(_ v: Value) throws -> NixString {
        guard v.isObject(.string) else { throw typeError(expected: "a string", found: v) }
        return v.asString
    }
    func bool(_ v: Value) throws -> Bool {
        guard v.isBool else { throw typeError(expected: "a Boolean", found: v) }
        return v == .true
    }
    func function(_ v: Value) throws -> Value {
        guard v.type == .lambda else { throw typeError(expected: "a function", found: v) }
        return v
    }
}

/// The arguments of a builtin call (read-only, valid during the call only).
struct BuiltinArguments: RandomAccessCollection {
    let base: UnsafePointer<Value>
    let count: Int
    init(base: UnsafePointer<Value>, count: Int) {
        self.base = base
        self.count = count
    }
    var startIndex: Int { 0 }
    var endIndex: Int { count }
    @inline(__always) subscript(i: Int) -> Value { base[i] }
}

/// How a builtin runs once its strict arguments are forced.
enum BuiltinBody {
    /// Computes the result directly.
    case pure((inout BuiltinContext, BuiltinArguments) throws -> Value)
    /// Needs the VM (to force or call): returns a resumable frame.
    case native((inout BuiltinContext, BuiltinArguments) throws -> any NativeFrame)
    /// Sets up the VM itself (pushes its result or the frames that compute it).
    case direct((inout BuiltinContext, BuiltinArguments) throws -> Void)
    /// Computes the result directly when it can, or returns a frame when it needs the VM.
    case valueOrFrame((inout BuiltinContext, BuiltinArguments) throws -> BuiltinOutcome)
}

/// The result of a `valueOrFrame` builtin.
enum BuiltinOutcome {
    case value(Value)
    case frame(any NativeFrame)
}

/// One builtin.
struct BuiltinDefinition {
    let name: String
    let arity: Int
    /// Bit i set: argument i is forced before the call.
    let strictArguments: UInt32
    let body: BuiltinBody
    /// Bit i set: argument i is coerced to a string (C++ Nix's `coerceToString`, calling
    /// `__toString` and reading `outPath` as needed) before the call, as `coercionModes[i]` says.
    private(set) var coercedArguments: UInt32 = 0
    private(set) var coercionModes: [CoercionMode] = []

    init(name: String, arity: Int, strictArguments: UInt32, body: BuiltinBody) {
        self.name = name
        self.arity = arity
        self.strictArguments = strictArguments
        self.body = body
    }

    /// The same builtin with argument `index` forced and coerced to a string before the call.
    func coercing(_ index: Int, _ mode: CoercionMode) -> BuiltinDefinition {
        var d = BuiltinDefinition(name: name, arity: arity, strictArguments: strictArguments | 1 << UInt32(index), body: body)
        d.coercedArguments = coercedArguments | 1 << UInt32(index)
        d.coercionModes = coercionModes.count > index ? coercionModes : coercionModes + Array(repeating: .interpolation, count: index + 1 - coercionModes.count)
        d.coercionModes[index] = mode
        return d
    }

    /// A builtin with all arguments forced.
    static func strict(_ name: String, _ arity: Int, _ f: @escaping (inout BuiltinContext, BuiltinArguments) throws -> Value) -> BuiltinDefinition {
        BuiltinDefinition(name: name, arity: arity, strictArguments: (1 << UInt32(arity)) - 1, body: .pure(f))
    }
    /// A builtin with the arguments in `strict` forced.
    static func lazy(_ name: String, _ arity: Int, strict: [Int], _ f: @escaping (inout BuiltinContext, BuiltinArguments) throws -> Value) -> BuiltinDefinition {
        BuiltinDefinition(name: name, arity: arity, strictArguments: strict.reduce(0) { $0 | 1 << UInt32($1) }, body: .pure(f))
    }
    /// A builtin that drives the VM itself (its frames are plain data).
    static func direct(_ name: String, _ arity: Int, strict: [Int], _ f: @escaping (inout BuiltinContext, BuiltinArguments) throws -> Void) -> BuiltinDefinition {
        BuiltinDefinition(name: name, arity: arity, strictArguments: strict.reduce(0) { $0 | 1 << UInt32($1) }, body: .direct(f))
    }
    /// A builtin that returns its value directly when it can, else a resumable frame.
    static func valueOrFrame(_ name: String, _ arity: Int, strict: [Int], _ f: @escaping (inout BuiltinContext, BuiltinArguments) throws -> BuiltinOutcome) -> BuiltinDefinition {
        BuiltinDefinition(name: name, arity: arity, strictArguments: strict.reduce(0) { $0 | 1 << UInt32($1) }, body: .valueOrFrame(f))
    }
    /// A builtin implemented by a resumable frame.
    static func frame(_ name: String, _ arity: Int, strict: [Int], _ f: @escaping (inout BuiltinContext, BuiltinArguments) throws -> any NativeFrame) -> BuiltinDefinition {
        BuiltinDefinition(name: name, arity: arity, strictArguments: strict.reduce(0) { $0 | 1 << UInt32($1) }, body: .native(f))
    }
}

/// All builtins, indexed by the number stored in builtin values.
struct BuiltinTable {
    let entries: [BuiltinDefinition]
    let indexByName: [String: Int]

    init(_ entries: [BuiltinDefinition]) {
        self.entries = entries
        var index: [String: Int] = [:]
        for (i, e) in entries.enumerated() { index[e.name] = i }
        indexByName = index
    }

    static let standard = BuiltinTable(
        Builtins.core + Builtins.types + Builtins.lists + Builtins.attrsets + Builtins.strings
            + Builtins.arithmetic + Builtins.control + Builtins.searchPath + Builtins.higherOrder + Builtins.bits
            + Builtins.versions + Builtins.files + Builtins.stringOps + Builtins.debug
            + Builtins.context + Builtins.regex + Builtins.formats + Builtins.derivations
            + Builtins.hashing + Builtins.store)
}

/// Namespace for the builtin definitions, one file per group.
enum Builtins {}
