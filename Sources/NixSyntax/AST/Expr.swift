// The abstract syntax tree: expressions live in one arena (`SyntaxTree`) and refer to each other by id.

/// The index of an expression node in its `SyntaxTree`.
public struct ExprID: Hashable, Sendable {
    public let raw: Int32
    @inlinable public init(raw: Int32) { self.raw = raw }
}

/// Indices into the side tables of a `SyntaxTree`, which keep variable-length parts of nodes
/// out of `ExprNode` so that nodes are plain data (copying one never touches a reference count).
public struct BytesID: Hashable, Sendable { public let raw: Int32 }
public struct AttrPathID: Hashable, Sendable { public let raw: Int32 }
public struct BindingsID: Hashable, Sendable { public let raw: Int32 }
public struct ExprListID: Hashable, Sendable { public let raw: Int32 }
public struct LambdaID: Hashable, Sendable { public let raw: Int32 }

/// One element of an attribute path: a static name or an interpolated expression.
public enum AttrName: Sendable {
    case symbol(Symbol)
    case dynamic(ExprID)
}

/// Arithmetic operators that C++ Nix desugars to calls of `__sub`, `__mul` and `__div`.
public enum ArithmeticOp: Sendable {
    case subtract, multiply, divide
    /// The builtin the operator stands for in `--parse` output.
    public var builtinName: String {
        switch self {
        case .subtract: return "__sub"
        case .multiply: return "__mul"
        case .divide: return "__div"
        }
    }
}

/// Comparison operators, all defined by `__lessThan` in C++ Nix.
public enum ComparisonOp: Sendable {
    case less, greater, lessOrEqual, greaterOrEqual
}

/// Binary operators with their own AST node in C++ Nix.
public enum BinaryOp: Sendable {
    case equal, notEqual, and, or, implication, update, concatLists
    public var token: StaticString {
        switch self {
        case .equal: return "=="
        case .notEqual: return "!="
        case .and: return "&&"
        case .or: return "||"
        case .implication: return "->"
        case .update: return "//"
        case .concatLists: return "++"
        }
    }
}

/// How an attribute of an attribute set or `let` is defined.
public enum BindingKind: Sendable {
    /// `name = value;`
    case plain(ExprID)
    /// `inherit name;`: the value is the variable of the same name in the enclosing scope.
    case inherited
    /// `inherit (source) name;`: the value is `source.name`; the index names an entry of `inheritSources`.
    case inheritedFrom(source: Int)
}

/// One statically named attribute.
public struct Binding: Sendable {
    public var name: Symbol
    public var kind: BindingKind
    /// Where the name was written (for "already defined" messages and errors).
    public var span: SourceRange
}

/// An attribute with an interpolated name: `${name} = value;`.
public struct DynamicBinding: Sendable {
    public var name: ExprID
    public var value: ExprID
    public var span: SourceRange
}

/// The bindings of an attribute set literal or a `let`.
public struct Bindings: Sendable {
    public var recursive: Bool = false
    /// Static attributes in order of definition.
    public var attrs: [Binding] = []
    public var dynamic: [DynamicBinding] = []
    /// Expressions of `inherit (e) …`, in order of appearance.
    public var inheritSources: [ExprID] = []

    public init() {}

    /// The index of the static attribute with this name.
    public func index(of name: Symbol) -> Int? {
        attrs.firstIndex { $0.name == name }
    }
}

/// A formal parameter of a function with an attribute-set pattern.
public struct Formal: Sendable {
    public var name: Symbol
    public var defaultValue: ExprID?
    public var span: SourceRange
}

/// An attribute-set pattern `{ a, b ? 1, ... }`.
public struct Formals: Sendable {
    public var entries: [Formal]
    public var ellipsis: Bool
}

/// A function literal.
public struct Lambda: Sendable {
    /// The plain argument name (`x: …`) or the `@` name.
    public var arg: Symbol?
    public var formals: Formals?
    public var body: ExprID
}

/// The kinds of expression nodes; each corresponds to an `Expr…` class of C++ Nix.
/// Variable-length parts live in the tree's side tables (see `SyntaxTree.bytes(_:)` and friends).
public enum ExprNode: Sendable {
    case int(Int64)
    case float(Double)
    /// A string without interpolation.
    case string(BytesID)
    /// An absolute, canonical path literal.
    case path(BytesID)
    case variable(Symbol)
    /// `__curPos`
    case currentPosition
    /// `e.a.b or default`
    case select(base: ExprID, path: AttrPathID, defaultValue: ExprID?)
    /// `e ? a.b`
    case hasAttr(base: ExprID, path: AttrPathID)
    case attrs(BindingsID)
    case list(ExprListID)
    case lambda(LambdaID)
    /// `f a b …` (C++ Nix merges successive applications into one call node).
    case call(function: ExprID, args: ExprListID)
    case letIn(BindingsID, body: ExprID)
    case with(scope: ExprID, body: ExprID)
    case ifThenElse(condition: ExprID, then: ExprID, else: ExprID)
    case assert(condition: ExprID, body: ExprID)
    /// `!e`
    case not(ExprID)
    /// `-e`, a call of `__sub 0 e` in C++ Nix.
    case negate(ExprID)
    case binary(BinaryOp, ExprID, ExprID)
    case arithmetic(ArithmeticOp, ExprID, ExprID)
    case comparison(ComparisonOp, ExprID, ExprID)
    /// `a + b`
    case add(ExprID, ExprID)
    /// A string or path with interpolation: `"a${b}c"`, `./foo/${x}`. A path when `isPath`.
    case interpolation(parts: ExprListID, isPath: Bool)
    /// `<nixpkgs/lib>`: a call of `__findFile __nixPath "nixpkgs/lib"`.
    case searchPath(BytesID)
}

