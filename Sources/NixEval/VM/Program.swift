// A program: the heap, symbols, compiled prototypes and global values shared by one evaluation.

import NixSyntax

/// Owns everything that lives as long as an evaluation: the heap, the symbol table, every
/// compiled prototype and the global scope.
public final class Program {
    public let heap = Heap()
    public let symbols: SymbolTable
    var protos: [Proto] = []
    var globals: [Symbol: Value] = [:]
    private var stringConstants: [[UInt8]: Value] = [:]
    let builtins: BuiltinTable
    /// Files already imported, by absolute path (C++ Nix caches `import` results).
    var importCache: [String: Value] = [:]
    let settings: EvalSettings
    let names: CommonSymbols

    init(symbols: SymbolTable, settings: EvalSettings) {
        self.symbols = symbols
        self.settings = settings
        self.names = CommonSymbols(symbols)
        self.builtins = BuiltinTable.standard
        installGlobals()
    }

    /// Plain-data view of every prototype for the dispatch loop (no reference counting).
    private(set) var runtime: UnsafeMutablePointer<ProtoRuntime> = .allocate(capacity: 64)
    private var runtimeCapacity = 64

    deinit {
        runtime.deallocate()
    }

    /// Where sealed bytecode lives.
    let codeArena = CodeArena()

    func register(_ proto: Proto) -> Int {
        proto.seal(into: codeArena)
        protos.append(proto)
        if protos.count > runtimeCapacity {
            let bigger = UnsafeMutablePointer<ProtoRuntime>.allocate(capacity: runtimeCapacity * 2)
            bigger.moveInitialize(from: runtime, count: protos.count - 1)
            runtime.deallocate()
            runtime = bigger
            runtimeCapacity *= 2
        }
        (runtime + protos.count - 1).initialize(to: ProtoRuntime(proto))
        return protos.count - 1
    }

    func global(_ name: Symbol) -> Value? { globals[name] }

    /// The shared empty list.
    private(set) lazy var emptyList: Value = heap.list([])

    /// Shared string values of symbol names, by symbol id (`.uninitialised` until made).
    private var symbolStrings: [Value] = []

    /// A shared string value with a symbol's name.
    func symbolString(_ s: Symbol) -> Value {
        let id = Int(s.id)
        if id < symbolStrings.count && symbolStrings[id] != .uninitialised { return symbolStrings[id] }
        if id >= symbolStrings.count {
            symbolStrings += [Value](repeating: .uninitialised, count: max(id + 1, symbols.count) - symbolStrings.count)
        }
        let v = heap.string(symbols.bytes(s))
        NixString(v).setCachedSymbol(s)
        symbolStrings[id] = v
        return v
    }

    /// One shared heap string per distinct literal.
    func internedString(_ bytes: [UInt8]) -> Value {
        if let v = stringConstants[bytes] { return v }
        let v = heap.string(bytes)
        stringConstants[bytes] = v
        return v
    }

    /// `{ file, line, column }` for `__curPos` and `unsafeGetAttrPos`.
    func positionAttrs(_ span: Span) -> Value {
        let loc = span.startLocation
        let file: Value
        switch span.file.origin {
        case .file(let path): file = heap.string(path)
        default: file = heap.string(span.file.origin.displayName)
        }
        return heap.attrs([
            (symbols.intern("file"), file),
            (symbols.intern("line"), .smallInt(Int64(loc.line))),
            (symbols.intern("column"), .smallInt(Int64(loc.column))),
        ])
    }
}

/// What the VM needs of a prototype on every instruction, as plain pointers.
struct ProtoRuntime {
    let code: UnsafeMutablePointer<Int32>
    let constants: UnsafeMutablePointer<Value>
    /// Capture sources: `s >= 0` is local slot `s`, `s < 0` is upvalue `-s - 1`.
    let captures: UnsafeMutablePointer<Int32>
    let captureCount: Int

    init(_ p: Proto) {
        code = p.codePointer.unsafelyUnwrapped
        constants = p.constantsPointer.unsafelyUnwrapped
        captures = p.capturePointer.unsafelyUnwrapped
        captureCount = p.captures.count
    }
}

/// Symbols the evaluator refers to by name.
struct CommonSymbols {
    let outPath, toStringAttr, functor, type, drvPath, name, value, success, file, line, column, body: Symbol
    let derivation: Symbol
    init(_ s: SymbolTable) {
        outPath = s.intern("outPath")
        toStringAttr = s.intern("__toString")
        functor = s.intern("__functor")
        type = s.intern("type")
        drvPath = s.intern("drvPath")
        name = s.intern("name")
        value = s.intern("value")
        success = s.intern("success")
        file = s.intern("file")
        line = s.intern("line")
        column = s.intern("column")
        body = s.intern("body")
        derivation = s.intern("derivation")
    }
}

/// Settings of an evaluation, from the command line or the embedding application.
public struct EvalSettings: Sendable {
    /// Maximum number of nested function calls before an error.
    public var maxCallDepth: Int = 2_000_000
    /// Search path entries (`-I`, `NIX_PATH`), as (prefix, path); an empty prefix matches everything.
    public var searchPath: [(prefix: String, path: String)] = []
    /// Environment visible to `getEnv`.
    public var environment: [String: String] = [:]
    public var homeDirectory: String = "/"
    /// The directory relative search-path entries resolve against.
    public var currentDirectory: String = "/"
    public var storeDir: String = "/nix/store"
    public var currentSystem: String = "x86_64-linux"
    public var pureEval: Bool = false
    /// File-system and environment access.
    public var io: any EvalIO = SystemIO(environment: [:])
    public init() {}
}
