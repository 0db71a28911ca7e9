// The compiler: AST → bytecode prototypes, with scopes resolved at compile time (locals, captures, `with`).

import NixSyntax

/// A variable as the compiler tracks it: a name, or the hidden scope value of a `with`.
enum VariableKey: Hashable {
    case name(Symbol)
    case with(Int)
    case hidden(Int)
}

enum Resolution {
    case local(Int)
    case upvalue(Int)
}

/// Compilation state of one prototype (a lambda or thunk body).
final class FunctionState {
    let proto: Proto
    let parent: FunctionState?
    /// Visible locals in order of declaration, with the slot each one shadowed (-1: none).
    private(set) var locals: [(key: VariableKey, slot: Int, shadowed: Int)] = []
    /// The slot of the innermost visible local of each key.
    private(set) var slotsByKey = KeyMap()

    func addLocal(_ key: VariableKey, slot: Int) {
        let previous = slotsByKey.set(key.packed, slot) ?? -1
        locals.append((key, slot, previous))
    }

    func removeLocals(_ count: Int) {
        for _ in 0..<count {
            let l = locals.removeLast()
            slotsByKey.set(l.key.packed, l.shadowed)
        }
    }

    func slot(of key: VariableKey) -> Int? {
        guard let s = slotsByKey.find(key.packed), s >= 0 else { return nil }
        return s
    }

    var depth = 0
    var captureIndex = KeyMap()
    /// `with` scopes that are active (lexically) at this point, innermost last.
    var withScopes: [Int]
    /// The previous instruction, or nil after a jump target (used to drop redundant `force`s).
    var lastOp: Op? = nil

    init(proto: Proto, parent: FunctionState?, withScopes: [Int]) {
        self.proto = proto
        self.parent = parent
        self.withScopes = withScopes
    }
}

/// Compiles syntax trees into prototypes registered with a `Program`.
struct Compiler {
    let tree: SyntaxTree
    let program: Program
    var fs: FunctionState
    var nextHiddenID = 0
    /// The name of the binding whose value is being compiled, given to a lambda there (C++ Nix
    /// names functions after the attribute they are bound to, for error messages).
    var lambdaName: Symbol? = nil

    init(tree: SyntaxTree, program: Program, root: FunctionState) {
        self.tree = tree
        self.program = program
        self.fs = root
    }

    /// Compiles a whole file into a thunk-like prototype with no captures; returns its index.
    static func compile(tree: SyntaxTree, program: Program) throws -> Int {
        program.compiledCaptures = 0
        let proto = Proto(tree: tree, isLambda: false, span: tree.ranges[Int(tree.root.raw)])
        let state = FunctionState(proto: proto, parent: nil, withScopes: [])
        var c = Compiler(tree: tree, program: program, root: state)
        try c.compile(tree.root)
        c.emit(.force)
        c.emit(.ret)
        return program.register(proto)
    }

    /// Compiles a file for `scopedImport`: a function of the scope set whose names are
    /// variables of the file, shadowing the global scope (as C++ Nix's static environment of
    /// the scope does). Each variable is the set's attribute value, unforced.
    static func compileScoped(tree: SyntaxTree, program: Program, scope names: [Symbol]) throws -> Int {
        program.compiledCaptures = 0
        let range = tree.ranges[Int(tree.root.raw)]
        let proto = Proto(tree: tree, isLambda: true, span: range)
        let state = FunctionState(proto: proto, parent: nil, withScopes: [])
        var c = Compiler(tree: tree, program: program, root: state)
        c.fs.depth = 1
        c.fs.addLocal(c.hiddenKey(), slot: 0)
        for (k, name) in names.enumerated() {
            c.emit(.loadLocal, 0)
            c.mark(range)
            c.emit(.select, c.symbolOperand(name))
            c.fs.addLocal(.name(name), slot: k + 1)
        }
        try c.compile(tree.root)
        c.emit(.force)
        c.emit(.ret)
        return program.register(proto)
    }

