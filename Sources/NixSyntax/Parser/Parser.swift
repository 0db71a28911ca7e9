// The recursive-descent parser: tokens → `SyntaxTree`, with C++ Nix's precedences and AST shapes.

/// Options for parsing.
public struct ParseOptions: Sendable {
    /// The home directory `~/…` paths resolve against.
    public var homeDirectory: String
    /// Deepest nesting of expressions accepted before a "too deeply nested" error.
    public var maxDepth: Int
    /// Longest chain of binary operators (`1 + 1 + …`, which nests to the left) accepted.
    public var maxOperatorChain: Int

    public init(homeDirectory: String = "/", maxDepth: Int = 20_000, maxOperatorChain: Int = 100_000) {
        self.homeDirectory = homeDirectory
        self.maxDepth = maxDepth
        self.maxOperatorChain = maxOperatorChain
    }
}

/// Parses Nix source into a `SyntaxTree`.
///
/// Recursion depth follows the nesting of the input and is bounded by `ParseOptions.maxDepth`;
/// callers parsing untrusted deep input should run on a thread with a large stack
/// (see `withLargeStack`).
public struct Parser {
    let tree: SyntaxTree
    let tokens: [Token]
    let lexErrors: [Int: (code: DiagnosticCode, message: String)]
    let source: SourceFile
    /// The source bytes, borrowed for the duration of `parse`.
    let bytes: UnsafeBufferPointer<UInt8>
    let symbols: SymbolTable
    let options: ParseOptions
    var index = 0
    var depth = 0
    /// Operator-chain links on the current path (each nests the tree one level deeper).
    var chainDepth = 0
    let symBody: Symbol
    let symOr: Symbol
    let symCurPos: Symbol

    /// Parses a whole source file, or throws the first syntax error as a `Diagnostic`.
    public static func parse(_ source: SourceFile, symbols: SymbolTable, options: ParseOptions = ParseOptions()) throws -> SyntaxTree {
        let stream = Lexer.tokenize(source.bytes)
        return try source.bytes.withUnsafeBufferPointer { bytes in
            var parser = Parser(source: source, bytes: bytes, symbols: symbols, stream: stream, options: options)
            let root = try parser.parseExpr()
            if parser.current.kind != .eof {
                throw parser.unexpected(expecting: ["end of file"])
            }
            parser.tree.root = root
            return parser.tree
        }
    }

    init(source: SourceFile, bytes: UnsafeBufferPointer<UInt8>, symbols: SymbolTable, stream: TokenStream, options: ParseOptions) {
        self.source = source
        self.bytes = bytes
        self.symbols = symbols
        self.tokens = stream.tokens
        self.lexErrors = stream.errors
        self.options = options
        self.tree = SyntaxTree(source: source, symbols: symbols)
        self.symBody = symbols.intern("body")
        self.symOr = symbols.intern("or")
        self.symCurPos = symbols.intern("__curPos")
    }

    // MARK: - Token access

    @inline(__always) var current: Token { tokens[index] }
    @inline(__always) func peek(_ n: Int) -> Token { tokens[min(index + n, tokens.count - 1)] }
    @inline(__always) mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    func span(_ t: Token) -> Span { Span(file: source, start: Int(t.start), end: Int(t.end)) }
    func span(range r: SourceRange) -> Span { Span(file: source, start: Int(r.start), end: Int(r.end)) }
    func range(_ start: Int32, _ end: Int32) -> SourceRange { SourceRange(start: start, end: end) }
    var previousEnd: Int32 { index > 0 ? tokens[index - 1].end : 0 }

