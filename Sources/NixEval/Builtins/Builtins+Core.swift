// Core builtins: `import`, and the global constants installed in every program.

import NixSyntax

extension Builtins {
    static let core: [BuiltinDefinition] = [
        .strict("import", 1) { c, a in
            let pathValue = a[0]
            let path: String
            if pathValue.isObject(.path) {
                path = pathValue.asPath.text
            } else if let s = try c.vm.coerceSimple(pathValue, forInterpolation: false, span: c.span), s.isObject(.string) {
                path = s.asString.text
            } else {
                throw c.typeError(expected: "a path", found: pathValue)
            }
            return try c.vm.importFile(path, span: c.span)
        },
    ]
}

extension VM {
    /// Parses and compiles a file and returns a thunk of its value (cached per path).
    func importFile(_ rawPath: String, span: Span?) throws -> Value {
        var path = rawPath
        let io = program.settings.io
        guard let kind = io.fileKind(path) else {
            throw EvalError(.other, "path '\(path)' does not exist", span: span)
        }
        if kind == .directory { path += path.hasSuffix("/") ? "default.nix" : "/default.nix" }
        if let cached = program.importCache[path] { return cached }
        let data: [UInt8]
        do {
            data = try io.readFile(path)
        } catch let e as IOError {
            throw EvalError(.other, e.message, span: span)
        }
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        let source = SourceFile(origin: .file(path: path), bytes: data, baseDirectory: directory.isEmpty ? "/" : directory)
        let tree: SyntaxTree
        do {
            tree = try Parser.parse(source, symbols: program.symbols, options: ParseOptions(homeDirectory: program.settings.homeDirectory))
            try ScopeChecker.check(tree, globals: Set(program.globals.keys))
        } catch let d as Diagnostic {
            var e = EvalError(.other, d.message, span: d.span)
            e.trace = d.notes
            throw e
        }
        let proto = try Compiler.compile(tree: tree, program: program)
        let thunk = heap.codeThunk(proto: proto, captureCount: 0)
        program.importCache[path] = thunk.value
        return thunk.value
    }
}

extension Program {
    /// Creates the `builtins` set and the global scope.
    func installGlobals() {
        var entries: [(Symbol, Value)] = []
        let bare = Set(GlobalNames.bare)
        for (i, b) in builtins.entries.enumerated() {
            let v = Value.builtin(i)
            entries.append((symbols.intern(b.name), v))
            globals[symbols.intern(bare.contains(b.name) ? b.name : "__" + b.name)] = v
        }
        let constants: [(String, Value)] = [
            ("true", .true), ("false", .false), ("null", .null),
            ("nixVersion", heap.string("2.26.3")),
            ("langVersion", .smallInt(6)),
            ("storeDir", heap.string(settings.storeDir)),
            ("currentSystem", heap.string(settings.currentSystem)),
            ("nixPath", heap.list(settings.searchPath.map { entry in
                heap.attrs([(symbols.intern("path"), heap.string(entry.path)),
                            (symbols.intern("prefix"), heap.string(entry.prefix))])
            })),
        ]
        for (name, v) in constants {
            entries.append((symbols.intern(name), v))
            globals[symbols.intern(bare.contains(name) ? name : "__" + name)] = v
        }
        // `builtins.builtins` refers to the set itself: patch the entry after allocation.
        let builtinsSymbol = symbols.intern("builtins")
        entries.append((builtinsSymbol, .null))
        let set = heap.attrs(entries)
        if let i = set.asAttrs.index(of: builtinsSymbol) { set.asAttrs.setValue(at: i, set) }
        globals[builtinsSymbol] = set
    }
}