    // MARK: - Emission

    /// Emits an instruction with up to two operands (no array is built per instruction).
    mutating func emit(_ op: Op, _ a: Int32? = nil, _ b: Int32? = nil) {
        if op == .force, let last = fs.lastOp, Compiler.producesForcedValue(last) { return }
        fs.lastOp = op
        fs.proto.code.append(Int32(op.rawValue))
        if let a { fs.proto.code.append(a) }
        if let b { fs.proto.code.append(b) }
        switch op {
        case .constant, .loadLocal, .loadUpvalue, .makeThunk, .makeClosure: fs.depth += 1
        case .dup2: fs.depth += 2
        case .assertEqual: fs.depth -= 3
        case .pop, .call, .add, .sub, .mul, .div, .less, .lessEq, .greater, .greaterEq, .equal, .notEqual,
             .concatLists, .update, .jumpIfFalse, .assertCheck, .checkFormals:
            fs.depth -= 1
        case .popUnder: fs.depth -= Int(a ?? 0)
        case .concatStrings: fs.depth -= Int(a ?? 0) - 1
        case .makeList: fs.depth -= Int(a ?? 0) - 1
        case .makeAttrs: fs.depth -= Int(a ?? 0) - 1
        case .insertDynamic: fs.depth -= 2
        default: break
        }
    }

    /// Instructions whose result is never a thunk.
    static func producesForcedValue(_ op: Op) -> Bool {
        switch op {
        case .constant, .makeClosure, .call, .force, .add, .sub, .mul, .div, .less, .lessEq, .greater,
             .greaterEq, .equal, .notEqual, .not, .concatLists, .update, .concatStrings, .makeList,
             .makeAttrs, .hasAttrFinal, .coerceForInterpolation:
            return true
        default:
            return false
        }
    }

    mutating func mark(_ id: ExprID) {
        let r = tree.ranges[Int(id.raw)]
        mark(r)
    }

    mutating func mark(_ r: SourceRange) {
        fs.proto.spans.append((Int32(fs.proto.code.count), r))
    }

    var here: Int32 { Int32(fs.proto.code.count) }

    /// Emits a jump with a placeholder target; returns the operand position to patch.
    mutating func emitJump(_ op: Op, _ leading: Int32? = nil) -> Int {
        fs.proto.code.append(Int32(op.rawValue))
        if let leading { fs.proto.code.append(leading) }
        fs.proto.code.append(-1)
        fs.lastOp = nil
        if op == .jumpIfFalse { fs.depth -= 1 }
        return fs.proto.code.count - 1
    }

    mutating func patch(_ at: Int) {
        fs.proto.code[at] = here
        fs.lastOp = nil
    }

    mutating func constant(_ v: Value) {
        fs.proto.constants.append(v)
        emit(.constant, Int32(fs.proto.constants.count - 1))
    }

    func symbolOperand(_ s: Symbol) -> Int32 { Int32(bitPattern: s.id) }

    // MARK: - Variables

    func resolve(_ key: VariableKey, in state: FunctionState) -> Resolution? {
        if let slot = state.slot(of: key) { return .local(slot) }
        if let i = state.captureIndex.find(key.packed) { return .upvalue(i) }
        guard let parent = state.parent, let r = resolve(key, in: parent) else { return nil }
        let source: CaptureSource
        switch r {
        case .local(let s): source = .local(s)
        case .upvalue(let i): source = .upvalue(i)
        }
        state.proto.captures.append(source)
        program.compiledCaptures += 1
        let index = state.proto.captures.count - 1
        state.captureIndex.set(key.packed, index)
        return .upvalue(index)
    }

    mutating func load(_ r: Resolution) {
        switch r {
        case .local(let s): emit(.loadLocal, Int32(s))
        case .upvalue(let i): emit(.loadUpvalue, Int32(i))
        }
    }

