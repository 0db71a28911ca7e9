// A program: the heap, symbols, compiled prototypes and global values shared by one evaluation.

import NixStore
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
    /// Store paths of the files and directories copied to the store so far, by absolute path
    /// (C++ Nix's `srcToStore`); holds no Nix values.
    var copiedPaths: [String: StorePath] = [:]
    /// The store directory of `settings.storeDir`.
    private(set) lazy var storeDirectory = StoreDirectory(settings.storeDir)
    /// Compiled `builtins.match`/`builtins.split` patterns (no Nix values inside).
    var regexCache: [[UInt8]: RegexProgram] = [:]
    /// The pattern compiled or found last, checked before the cache.
    var lastRegex: (key: [UInt8], program: RegexProgram)? = nil
    /// The derivations made so far, with their hashes (no Nix values inside).
    var derivations = DerivationRegistry()
    /// The store objects made so far, when `settings.recordStoreObjects` is set.
    var storeObjects = StoreObjectLog()
    let settings: EvalSettings
    let names: CommonSymbols
    /// The call depth at which calls leave the VM's inline fast paths for `callTop`, which
    /// reports the error: `settings.maxCallDepth`, or 0 once the heap has gone past its limit
    /// (so a heap limit costs the hot paths nothing: they compare against this already).
    var callDepthLimit: Int
    /// Captures made while compiling the current file (`Compiler.maxCaptures`).
    var compiledCaptures = 0
    #if SWIX_FUZZ
    /// Fuzzing builds only: calls left before evaluation stops (`VM.countCall`).
    var callBudget = 200_000
    #endif

    init(symbols: SymbolTable, settings: EvalSettings) {
        self.symbols = symbols
        self.settings = settings
        self.names = CommonSymbols(symbols)
        self.builtins = BuiltinTable.standard
        self.callDepthLimit = settings.maxCallDepth
        heap.maxBytes = settings.maxHeapBytes ?? Int.max
        installGlobals()
        heap.onExhausted = { [unowned self] in self.callDepthLimit = 0 }
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

    /// The names the scope check of an imported file accepts as globals: C++ Nix's global names
    /// (those Swix lacks fail when evaluated) and this program's globals.
    private(set) lazy var allowedRoots: [String] = computeAllowedRoots()

    private(set) lazy var scopeCheckGlobals: Set<Symbol> = GlobalNames.symbols(in: symbols).union(globals.keys)

    /// The value of a builtin by name (for builtins that return other builtins lazily).
    func builtinValue(_ name: String) -> Value {
        guard let i = builtins.indexByName[name] else { preconditionFailure("no builtin named \(name)") }
        return .builtin(i)
    }

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

    /// Positions of attributes, by the index kept in attribute keys (see `NixAttrs`); index 0
    /// means "unknown".
    private(set) var attrPositions: [Span] = []

    /// Records an attribute's position; the result goes into the attribute's key.
    func registerAttrPosition(_ span: Span) -> UInt32 {
        if attrPositions.isEmpty { attrPositions.append(span) }
        // Beyond 2^32 positions new attributes get none (not reachable in practice).
        guard attrPositions.count < Int(UInt32.max) else { return 0 }
        attrPositions.append(span)
        return UInt32(attrPositions.count - 1)
    }

    /// The position of an attribute as `unsafeGetAttrPos` returns it (null when unknown).
    func attrPositionValue(_ index: UInt32) -> Value {
        guard index != 0, Int(index) < attrPositions.count else { return .null }
        return positionAttrs(attrPositions[Int(index)])
    }

    /// `{ file, line, column }` for `__curPos` and `unsafeGetAttrPos`; null for a source that is
    /// not a file (`-E`, standard input), as C++ Nix gives.
    func positionAttrs(_ span: Span) -> Value {
        let loc = span.startLocation
        guard let path = span.file.origin.positionPath else { return .null }
        let file = heap.string(path)
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
    let path, allOutputs, outputs: Symbol
    init(_ s: SymbolTable) {
        path = s.intern("path")
        allOutputs = s.intern("allOutputs")
        outputs = s.intern("outputs")
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
    /// The most bytes the evaluator's heap may take from the system (`--max-heap`); nil: no
    /// limit. Going past it is an "out of memory" evaluation error, located at the call or
    /// allocation that went past it.
    public var maxHeapBytes: Int? = nil
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
    /// `--restrict-eval`: file access only below the search path entries.
    public var restrictEval: Bool = false
    /// `--abort-on-warn`: a warning is an error.
    public var abortOnWarn: Bool = false
    /// The `parse-toml-timestamps` experimental feature: `fromTOML` returns dates and times as
    /// `{ _type = "timestamp"; value = …; }` instead of failing.
    public var parseTOMLTimestamps: Bool = false
    /// `--trace-verbose`: `builtins.traceVerbose` traces.
    public var traceVerbose: Bool = false
    /// The value of `builtins.currentTime` (seconds since the epoch, read when evaluation starts).
    public var currentTime: Int64? = nil
    /// File-system and environment access.
    public var io: any EvalIO = SystemIO(environment: [:])
    /// Whether the objects put into the store (copied paths, `toFile` texts, `.drv` files) are
    /// recorded for writing (`Evaluator.takeStoreObjects`); off, only their paths are computed.
    public var recordStoreObjects: Bool = false
    public init() {}
}
