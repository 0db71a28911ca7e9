// Bytecode: opcodes, compiled prototypes (one per lambda or thunk body) and their side tables.

import NixSyntax

/// VM instructions. Operands follow the opcode as extra `Int32` words.
enum Op: UInt8 {
    case constant          // k: push constants[k]
    case loadLocal         // slot
    case loadUpvalue       // index
    case pop
    case popUnder          // n: drop n values below the top value
    case force             // force the top value to weak head normal form
    case makeThunk         // proto
    case makeClosure       // proto
    case finalise          // slot: re-read the captures of the thunk/closure in slot
    case finaliseDefault   // slot, symbol: `finalise slot` when the argument set (slot 0) lacks the formal
    case call              // [f, x] -> f x
    case ret
    case jump              // target pc
    case jumpIfFalse       // target: pops a Boolean
    case jumpIfFalseKeep   // target: `&&`; keeps `false` when jumping
    case jumpIfTrueKeep    // target: `||`; keeps `true` when jumping
    case assertBool        // the top value must be a Boolean
    case not
    case negate
    case add, sub, mul, div
    case less, lessEq, greater, greaterEq
    case equal, notEqual
    case implication       // target: `a -> b`: pops a; if false pushes true and jumps
    case concatLists, update
    case coerceForInterpolation // copies: convert the forced top value to a string for `"${…}"` (copies = 1: a path becomes its store path; 0: its text, inside a path literal)
    case concatStrings     // n, isPath: concatenate n strings (a path when isPath)
    case makeList          // n
    case makeAttrs         // n, then n pairs (symbol, stack offset from the first value)
    case insertDynamic     // position: [attrs, name, value] -> attrs
    case select            // symbol: [attrs] -> value
    case selectOrJump      // symbol, target: [v] -> value, or jump with nothing pushed
    case hasAttrStep       // symbol, target: [v] -> value, or push false and jump
    case hasAttrFinal      // symbol: [v] -> Boolean
    case withLookup        // symbol, target: [scope] -> value and jump, or nothing
    case undefinedVariable // symbol
    case assertCheck       // expression index: [bool] -> (error if false)
    case checkFormals      // formals index: validate the argument set in slot 0
    case selectFormal      // symbol, target: like selectOrJump on slot 0 without forcing
    case missingArgument   // symbol
    case applyOverrides    // first slot, n, n symbols: [overrides set] -> set of the other attributes
    case dup2              // [a, b] -> [a, b, a, b]
    case assertEqual       // expression index: [a, b, a == b] -> (if false, explain the difference)
}

/// A position in bytecode, resolved to a source span only when an error needs it.
struct Site {
    let proto: Int
    let pc: Int
}

/// Where a captured variable comes from in the enclosing function.
enum CaptureSource: Equatable {
    case local(Int)
    case upvalue(Int)
}

/// The formals of a lambda, for argument checking at call time.
struct FormalsInfo {
    var names: [Symbol] { didSet { sortedNames = names.sorted() } }
    /// `names` sorted by symbol id, as attribute sets are: unexpected arguments are found in one
    /// merge walk (a function with many formals called with many arguments stays linear).
    private(set) var sortedNames: [Symbol]
    /// Each formal's position index (`Program.registerAttrPosition`), for `functionArgs`.
    var positions: [UInt32]
    var hasDefault: [Bool]
    var ellipsis: Bool
    var lambdaName: String?
    var span: Span

    init(names: [Symbol], positions: [UInt32], hasDefault: [Bool], ellipsis: Bool, lambdaName: String?, span: Span) {
        self.names = names
        self.sortedNames = names.sorted()
        self.positions = positions
        self.hasDefault = hasDefault
        self.ellipsis = ellipsis
        self.lambdaName = lambdaName
        self.span = span
    }
}

/// A compiled lambda body or thunk body.
final class Proto {
    var code: [Int32] = []
    var constants: [Value] = []
    var captures: [CaptureSource] = []
    /// Positions of failable instructions, sorted by pc.
    /// Source positions of failable instructions: (pc, start, end), sorted by pc.
    var spans: [(pc: Int32, range: SourceRange)] = []
    let source: SourceFile
    let tree: SyntaxTree
    /// `true` for lambdas (one argument in slot 0), `false` for thunks.
    let isLambda: Bool
    /// The name a lambda was bound to, for error messages.
    var name: String?
    /// The span of the whole lambda or thunk expression.
    let span: SourceRange
    var formals: [FormalsInfo] = []
    /// A lambda's argument name (`x` in `x: …` and `x@{ … }: …`), for `--xml` output.
    var argName: Symbol? = nil
    var assertions: [ExprID] = []
    /// Error-trace contexts: an error raised while running code in `start..<end` (the pc of the
    /// failing or suspended instruction) gets the line `message` at `span` (C++ Nix's
    /// "while evaluating a branch condition" and the like). Read only while unwinding.
    var traceRanges: [(start: Int32, end: Int32, message: String, span: SourceRange?)] = []

    /// Stable copies of `code` and `constants`, made when the prototype is registered.
    var codePointer: UnsafeMutablePointer<Int32>? = nil
    var constantsPointer: UnsafeMutablePointer<Value>? = nil
    var capturePointer: UnsafeMutablePointer<Int32>? = nil

    /// Copies code, constants and capture sources into `arena`, where they never move.
    func seal(into arena: CodeArena) {
        let cp = arena.allocate(Int32.self, count: captures.count)
        for (i, c) in captures.enumerated() {
            switch c {
            case .local(let s): cp[i] = Int32(s)
            case .upvalue(let u): cp[i] = -Int32(u) - 1
            }
        }
        capturePointer = cp
        let c = arena.allocate(Int32.self, count: code.count)
        c.initialize(from: code, count: code.count)
        codePointer = c
        let k = arena.allocate(Value.self, count: constants.count)
        k.initialize(from: constants, count: constants.count)
        constantsPointer = k
    }


    init(tree: SyntaxTree, isLambda: Bool, span: SourceRange) {
        self.tree = tree
        self.source = tree.source
        self.isLambda = isLambda
        self.span = span
        // Typical bodies are short: one allocation each instead of repeated growth.
        code.reserveCapacity(16)
        spans.reserveCapacity(8)
    }

    /// The source position of the instruction at `pc` (the nearest recorded one at or before it).
    func range(at pc: Int) -> SourceRange {
        var lo = 0, hi = spans.count - 1, best = -1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if Int(spans[mid].pc) <= pc { best = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        return best >= 0 ? spans[best].range : span
    }

    func spanAt(_ pc: Int) -> Span {
        let r = range(at: pc)
        return Span(file: source, start: Int(r.start), end: Int(r.end))
    }
}

/// Storage for sealed bytecode: chunks that are freed together with the program.
final class CodeArena {
    private var chunks: [UnsafeMutableRawPointer] = []
    private var cursor: UnsafeMutableRawPointer? = nil
    private var remaining = 0
    static let chunkSize = 64 * 1024

    /// Room for `count` values of an 8-byte-or-smaller trivial type, 8-byte aligned.
    func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = max((MemoryLayout<T>.stride * count + 7) & ~7, 8)
        if bytes > remaining {
            let size = max(bytes, CodeArena.chunkSize)
            let chunk = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
            chunks.append(chunk)
            cursor = chunk
            remaining = size
        }
        let p = cursor.unsafelyUnwrapped
        cursor = p + bytes
        remaining -= bytes
        return p.bindMemory(to: T.self, capacity: max(count, 1))
    }

    deinit {
        for c in chunks { c.deallocate() }
    }
}
