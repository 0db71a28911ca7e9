// Static scope analysis: finds undefined variables, as C++ Nix's `bindVars` does right after parsing.

/// The lexical scopes of a Nix program, walked to report the first undefined variable.
///
/// Variables resolve to the nearest binding (`let`, `rec`, lambda arguments and formals, then
/// the global names); a variable not bound lexically is accepted only inside a `with`.
public struct ScopeChecker {
    enum Scope {
        case names([Symbol])
        case with
    }

    let tree: SyntaxTree
    let globals: Set<Symbol>
    /// How many enclosing scopes bind each name, indexed by symbol id (globals count once).
    var bound: [Int32]
    var withDepth = 0

    init(tree: SyntaxTree, globals: Set<Symbol>) {
        self.tree = tree
        self.globals = globals
        bound = Array(repeating: 0, count: tree.symbols.count)
        for g in globals where Int(g.id) < bound.count { bound[Int(g.id)] += 1 }
    }

    /// Checks the whole tree against the given global names (e.g. `builtins`, `map`, `__add`).
    public static func check(_ tree: SyntaxTree, globals: Set<Symbol>) throws {
        var checker = ScopeChecker(tree: tree, globals: globals)
        try checker.visit(tree.root)
    }

    func isDefined(_ name: Symbol) -> Bool {
        withDepth > 0 || (Int(name.id) < bound.count && bound[Int(name.id)] > 0)
    }

    mutating func bind<S: Sequence>(_ names: S, _ delta: Int32) where S.Element == Symbol {
        for n in names where Int(n.id) < bound.count { bound[Int(n.id)] += delta }
    }

    mutating func withScope(_ scope: Scope, _ body: (inout ScopeChecker) throws -> Void) rethrows {
        switch scope {
        case .with: withDepth += 1
        case .names(let names): bind(names, 1)
        }
        defer {
            switch scope {
            case .with: withDepth -= 1
            case .names(let names): bind(names, -1)
            }
        }
        try body(&self)
    }

    mutating func visit(_ id: ExprID) throws {
        switch tree[id] {
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
            try visitPath(tree.attrPath(path))
            if let def { try visit(def) }
        case .hasAttr(let base, let path):
            try visit(base)
            try visitPath(tree.attrPath(path))
        case .attrs(let b):
            try visitBindings(tree.bindings(b), body: nil)
        case .letIn(let b, let body):
            var recursive = tree.bindings(b)
            recursive.recursive = true
            try visitBindings(recursive, body: body)
        case .list(let elements):
            for e in tree.exprs(elements) { try visit(e) }
        case .lambda(let id):
            let l = tree.lambda(id)
            var names: [Symbol] = []
            if let arg = l.arg { names.append(arg) }
            for f in l.formals?.entries ?? [] { names.append(f.name) }
            try withScope(.names(names)) { c in
                for f in l.formals?.entries ?? [] {
                    if let d = f.defaultValue { try c.visit(d) }
                }
                try c.visit(l.body)
            }
        case .call(let f, let args):
            try visit(f)
            for a in tree.exprs(args) { try visit(a) }
        case .with(let scope, let body):
            try visit(scope)
            try withScope(.with) { try $0.visit(body) }
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
            for p in tree.exprs(parts) { try visit(p) }
        }
    }

    mutating func visitPath(_ path: [AttrName]) throws {
        for a in path {
            if case .dynamic(let e) = a { try visit(e) }
        }
    }

    /// Attribute sets and `let`: in a recursive set the names are in scope for values and
    /// `inherit (…)` sources; plain `inherit x` always reads the enclosing scope.
    mutating func visitBindings(_ b: Bindings, body: ExprID?) throws {
        if !b.recursive {
            for s in b.inheritSources { try visit(s) }
            for a in b.attrs {
                switch a.kind {
                case .plain(let e): try visit(e)
                case .inherited: try checkInherited(a)
                case .inheritedFrom: break
                }
            }
            for d in b.dynamic {
                try visit(d.name)
                try visit(d.value)
            }
            return
        }
        for a in b.attrs {
            if case .inherited = a.kind { try checkInherited(a) }
        }
        let names = b.attrs.map(\.name)
        try withScope(.names(names)) { c in
            for s in b.inheritSources { try c.visit(s) }
            for a in b.attrs {
                if case .plain(let e) = a.kind { try c.visit(e) }
            }
            for d in b.dynamic {
                try c.visit(d.name)
                try c.visit(d.value)
            }
            if let body { try c.visit(body) }
        }
    }

    func checkInherited(_ a: Binding) throws {
        if !isDefined(a.name) {
            throw Diagnostic(code: .undefinedVariable, message: "undefined variable '\(tree.symbols.name(a.name))'", span: tree.span(of: a.span))
        }
    }
}
