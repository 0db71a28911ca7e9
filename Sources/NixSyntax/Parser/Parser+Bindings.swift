// Parsing of attribute-set and `let` bindings, with C++ Nix's nested-path merging and duplicate checks.

extension Parser {
    /// Parses bindings up to (not including) `terminator` (`}` or `in`).
    /// `expecting` lists C++ Nix's grammar produces when a binding cannot start: plain `{`
    /// sets, `rec {` / `let {` sets and `let … in`.
    enum BindingsContext {
        case set, recursiveSet, letIn
        var expecting: [String] {
            switch self {
            case .set: return ["'inherit'"]
            case .recursiveSet: return ["'inherit'", "'}'"]
            case .letIn: return ["'in'", "'inherit'"]
            }
        }
    }

    static let assignExpectation = ["'.'", "'='"]

    mutating func parseBindings(terminator: TokenKind, context: BindingsContext? = nil) throws -> Bindings {
        let context = context ?? (terminator == .kwIn ? .letIn : .set)
        var bindings = Bindings()
        var index = NameIndex()
        while current.kind != terminator {
            let t = current
            if t.kind == .kwInherit {
                advance()
                try parseInherit(into: &bindings, index: &index)
                continue
            }
            switch t.kind {
            case .identifier, .kwOr, .quote, .dollarCurly:
                break
            default:
                throw unexpected(expecting: context.expecting)
            }
            if t.kind == .identifier && peek(1).kind == .assign {
                // `name = value;`: the common case, without building an attribute path.
                let name = symbols.intern(text(t))
                advance(); advance()
                let value = try parseExpr()
                _ = try expect(.semicolon)
                let range = SourceRange(start: t.start, end: t.end)
                if let existingIndex = index.find(name, in: bindings.attrs) {
                    let b = bindings.attrs[existingIndex]
                    guard case .plain(let existing) = b.kind,
                          case .attrs(let target) = tree[existing],
                          case .attrs(let addition) = tree[value] else {
                        throw duplicate(name: symbols.name(name), at: span(t), previous: span(range: b.span))
                    }
                    try merge(tree.bindings(addition), into: target, path: symbols.name(name))
                } else {
                    index.append(name, count: bindings.attrs.count + 1, attrs: bindings.attrs)
                    bindings.attrs.append(Binding(name: name, kind: .plain(value), span: range))
                }
                continue
            }
            let path = try parseAttrPath()
            let pathSpan = Span(file: source, start: Int(t.start), end: Int(previousEnd))
            _ = try expect(.assign, Parser.assignExpectation)
            let value = try parseExpr()
            _ = try expect(.semicolon)
            try addAttribute(to: &bindings, index: &index, path: path, pathSpan: pathSpan, value: value)
        }
        return bindings
    }

    mutating func parseInherit(into bindings: inout Bindings, index: inout NameIndex) throws {
        var source: Int? = nil
        if current.kind == .lparen {
            advance()
            let e = try parseExpr()
            _ = try expect(.rparen)
            bindings.inheritSources.append(e)
            source = bindings.inheritSources.count - 1
        }
        while current.kind != .semicolon {
            let t = current
            let name: Symbol
            switch t.kind {
            case .identifier:
                advance()
                name = symbols.intern(text(t))
            case .kwOr:
                advance()
                name = symOr
            case .quote, .dollarCurly:
                let attr = try parseAttrName()
                guard case .symbol(let s) = attr else {
                    throw Diagnostic(code: .dynamicAttributeInInherit, message: "dynamic attributes not allowed in inherit", span: span(t))
                }
                name = s
            default:
                throw unexpected()
            }
            let nameSpan = span(t)
            if let existing = index.find(name, in: bindings.attrs) {
                throw duplicate(name: symbols.name(name), at: nameSpan, previous: span(range: bindings.attrs[existing].span))
            }
            index.append(name, count: bindings.attrs.count + 1, attrs: bindings.attrs)
            bindings.attrs.append(Binding(name: name, kind: source.map { .inheritedFrom(source: $0) } ?? .inherited, span: SourceRange(nameSpan)))
        }
        advance()
    }

    func duplicate(name: String, at span: Span, previous: Span) -> Diagnostic {
        Diagnostic(code: .duplicateAttribute, message: "attribute '\(name)' already defined at \(previous.description)", span: span)
    }

    func pathString(_ path: ArraySlice<AttrName>) -> String {
        path.map { attr -> String in
            switch attr {
            case .symbol(let s): return symbols.name(s)
            case .dynamic: return "\"${...}\""
            }
        }.joined(separator: ".")
    }

