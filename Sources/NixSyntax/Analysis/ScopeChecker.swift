// Static scope analysis: finds undefined variables, as C++ Nix's `bindVars` does right after parsing.

/// The lexical scopes of a Nix program, walked to report the first undefined variable.
///
/// Variables resolve to the nearest binding (`let`, `rec`, lambda arguments and formals, then
/// the global names); a variable not bound lexically is accepted only inside a `with`.
public struct ScopeChecker {
    let tree: SyntaxTree
    /// The nodes and side tables, borrowed for the duration of the check.
    let nodes: UnsafeBufferPointer<ExprNode>
    let pathStore: UnsafeBufferPointer<[AttrName]>
    let bindingsStore: UnsafeBufferPointer<Bindings>
    let listStore: UnsafeBufferPointer<[ExprID]>
    let lambdaStore: UnsafeBufferPointer<Lambda>
    /// How many enclosing scopes bind each name, indexed by symbol id (globals count once).
    var bound: [Int32]
    var withDepth = 0

    /// Checks the whole tree against the given global names (e.g. `builtins`, `map`, `__add`).
    public static func check(_ tree: SyntaxTree, globals: Set<Symbol>) throws {
        var bound = [Int32](repeating: 0, count: tree.symbols.count)
        for g in globals where Int(g.id) < bound.count { bound[Int(g.id)] += 1 }
        try tree.nodes.withUnsafeBufferPointer { nodes in
            try tree.pathStore.withUnsafeBufferPointer { pathStore in
                try tree.bindingsStore.withUnsafeBufferPointer { bindingsStore in
                    try tree.listStore.withUnsafeBufferPointer { listStore in
                        try tree.lambdaStore.withUnsafeBufferPointer { lambdaStore in
                            var checker = ScopeChecker(
                                tree: tree, nodes: nodes, pathStore: pathStore, bindingsStore: bindingsStore,
                                listStore: listStore, lambdaStore: lambdaStore, bound: bound)
                            try checker.visit(tree.root)
                        }
                    }
                }
            }
        }
    }

    @inline(__always) func isDefined(_ name: Symbol) -> Bool {
        withDepth > 0 || (Int(name.id) < bound.count && bound[Int(name.id)] > 0)
    }

    @inline(__always) mutating func bind(_ name: Symbol, _ delta: Int32) {
        if Int(name.id) < bound.count { bound[Int(name.id)] += delta }
    }

    mutating func visitList(_ id: ExprListID) throws {
        let list = listStore.baseAddress! + Int(id.raw)
        let n = list.pointee.count
        for i in 0..<n { try visit(list.pointee[i]) }
    }

    mutating func visit(_ id: ExprID) throws {
        switch nodes[Int(id.raw)] {
        case .int, .float, .string, .path, .currentPosition, .searchPath:
            break
        case .variable(let name):
            if !isDefined(name) {
                throw Diagnostic(
                    code: .undefinedVariable,
                    message: "undefined variable '\(tree.symbols.name(name))'",
                    span: tree.span(id))
            }
        case .select(let base, let path, let def):
            try visit(base)
            try visitPath(path)
            if let def { try visit(def) }
        case .hasAttr(let base, let path):
            try visit(base)
            try visitPath(path)
        case .attrs(let b):
            try visitBindings(b, recursive: bindingsStore[Int(b.raw)].recursive, body: nil)
        case .letIn(let b, let body):
            try visitBindings(b, recursive: true, body: body)
        case .list(let elements):
            try visitList(elements)
        case .lambda(let id):
            let l = lambdaStore.baseAddress! + Int(id.raw)
            if let arg = l.pointee.arg { bind(arg, 1) }
            let formalCount = l.pointee.formals?.entries.count ?? 0
            for i in 0..<formalCount { bind(l.pointee.formals!.entries[i].name, 1) }
            defer {
                if let arg = l.pointee.arg { bind(arg, -1) }
                for i in 0..<formalCount { bind(l.pointee.formals!.entries[i].name, -1) }
            }
            for i in 0..<formalCount {
                if let d = l.pointee.formals!.entries[i].defaultValue { try visit(d) }
            }
            try visit(l.pointee.body)
        case .call(let f, let args):
            try visit(f)
            try visitList(args)
        case .with(let scope, let body):
            try visit(scope)
            withDepth += 1
            defer { withDepth -= 1 }
            try visit(body)
        case .ifThenElse(let c, let t, let e):
            try visit(c)
            try visit(t)
            try visit(e)
        case .assert(let c, let body):
            try visit(c)
            try visit(body)
        case .not(let e), .negate(let e):
            try visit(e)
        case .binary(_, let a, let b), .arithmetic(_, let a, let b), .comparison(_, let a, let b), .add(let a, let b):
            try visit(a)
            try visit(b)
        case .interpolation(let parts, _):
            try visitList(parts)
        }
    }

    mutating func visitPath(_ id: AttrPathID) throws {
        let path = pathStore.baseAddress! + Int(id.raw)
        let n = path.pointee.count
        for i in 0..<n {
            if case .dynamic(let e) = path.pointee[i] { try visit(e) }
        }
    }

    /// Attribute sets and `let`: in a recursive set the names are in scope for values and
    /// `inherit (…)` sources; plain `inherit x` always reads the enclosing scope.
    mutating func visitBindings(_ id: BindingsID, recursive: Bool, body: ExprID?) throws {
        let b = bindingsStore.baseAddress! + Int(id.raw)
        let attrCount = b.pointee.attrs.count
        let sourceCount = b.pointee.inheritSources.count
        let dynamicCount = b.pointee.dynamic.count
        if !recursive {
            for i in 0..<sourceCount { try visit(b.pointee.inheritSources[i]) }
            for i in 0..<attrCount {
                let a = b.pointee.attrs[i]
                switch a.kind {
                case .plain(let e): try visit(e)
                case .inherited: try checkInherited(a)
                case .inheritedFrom: break
                }
            }
            for i in 0..<dynamicCount {
                let d = b.pointee.dynamic[i]
                try visit(d.name)
                try visit(d.value)
            }
            return
        }
        for i in 0..<attrCount {
            let a = b.pointee.attrs[i]
            if case .inherited = a.kind { try checkInherited(a) }
        }
        for i in 0..<attrCount { bind(b.pointee.attrs[i].name, 1) }
        defer { for i in 0..<attrCount { bind(b.pointee.attrs[i].name, -1) } }
        for i in 0..<sourceCount { try visit(b.pointee.inheritSources[i]) }
        for i in 0..<attrCount {
            if case .plain(let e) = b.pointee.attrs[i].kind { try visit(e) }
        }
        for i in 0..<dynamicCount {
            let d = b.pointee.dynamic[i]
            try visit(d.name)
            try visit(d.value)
        }
        if let body { try visit(body) }
    }

    func checkInherited(_ a: Binding) throws {
        if !isDefined(a.name) {
            throw Diagnostic(code: .undefinedVariable, message: "undefined variable '\(tree.symbols.name(a.name))'", span: tree.span(of: a.span))
        }
    }
}