    /// The source bytes of a token (valid while `bytes` is: the whole parse).
    func text(_ t: Token) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[Int(t.start)..<Int(t.end)])
    }

    func unexpected(expecting: [String] = []) -> Diagnostic {
        let t = current
        if t.kind == .lexError, let e = lexErrors[index] {
            return Diagnostic(code: e.code, message: e.message, span: span(t))
        }
        var message = "syntax error, unexpected \(t.kind.displayName)"
        if !expecting.isEmpty { message += ", expecting " + expecting.joined(separator: " or ") }
        return Diagnostic(code: .syntaxError, message: message, span: span(t))
    }

    mutating func expect(_ kind: TokenKind, _ expecting: [String]? = nil) throws -> Token {
        let t = current
        guard t.kind == kind else { throw unexpected(expecting: expecting ?? [kind.displayName]) }
        advance()
        return t
    }

    mutating func enter() throws {
        depth += 1
        if depth > options.maxDepth {
            throw Diagnostic(
                code: .nestingTooDeep,
                message: "expression is nested too deeply",
                span: span(current))
        }
    }

    // MARK: - Expressions

    mutating func parseExpr() throws -> ExprID {
        try enter()
        defer { depth -= 1 }
        return try parseFunction()
    }

    mutating func parseFunction() throws -> ExprID {
        let t = current
        switch t.kind {
        case .identifier:
            let next = peek(1).kind
            if next == .colon {
                let name = symbols.intern(text(t))
                advance(); advance()
                let body = try parseExpr()
                return tree.add(.lambda(tree.add(lambda: Lambda(arg: name, formals: nil, body: body))), range(t.start, previousEnd))
            }
            if next == .at && peek(2).kind == .lbrace {
                let name = symbols.intern(text(t))
                advance(); advance()
                let formals = try parseFormals()
                _ = try expect(.colon)
                try validate(formals, arg: name, argSpan: span(t))
                let body = try parseExpr()
                return tree.add(.lambda(tree.add(lambda: Lambda(arg: name, formals: formals, body: body))), range(t.start, previousEnd))
            }
        case .lbrace:
            if looksLikeFormals() {
                let formals = try parseFormals()
                var arg: Symbol? = nil
                if current.kind == .at {
                    advance()
                    let nameToken = try expect(.identifier)
                    arg = symbols.intern(text(nameToken))
                    try validate(formals, arg: arg, argSpan: span(t))
                } else {
                    try validate(formals, arg: nil, argSpan: span(t))
                }
                _ = try expect(.colon)
                let body = try parseExpr()
                return tree.add(.lambda(tree.add(lambda: Lambda(arg: arg, formals: formals, body: body))), range(t.start, previousEnd))
            }
        case .kwAssert:
            advance()
            let condition = try parseExpr()
            _ = try expect(.semicolon)
            let body = try parseExpr()
            return tree.add(.assert(condition: condition, body: body), range(t.start, previousEnd))
        case .kwWith:
            advance()
            let scope = try parseExpr()
            _ = try expect(.semicolon)
            let body = try parseExpr()
            return tree.add(.with(scope: scope, body: body), range(t.start, previousEnd))
        case .kwLet:
            if peek(1).kind != .lbrace {
                advance()
                let bindings = try parseBindings(terminator: .kwIn)
                _ = try expect(.kwIn)
                if !bindings.dynamic.isEmpty {
                    throw Diagnostic(code: .dynamicAttributeInLet, message: "dynamic attributes not allowed in let", span: span(t))
                }
                let body = try parseExpr()
                return tree.add(.letIn(tree.add(bindings: bindings), body: body), range(t.start, previousEnd))
            }
        default:
            break
        }
        return try parseIf()
    }

    /// After `{`: decides between a formals pattern and an attribute set, as the LR parser would.
    func looksLikeFormals() -> Bool {
        let t1 = peek(1).kind
        switch t1 {
        case .rbrace:
            let t2 = peek(2).kind
            return t2 == .colon || t2 == .at
        case .ellipsis:
            return true
        case .identifier:
            let t2 = peek(2).kind
            return t2 == .comma || t2 == .question || t2 == .rbrace
        default:
            return false
        }
    }

    mutating func parseFormals() throws -> Formals {
        _ = try expect(.lbrace)
        var entries: [Formal] = []
        var ellipsis = false
        while true {
            let t = current
            if t.kind == .rbrace { advance(); break }
            if t.kind == .ellipsis {
                ellipsis = true
                advance()
                _ = try expect(.rbrace)
                break
            }
            guard t.kind == .identifier else {
                throw unexpected(expecting: entries.isEmpty ? [] : ["identifier", "'...'"])
            }
            advance()
            var defaultValue: ExprID? = nil
            if current.kind == .question {
                advance()
                defaultValue = try parseExpr()
            }
            entries.append(Formal(name: symbols.intern(text(t)), defaultValue: defaultValue, span: SourceRange(start: t.start, end: t.end)))
            if current.kind == .comma { advance(); continue }
            if current.kind == .rbrace { advance(); break }
            throw unexpected(expecting: ["'}'", "','"])
        }
        return Formals(entries: entries, ellipsis: ellipsis)
    }

    /// Rejects duplicate formals, as C++ Nix's `validateFormals` does.
    func validate(_ formals: Formals, arg: Symbol?, argSpan: Span) throws {
        let entries = formals.entries
        if entries.count <= 16 {
            // Small patterns: compare pairwise instead of hashing.
            var duplicate: (Symbol, Span)? = nil
            for i in 0..<entries.count {
                let name = entries[i].name
                var k = 0
                while k < i {
                    if entries[k].name == name { break }
                    k += 1
                }
                if k < i && duplicate == nil { duplicate = (name, span(range: entries[i].span)) }
            }
            if let (name, span) = duplicate {
                throw Diagnostic(code: .duplicateFormal, message: "duplicate formal function argument '\(symbols.name(name))'", span: span)
            }
            if let arg, entries.contains(where: { $0.name == arg }) {
                throw Diagnostic(code: .duplicateFormal, message: "duplicate formal function argument '\(symbols.name(arg))'", span: argSpan)
            }
            return
        }
        var seen: [Symbol: Int] = [:]
        var duplicate: (Symbol, Span)? = nil
        // C++ Nix sorts by (name, position) and reports the smallest (name id, second position).
        for f in formals.entries {
            if seen[f.name] != nil {
                if duplicate == nil { duplicate = (f.name, span(range: f.span)) }
            } else {
                seen[f.name] = 1
            }
        }
        if let (name, span) = duplicate {
            throw Diagnostic(code: .duplicateFormal, message: "duplicate formal function argument '\(symbols.name(name))'", span: span)
        }
        if let arg, seen[arg] != nil {
            throw Diagnostic(code: .duplicateFormal, message: "duplicate formal function argument '\(symbols.name(arg))'", span: argSpan)
        }
    }

    mutating func parseIf() throws -> ExprID {
        let t = current
        guard t.kind == .kwIf else { return try parseOperators(minLevel: 1) }
        advance()
        let condition = try parseExpr()
        _ = try expect(.kwThen)
        let then = try parseExpr()
        _ = try expect(.kwElse)
        let otherwise = try parseExpr()
        return tree.add(.ifThenElse(condition: condition, then: then, else: otherwise), range(t.start, previousEnd))
    }

    // MARK: - Operators

    /// Binding strength of binary operators (higher binds tighter), from C++ Nix's grammar.
    enum Level {
        static let implication = 1, or = 2, and = 3, equality = 4, comparison = 5, update = 6
        static let not = 7, additive = 8, multiplicative = 9, concat = 10, hasAttr = 11, negate = 12
    }

    static func binaryLevel(_ k: TokenKind) -> Int {
        switch k {
        case .implication: return Level.implication
        case .or: return Level.or
        case .and: return Level.and
        case .eq, .neq: return Level.equality
        case .less, .greater, .leq, .geq: return Level.comparison
        case .update: return Level.update
        case .plus, .minus: return Level.additive
        case .star, .slash: return Level.multiplicative
        case .concat: return Level.concat
        case .question: return Level.hasAttr
        default: return 0
        }
    }

    mutating func parseOperators(minLevel: Int) throws -> ExprID {
        try enter()
        defer { depth -= 1 }
        let start = current.start
        var left = try parseUnary()
        var lastNonAssociative = 0
        let chainStart = chainDepth
        defer { chainDepth = chainStart }
        while true {
            let op = current
            let level = Parser.binaryLevel(op.kind)
            if level == 0 || level < minLevel { break }
            if level == lastNonAssociative { throw unexpected() }
            chainDepth += 1
            if chainDepth > options.maxOperatorChain {
                throw Diagnostic(
                    code: .nestingTooDeep,
                    message: "expression is nested too deeply (more than \(options.maxOperatorChain) chained operators)",
                    span: span(op))
            }
            advance()
            if op.kind == .question {
                let path = try parseAttrPath()
                left = tree.add(.hasAttr(base: left, path: tree.add(attrPath: path)), range(start, previousEnd))
                continue
            }
            let rightAssociative = level == Level.implication || level == Level.update || level == Level.concat
            let right = try parseOperators(minLevel: rightAssociative ? level : level + 1)
            let node: ExprNode
            switch op.kind {
            case .implication: node = .binary(.implication, left, right)
            case .or: node = .binary(.or, left, right)
            case .and: node = .binary(.and, left, right)
            case .eq: node = .binary(.equal, left, right)
            case .neq: node = .binary(.notEqual, left, right)
            case .update: node = .binary(.update, left, right)
            case .concat: node = .binary(.concatLists, left, right)
            case .less: node = .comparison(.less, left, right)
            case .greater: node = .comparison(.greater, left, right)
            case .leq: node = .comparison(.lessOrEqual, left, right)
            case .geq: node = .comparison(.greaterOrEqual, left, right)
            case .plus: node = .add(left, right)
            case .minus: node = .arithmetic(.subtract, left, right)
            case .star: node = .arithmetic(.multiply, left, right)
            default: node = .arithmetic(.divide, left, right)
            }
            // The operator's own position is where C++ Nix reports errors of binary operators.
            // C++ Nix positions `+` (a string concatenation node) at its left operand and the
            // other operators at the operator itself.
            if case .add = node {
                left = tree.add(node, range(start, previousEnd))
            } else {
                left = tree.add(node, range(op.start, op.end))
            }
            if level == Level.equality || level == Level.comparison { lastNonAssociative = level }
        }
        return left
    }

    mutating func parseUnary() throws -> ExprID {
        let t = current
        switch t.kind {
        case .bang:
            advance()
            let operand = try parseOperators(minLevel: Level.not + 1)
            return tree.add(.not(operand), range(t.start, previousEnd))
        case .minus:
            advance()
            let operand = try parseOperators(minLevel: Level.negate + 1)
            return tree.add(.negate(operand), range(t.start, previousEnd))
        default:
            return try parseApplication()
        }
    }

    // MARK: - Application and selection

    func startsSimple(_ k: TokenKind) -> Bool {
        switch k {
        case .identifier, .integer, .float, .quote, .indStringOpen, .path, .homePath, .searchPath, .uri,
             .lparen, .kwRec, .lbrace, .lbracket:
            return true
        case .kwLet:
            return peek(1).kind == .lbrace
        default:
            return false
        }
    }

    mutating func parseApplication() throws -> ExprID {
        let start = current.start
        let function = try parseSelect()
        guard startsSimple(current.kind) else { return function }
        var args: [ExprID] = []
        while startsSimple(current.kind) {
            args.append(try parseSelect())
        }
        // C++ Nix appends arguments to an existing call node (e.g. `(f a) b` is one call).
        if case .call(_, let existing) = tree[function] {
            tree.listStore[Int(existing.raw)].append(contentsOf: args)
            return function
        }
        return tree.add(.call(function: function, args: tree.add(exprs: args)), range(start, previousEnd))
    }

    mutating func parseSelect() throws -> ExprID {
        let start = current.start
        let base = try parseSimple()
        if current.kind == .dot {
            advance()
            let path = try parseAttrPath()
            var defaultValue: ExprID? = nil
            if current.kind == .kwOr {
                advance()
                defaultValue = try parseSelectOperand()
            }
            return tree.add(.select(base: base, path: tree.add(attrPath: path), defaultValue: defaultValue), range(start, previousEnd))
        }
        if current.kind == .kwOr {
            // `f or`: `or` used as a variable, for compatibility with old Nixpkgs.
            let t = current
            advance()
            let orVar = tree.add(.variable(symOr), range(t.start, t.end))
            return tree.add(.call(function: base, args: tree.add(exprs: [orVar])), range(start, t.end))
        }
        return base
    }

    mutating func parseSelectOperand() throws -> ExprID {
        try enter()
        defer { depth -= 1 }
        return try parseSelect()
    }

    /// `a.b."c".${d}`
    mutating func parseAttrPath() throws -> [AttrName] {
        var path: [AttrName] = [try parseAttrName()]
        while current.kind == .dot {
            advance()
            path.append(try parseAttrName())
        }
        return path
    }

    static let attrNameExpectation = ["identifier", "'or'", "'${'", "'\"'"]

    mutating func parseAttrName() throws -> AttrName {
        let t = current
        switch t.kind {
        case .identifier:
            advance()
            return .symbol(symbols.intern(text(t)))
        case .kwOr:
            advance()
            return .symbol(symOr)
        case .quote:
            let e = try parseString()
            if let bytes = tree.stringLiteral(e) { return .symbol(symbols.intern(bytes)) }
            return .dynamic(e)
        case .dollarCurly:
            advance()
            let e = try parseExpr()
            _ = try expect(.rbrace)
            if let bytes = tree.stringLiteral(e) { return .symbol(symbols.intern(bytes)) }
            return .dynamic(e)
        default:
            throw unexpected(expecting: Parser.attrNameExpectation)
        }
    }

    // MARK: - Simple expressions

    mutating func parseSimple() throws -> ExprID {
        let t = current
        switch t.kind {
        case .identifier:
            advance()
            let name = symbols.intern(text(t))
            if name == symCurPos { return tree.add(.currentPosition, range(t.start, t.end)) }
            return tree.add(.variable(name), range(t.start, t.end))
        case .integer:
            advance()
            guard let n = Parser.parseInt(text(t)) else {
                throw Diagnostic(code: .invalidInteger, message: "invalid integer '\(String(decoding: text(t), as: UTF8.self))'", span: span(t))
            }
            return tree.add(.int(n), range(t.start, t.end))
        case .float:
            advance()
            let s = String(decoding: text(t), as: UTF8.self)
            // Like strtod's ERANGE: overflow, and underflow to a subnormal or zero, are errors.
            let nonZeroDigits = s.lowercased().split(separator: "e").first.map { $0.contains { $0 >= "1" && $0 <= "9" } } ?? false
            guard let d = Double(s.lowercased()), d.isFinite, !(d != 0 && d.magnitude < Double.leastNormalMagnitude),
                  !(d == 0 && nonZeroDigits) else {
                throw Diagnostic(code: .invalidFloat, message: "invalid float '\(s)'", span: span(t))
            }
            return tree.add(.float(d), range(t.start, t.end))
        case .quote:
            return try parseString()
        case .indStringOpen:
            return try parseIndentedString()
        case .path, .homePath:
            return try parsePath()
        case .searchPath:
            advance()
            let bytes = Array(text(t).dropFirst().dropLast())
            return tree.add(.searchPath(tree.add(bytes: bytes)), range(t.start, t.end))
        case .uri:
            advance()
            return tree.addString(Array(text(t)), range(t.start, t.end))
        case .lparen:
            advance()
            let e = try parseExpr()
            _ = try expect(.rparen)
            return e
        case .kwLet:
            // Legacy `let { …; body = …; }`.
            advance()
            _ = try expect(.lbrace)
            var bindings = try parseBindings(terminator: .rbrace, context: .recursiveSet)
            _ = try expect(.rbrace)
            bindings.recursive = true
            let attrs = tree.add(.attrs(tree.add(bindings: bindings)), range(t.start, previousEnd))
            return tree.add(.select(base: attrs, path: tree.add(attrPath: [.symbol(symBody)]), defaultValue: nil), range(t.start, previousEnd))
        case .kwRec:
            advance()
            _ = try expect(.lbrace)
            var bindings = try parseBindings(terminator: .rbrace, context: .recursiveSet)
            _ = try expect(.rbrace)
            bindings.recursive = true
            return tree.add(.attrs(tree.add(bindings: bindings)), range(t.start, previousEnd))
        case .lbrace:
            advance()
            let bindings = try parseBindings(terminator: .rbrace)
            _ = try expect(.rbrace)
            return tree.add(.attrs(tree.add(bindings: bindings)), range(t.start, previousEnd))
        case .lbracket:
            advance()
            var elements: [ExprID] = []
            while current.kind != .rbracket {
                guard startsSimple(current.kind) else { throw unexpected() }
                elements.append(try parseSelectOperand())
            }
            advance()
            return tree.add(.list(tree.add(exprs: elements)), range(t.start, previousEnd))
        default:
            throw unexpected()
        }
    }

    static func parseInt(_ digits: UnsafeBufferPointer<UInt8>) -> Int64? {
        var n: Int64 = 0
        for d in digits {
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(d - 48))
            if o1 || o2 { return nil }
            n = s
        }
        return n
    }
}

/// Runs `body` on a new thread with a large stack and waits for it; used for parsing and
/// evaluating deeply nested input.
public func withLargeStack<R>(stackSize: Int = 1 << 30, _ body: @escaping () -> R) -> R {
    // Already on such a thread (an import during an evaluation that runs on one): run here.
    if LargeStackThread.isCurrent { return body() }
    return LargeStackThread.run(stackSize: stackSize, body)
}