    /// Adds `a.b.c = value` to `bindings`, creating or extending nested attribute sets
    /// (the algorithm of C++ Nix's `ParserState::addAttr`).
    mutating func addAttribute(to top: inout Bindings, index topIndex: inout NameIndex, path: [AttrName], pathSpan: Span, value: ExprID) throws {
        // Walk/create the intermediate sets. `nested` is nil while we are still at the top level.
        var nested: BindingsID? = nil
        let range = SourceRange(pathSpan)
        for (k, attr) in path.dropLast().enumerated() {
            let next: BindingsID
            switch attr {
            case .symbol(let name):
                if let existingIndex = lookup(nested, name, topIndex, top) {
                    let b = binding(nested, existingIndex, top)
                    if case .plain(let e) = b.kind, case .attrs(let id) = tree[e] {
                        next = id
                    } else {
                        throw duplicate(name: pathString(path[0...k]), at: pathSpan, previous: span(range: b.span))
                    }
                } else {
                    next = tree.add(bindings: Bindings())
                    let node = tree.add(.attrs(next), range)
                    append(Binding(name: name, kind: .plain(node), span: range), to: nested, &top, &topIndex)
                }
            case .dynamic(let nameExpr):
                next = tree.add(bindings: Bindings())
                let node = tree.add(.attrs(next), range)
                appendDynamic(DynamicBinding(name: nameExpr, value: node, span: range), to: nested, &top)
            }
            nested = next
        }
        switch path[path.count - 1] {
        case .symbol(let name):
            if let existingIndex = lookup(nested, name, topIndex, top) {
                let b = binding(nested, existingIndex, top)
                guard case .plain(let existing) = b.kind,
                      case .attrs(let target) = tree[existing],
                      case .attrs(let addition) = tree[value] else {
                    throw duplicate(name: pathString(path[...]), at: pathSpan, previous: span(range: b.span))
                }
                try merge(tree.bindings(addition), into: target, path: pathString(path[...]))
            } else {
                append(Binding(name: name, kind: .plain(value), span: range), to: nested, &top, &topIndex)
            }
        case .dynamic(let nameExpr):
            appendDynamic(DynamicBinding(name: nameExpr, value: value, span: range), to: nested, &top)
        }
    }

    /// Merges the attributes of one attribute-set literal into another written for the same
    /// name, recursively where both sides define a nested set literal.
    mutating func merge(_ addition: Bindings, into target: BindingsID, path: String) throws {
        let t = Int(target.raw)
        let offset = tree.bindingsStore[t].inheritSources.count
        for var a in addition.attrs {
            if let k = tree.bindingsStore[t].index(of: a.name) {
                let prev = tree.bindingsStore[t].attrs[k]
                if case .plain(let old) = prev.kind, case .attrs(let oldSet) = tree[old],
                   case .plain(let new) = a.kind, case .attrs(let newSet) = tree[new] {
                    try merge(tree.bindings(newSet), into: oldSet, path: path + "." + symbols.name(a.name))
                    continue
                }
                throw duplicate(name: path + "." + symbols.name(a.name), at: span(range: a.span), previous: span(range: prev.span))
            }
            if case .inheritedFrom(let s) = a.kind { a.kind = .inheritedFrom(source: s + offset) }
            tree.bindingsStore[t].attrs.append(a)
        }
        tree.bindingsStore[t].dynamic.append(contentsOf: addition.dynamic)
        tree.bindingsStore[t].inheritSources.append(contentsOf: addition.inheritSources)
    }

    private func lookup(_ nested: BindingsID?, _ name: Symbol, _ topIndex: NameIndex, _ top: Bindings) -> Int? {
        guard let nested else { return topIndex.find(name, in: top.attrs) }
        return tree.bindingsStore[Int(nested.raw)].index(of: name)
    }

    private func binding(_ nested: BindingsID?, _ i: Int, _ top: Bindings) -> Binding {
        guard let nested else { return top.attrs[i] }
        return tree.bindingsStore[Int(nested.raw)].attrs[i]
    }

    private func append(_ b: Binding, to nested: BindingsID?, _ top: inout Bindings, _ topIndex: inout NameIndex) {
        guard let nested else {
            topIndex.append(b.name, count: top.attrs.count + 1, attrs: top.attrs)
            top.attrs.append(b)
            return
        }
        tree.bindingsStore[Int(nested.raw)].attrs.append(b)
    }

    private func appendDynamic(_ d: DynamicBinding, to nested: BindingsID?, _ top: inout Bindings) {
        guard let nested else {
            top.dynamic.append(d)
            return
        }
        tree.bindingsStore[Int(nested.raw)].dynamic.append(d)
    }
}

/// Positions of names in a binding list: a linear scan of the attributes while small, a
/// dictionary when large. The names are those of `attrs` of the bindings being built.
struct NameIndex {
    private var map: [Symbol: Int]? = nil

    /// Records the next name; `count` is the number of names including it, `attrs` the
    /// attributes before it.
    mutating func append(_ s: Symbol, count: Int, attrs: [Binding]) {
        if map != nil {
            map![s] = count - 1
        } else if count > 16 {
            var m: [Symbol: Int] = [:]
            for (i, a) in attrs.enumerated() where m[a.name] == nil { m[a.name] = i }
            if m[s] == nil { m[s] = count - 1 }
            map = m
        }
    }

    func find(_ s: Symbol, in attrs: [Binding]) -> Int? {
        if let map { return map[s] }
        return attrs.firstIndex { $0.name == s }
    }
}
