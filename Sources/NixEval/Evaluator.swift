// The public entry point of NixEval: evaluate Nix source to values and print them.

import NixSyntax

/// Evaluates Nix expressions. One evaluator owns one heap; values it returns stay valid as
/// long as the evaluator lives.
public final class Evaluator {
    public let symbols: SymbolTable
    let program: Program
    let vm: VM
    /// Receives `trace:` lines and warnings.
    public var diagnostics: (String) -> Void

    public init(settings: EvalSettings = EvalSettings(), symbols: SymbolTable = SymbolTable(), diagnostics: @escaping (String) -> Void = { _ in }) {
        self.symbols = symbols
        self.diagnostics = diagnostics
        program = Program(symbols: symbols, settings: settings)
        var sink: ((String) -> Void)? = nil
        vm = VM(program: program, diagnostics: { sink?($0) })
        sink = { [unowned self] in self.diagnostics($0) }
    }

    /// The global names of this evaluator (for scope checking).
    public var globalNames: Set<Symbol> { Set(program.globals.keys) }

    /// Throws the error of pure or restricted evaluation mode when `path` (absolute) may not be
    /// read; files named on a command line are checked as the files an evaluation reads.
    public func checkAccess(_ path: String) throws {
        try vm.checkAccess(String(decoding: PathUtilities.canonical(Array(path.utf8)), as: UTF8.self), span: nil)
    }

    /// Parses, checks and compiles `source`, returning its (unevaluated) value.
    public func load(_ source: SourceFile) throws -> Value {
        let tree = try NixFrontEnd.parse(source, symbols: symbols, options: ParseOptions(homeDirectory: program.settings.homeDirectory))
        let proto = try onLargeStack { try Compiler.compile(tree: tree, program: self.program) }
        return heap.codeThunk(proto: proto, captureCount: 0).value
    }

    var heap: Heap { program.heap }

    /// Forces a value to weak head normal form.
    public func force(_ v: Value) throws -> Value {
        try vm.force(v)
    }

    /// Forces a value and everything it contains.
    public func forceDeep(_ v: Value) throws -> Value {
        try vm.runNative(DeepForceFrame(v))
    }

    /// Calls a function value with one argument.
    public func call(_ f: Value, _ x: Value) throws -> Value {
        try vm.runNative(CallFrame(try force(f), x))
    }

    /// Selects `name` from a set, forcing the set.
    public func select(_ v: Value, _ name: String) throws -> Value? {
        let s = try force(v)
        guard s.isObject(.attrs) else {
            throw EvalError(.other, "expected a set but found \(vm.describe(s)): \(try vm.printForError(s))")
        }
        return s.asAttrs[symbols.intern(name)]
    }

    /// Element `index` of a list (nil if the value is not a list); out of range is an error.
    public func element(_ v: Value, _ index: Int) throws -> Value? {
        let l = try force(v)
        guard l.isObject(.list) else { return nil }
        guard index >= 0 && index < l.asList.count else {
            throw EvalError(.other, "list index \(index) in selection path is out of range")
        }
        return l.asList[index]
    }

    /// Calls `f` with the automatic arguments if it is a function with formals, as
    /// nix-instantiate does with `--arg`/`--argstr`.
    public func autoCall(_ v: Value, arguments: [(String, Value)]) throws -> Value {
        let f = try force(v)
        guard f.isObject(.closure) else { return f }
        let proto = program.protos[f.asClosure.protoIndex]
        guard let info = proto.formals.first else { return f }
        var entries: [(Symbol, Value)] = []
        for (name, value) in arguments {
            let sym = symbols.intern(name)
            if info.ellipsis || info.names.contains(sym) { entries.append((sym, value)) }
        }
        return try call(f, heap.attrs(entries))
    }

    /// A string value.
    public func string(_ s: String) -> Value { heap.string(s) }

    /// A string value with these bytes.
    public func string(bytes: [UInt8]) -> Value { heap.string(bytes) }

    /// The attributes of a (forced) set in name order, or nil if the value is not a set.
    public func attributes(_ v: Value) -> [(name: String, value: Value)]? {
        guard v.isObject(.attrs) else { return nil }
        let s = v.asAttrs
        return vm.nameOrder(s).map { (symbols.name(s.symbol(at: $0)), s.value(at: $0)) }
    }

    /// The elements of a (forced) list, or nil if the value is not a list.
    public func elements(_ v: Value) -> [Value]? {
        guard v.isObject(.list) else { return nil }
        let l = v.asList
        return (0..<l.count).map { l[$0] }
    }

    /// Whether a forced value is a derivation (a set whose `type` is `"derivation"`), forcing `type`.
    public func isDerivation(_ v: Value) throws -> Bool {
        guard v.isObject(.attrs), let t = v.asAttrs[program.names.type] else { return false }
        let type = try force(t)
        return type.isObject(.string) && type.asString.bytes.elementsEqual("derivation".utf8)
    }

    /// The value coerced to a string as `"${v}"` would be (`--raw` output).
    public func coerceToString(_ v: Value) throws -> [UInt8] {
        let forced = try force(v)
        if let s = try vm.coerceSimple(forced, mode: .interpolation, span: nil) { return Array(s.asString.bytes) }
        return Array(try vm.runNative(CoerceToStringFrame(forced, span: nil, mode: .interpolation)).asString.bytes)
    }

    /// The value printed as `nix-instantiate --eval` prints it.
    public func print(_ v: Value) -> [UInt8] {
        var p = ValuePrinter(vm: vm, style: .eval)
        return p.print(v)
    }

    /// The value as JSON; with `strict`, forcing everything as it goes.
    public func printJSON(_ v: Value, strict: Bool = true) throws -> [UInt8] {
        var output: [UInt8] = []
        try printJSON(v, strict: strict, into: &output)
        return output
    }

    /// Appends the value as JSON to `output`. When the JSON cannot be written (a string that is
    /// not UTF-8), what C++ Nix writes before failing is appended before the error is thrown.
    public func printJSON(_ v: Value, strict: Bool, into output: inout [UInt8]) throws {
        let serializer = JSONSerializer(v, strict: strict, span: nil)
        do {
            output += try vm.runNative(serializer).asString.bytes
        } catch {
            output += serializer.partialOutput
            throw error
        }
    }

    /// The value as `nix-instantiate --eval --xml` prints it (the whole document, ending in a
    /// newline). With `strict`, values are forced while printing; otherwise unevaluated parts
    /// print as `<unevaluated />`. `showLocation` adds lambda positions (`--no-location` off).
    public func printXML(_ v: Value, showLocation: Bool, strict: Bool = true) throws -> [UInt8] {
        var output: [UInt8] = []
        try printXML(v, showLocation: showLocation, strict: strict, into: &output)
        return output
    }

    /// Appends the XML document to `output`. When evaluation fails part-way, what C++ Nix
    /// writes before failing (the document so far, open elements closed) is appended first.
    public func printXML(_ v: Value, showLocation: Bool, strict: Bool, into output: inout [UInt8]) throws {
        let serializer = XMLSerializer(v, strict: strict, showLocation: showLocation, span: nil)
        do {
            output += try vm.runNative(serializer).asString.bytes
        } catch {
            output += serializer.partialOutput
            throw error
        }
    }
}
