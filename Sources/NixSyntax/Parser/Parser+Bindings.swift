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
            let path = try parseAttrPath()
            let pathSpan = Span(file: source, start: Int(t.start), end: Int(previousEnd))
            _ = try expect(.assign, [".", "'='"].map { $0 == "." ? "'.'" : $0 })
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
            if let existing = index.find(name) {
                throw duplicate(name: symbols.name(name), at: nameSpan, previous: span(range: bindings.attrs[existing].span))
            }
            index.append(name)
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
                if let existingIndex = lookup(nested, name, topIndex) {
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
            if let existingIndex = lookup(nested, name, topIndex) {
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

    private func lookup(_ nested: BindingsID?, _ name: Symbol, _ topIndex: NameIndex) -> Int? {
        guard let nested else { return topIndex.find(name) }
        return tree.bindingsStore[Int(nested.raw)].index(of: name)
    }

    private func binding(_ nested: BindingsID?, _ i: Int, _ top: Bindings) -> Binding {
        guard let nested else { return top.attrs[i] }
        return tree.bindingsStore[Int(nested.raw)].attrs[i]
    }

    private func append(_ b: Binding, to nested: BindingsID?, _ top: inout Bindings, _ topIndex: inout NameIndex) {
        guard let nested else {
            topIndex.append(b.name)
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

/// Positions of names in a binding list: a linear scan while small, a dictionary when large.
struct NameIndex {
    private var names: [Symbol] = []
    private var map: [Symbol: Int]? = nil

    /// Records the next name (its position is the number of names so far).
    mutating func append(_ s: Symbol) {
        names.append(s)
        if map != nil {
            map![s] = names.count - 1
        } else if names.count > 16 {
            var m: [Symbol: Int] = [:]
            for (i, n) in names.enumerated() where m[n] == nil { m[n] = i }
            map = m
        }
    }

    func find(_ s: Symbol) -> Int? {
        if let map { return map[s] }
        return names.firstIndex(of: s)
    }
}