    /// The most captured variables one file may need. Flat closures make each nested function
    /// capture every outer variable used inside it, so `x0: x1: … x0 + x1 + …` needs
    /// depth²/2 captures: past this bound such an input is refused instead of taking minutes
    /// and gigabytes to compile (C++ Nix's parser fails on much shallower nesting).
    static let maxCaptures = 10_000_000

    mutating func compileVariable(_ name: Symbol, _ id: ExprID) throws {
        if let r = resolve(.name(name), in: fs) {
            if program.compiledCaptures > Compiler.maxCaptures {
                throw EvalError(.other, "expression is too complex (more than \(Compiler.maxCaptures) variables captured by nested functions)", span: tree.span(id))
            }
            load(r)
            return
        }
        if let g = program.global(name) {
            constant(g)
            return
        }
        // Not bound and no `with` around: the scope check accepted it, so it is one of C++ Nix's
        // global names that Swix lacks. It fails when evaluated, not when compiled, so that
        // files mentioning it still load.
        compileWithLookup(name, tree.ranges[Int(id.raw)])
    }

    /// Looks `name` up in the enclosing `with` scopes, innermost first, at run time.
    mutating func compileWithLookup(_ name: Symbol, _ range: SourceRange) {
        var exits: [Int] = []
        for w in fs.withScopes.reversed() {
            guard let r = resolve(.with(w), in: fs) else { continue }
            load(r)
            mark(range)
            emit(.force)
            mark(range)
            exits.append(emitJump(.withLookup, symbolOperand(name)))
            fs.depth -= 1
        }
        mark(range)
        emit(.undefinedVariable, symbolOperand(name))
        for e in exits { patch(e) }
        fs.depth += 1
    }

    /// Declares a local for the `pending`-th value pushed from now on (0: the next one).
    mutating func declare(_ key: VariableKey, pending: Int) -> Int {
        let slot = fs.depth + pending
        fs.addLocal(key, slot: slot)
        return slot
    }

    mutating func endScope(_ count: Int) {
        fs.removeLocals(count)
    }

    // MARK: - Nested prototypes

    /// Compiles `body` as a separate prototype; returns its index and capture list.
    mutating func compileNested(isLambda: Bool, span: SourceRange, _ body: (inout Compiler) throws -> Void) throws -> Int {
        let proto = Proto(tree: tree, isLambda: isLambda, span: span)
        let state = FunctionState(proto: proto, parent: fs, withScopes: fs.withScopes)
        let saved = fs
        fs = state
        defer { fs = saved }
        try body(&self)
        return program.register(proto)
    }

    /// Compiles an expression in a lazy position (attribute value, list element, argument,
    /// binding): literals and lexically bound or global variables directly, anything else as a
    /// thunk. `ownSlot` is the slot being initialised in a recursive scope: variables bound at or
    /// after it are not initialised yet and must be read lazily.
    @discardableResult
    mutating func compileLazy(_ id: ExprID, ownSlot: Int? = nil) throws -> Int? {
        switch tree[id] {
        case .int, .float, .string, .path:
            try compile(id)
            return nil
        case .list(let elements) where tree.exprs(elements).isEmpty:
            // C++ Nix shares one empty list value: it is never a thunk.
            constant(program.emptyList)
            return nil
        case .variable(let name):
            if let r = resolve(.name(name), in: fs) {
                if case .local(let s) = r, let own = ownSlot, s >= own { break }
                load(r)
                return nil
            }
            if let g = program.global(name) {
                constant(g)
                return nil
            }
        default:
            break
        }
        let index = try compileNested(isLambda: false, span: tree.ranges[Int(id.raw)]) { c in
            try c.compile(id)
            c.emit(.force)
            c.emit(.ret)
        }
        emit(.makeThunk, Int32(index))
        return index
    }

    /// Whether the prototype captures one of the locals in `range` (then it needs `finalise`).
    func capturesAny(_ protoIndex: Int, slots range: Range<Int>) -> Bool {
        program.protos[protoIndex].captures.contains { c in
            if case .local(let s) = c { return range.contains(s) }
            return false
        }
    }

}