/// An arena of expressions with their spans, produced by the parser.
public final class SyntaxTree: @unchecked Sendable {
    public private(set) var nodes: [ExprNode] = []
    /// Byte ranges of the nodes, parallel to `nodes`.
    public private(set) var ranges: [SourceRange] = []
    /// The root expression (valid after a successful parse).
    public var root: ExprID = ExprID(raw: 0)
    public let symbols: SymbolTable
    public let source: SourceFile

    public init(source: SourceFile, symbols: SymbolTable) {
        self.source = source
        self.symbols = symbols
        nodes.reserveCapacity(source.bytes.count / 4)
        ranges.reserveCapacity(source.bytes.count / 4)
        let nodeCapacity = nodes.capacity, rangeCapacity = ranges.capacity
        nodes.withUnsafeMutableBufferPointer { HugePages.advise($0, capacity: nodeCapacity) }
        ranges.withUnsafeMutableBufferPointer { HugePages.advise($0, capacity: rangeCapacity) }
    }

    @inlinable public subscript(id: ExprID) -> ExprNode { nodes[Int(id.raw)] }

    /// A range of this tree's source as a span.
    public func span(of range: SourceRange) -> Span {
        Span(file: source, start: Int(range.start), end: Int(range.end))
    }

    public func span(_ id: ExprID) -> Span {
        let r = ranges[Int(id.raw)]
        return Span(file: source, start: Int(r.start), end: Int(r.end))
    }

    public func add(_ node: ExprNode, _ range: SourceRange) -> ExprID {
        nodes.append(node)
        ranges.append(range)
        return ExprID(raw: Int32(nodes.count - 1))
    }

    func replace(_ id: ExprID, with node: ExprNode) {
        nodes[Int(id.raw)] = node
    }

    // MARK: - Side tables

    var byteStore: [[UInt8]] = []
    var pathStore: [[AttrName]] = []
    var bindingsStore: [Bindings] = []
    var listStore: [[ExprID]] = []
    var lambdaStore: [Lambda] = []

    /// The bytes of a string, path or search-path node.
    public func bytes(_ id: BytesID) -> [UInt8] { byteStore[Int(id.raw)] }
    /// The attribute path of a select or `?` node.
    public func attrPath(_ id: AttrPathID) -> [AttrName] { pathStore[Int(id.raw)] }
    /// The bindings of an attribute set or `let`.
    public func bindings(_ id: BindingsID) -> Bindings { bindingsStore[Int(id.raw)] }
    /// The expressions of a list, call or interpolation node.
    public func exprs(_ id: ExprListID) -> [ExprID] { listStore[Int(id.raw)] }
    /// A lambda.
    public func lambda(_ id: LambdaID) -> Lambda { lambdaStore[Int(id.raw)] }

    public func add(bytes: [UInt8]) -> BytesID {
        byteStore.append(bytes)
        return BytesID(raw: Int32(byteStore.count - 1))
    }
    public func add(attrPath: [AttrName]) -> AttrPathID {
        pathStore.append(attrPath)
        return AttrPathID(raw: Int32(pathStore.count - 1))
    }
    public func add(bindings: Bindings) -> BindingsID {
        bindingsStore.append(bindings)
        return BindingsID(raw: Int32(bindingsStore.count - 1))
    }
    public func add(exprs: [ExprID]) -> ExprListID {
        listStore.append(exprs)
        return ExprListID(raw: Int32(listStore.count - 1))
    }
    public func add(lambda: Lambda) -> LambdaID {
        lambdaStore.append(lambda)
        return LambdaID(raw: Int32(lambdaStore.count - 1))
    }

    /// Adds a string literal node.
    public func addString(_ bytes: [UInt8], _ range: SourceRange) -> ExprID {
        add(.string(add(bytes: bytes)), range)
    }

    /// The bytes of a node if it is a string literal.
    public func stringLiteral(_ id: ExprID) -> [UInt8]? {
        if case .string(let b) = nodes[Int(id.raw)] { return bytes(b) }
        return nil
    }

    /// The number of nodes.
    public var count: Int { nodes.count }
}
