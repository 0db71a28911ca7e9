// Core builtins: `import`, and the global constants installed in every program.

import NixSyntax
#if canImport(Glibc)
import Glibc
#endif

extension Builtins {
    static let core: [BuiltinDefinition] = [
        .strict("import", 1) { c, a in
            let path = String(decoding: try c.realisedPath(a[0]), as: UTF8.self)
            return try c.vm.importFile(path, span: c.span)
        }.coercing(0, .keepingPaths),
        // `scopedImport scope path`: the file is evaluated with the attributes of `scope` as
        // variables around it (before the globals); not cached, as in C++ Nix.
        .strict("scopedImport", 2) { c, a in
            let scope = try c.attrs(a[0])
            let path = c.vm.resolveImportPath(String(decoding: try c.realisedPath(a[1]), as: UTF8.self))
            let names = (0..<scope.count).map { scope.symbol(at: $0) }
            let (vm, span) = (c.vm, c.span)
            let proto = try onLargeStack {
                let tree = try vm.parseFile(path, span: span, extraGlobals: names)
                return try Compiler.compileScoped(tree: tree, program: vm.program, scope: names)
            }
            let closure = c.heap.closure(proto: proto, captureCount: 0)
            return c.heap.applyThunk(closure.value, a[0], site: c.site)
        }.coercing(1, .keepingPaths),
    ]
}

extension VM {
    /// Parses and compiles a file and returns a thunk of its value (cached per path).
    func importFile(_ rawPath: String, span: Span?) throws -> Value {
        let path = resolveImportPath(rawPath)
        if let cached = program.importCache[path] { return cached }
        let proto = try onLargeStack {
            try Compiler.compile(tree: try self.parseFile(path, span: span), program: self.program)
        }
        let thunk = heap.codeThunk(proto: proto, captureCount: 0)
        program.importCache[path] = thunk.value
        return thunk.value
    }

    /// The file an import of `path` reads: `default.nix` inside a directory.
    func resolveImportPath(_ path: String) -> String {
        guard program.settings.io.fileKind(path) == .directory else { return path }
        return path + (path.hasSuffix("/") ? "default.nix" : "/default.nix")
    }

    /// Reads, parses and scope-checks a file (with `extraGlobals` as further known names).
    func parseFile(_ path: String, span: Span?, extraGlobals: [Symbol] = []) throws -> SyntaxTree {
        let source: SourceFile
        if let name = CorePackages.name(ofPath: path) {
            guard let text = CorePackages.source(name) else {
                throw EvalError(.other, "path '\(path)' does not exist", span: span)
            }
            source = SourceFile(origin: .builtinFile(name: name), text: text, baseDirectory: "/")
        } else {
            let io = program.settings.io
            try checkAccess(path, span: span)
            guard io.fileKind(path) != nil else {
                throw EvalError(.other, "path '\(path)' does not exist", span: span)
            }
            let data: [UInt8]
            do {
                data = try io.readFile(path)
            } catch let e as IOError {
                throw EvalError(.other, e.message, span: span)
            }
            let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
            source = SourceFile(origin: .file(path: path), bytes: data, baseDirectory: directory.isEmpty ? "/" : directory)
        }
        let tree: SyntaxTree
        do {
            tree = try Parser.parse(source, symbols: program.symbols, options: ParseOptions(homeDirectory: program.settings.homeDirectory))
            try ScopeChecker.check(tree, globals: program.scopeCheckGlobals.union(extraGlobals))
        } catch let d as Diagnostic {
            var e = EvalError(.other, d.message, span: d.span)
            e.trace = d.notes
            throw e
        }
        return tree
    }
}

/// Runs the front end and the compiler, which recurse along the syntax tree, on a thread with a
/// large stack (or in place when already on one), whatever stack the embedder evaluates on.
func onLargeStack<R>(_ body: @escaping () throws -> R) throws -> R {
    try withLargeStack { Result { try body() } }.get()
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
        var constants: [(String, Value)] = [
            ("true", .true), ("false", .false), ("null", .null),
            ("nixVersion", heap.string("2.26.3")),
            ("langVersion", .smallInt(6)),
            ("storeDir", heap.string(settings.storeDir)),
            // The search path is empty in pure evaluation mode.
            ("nixPath", heap.list((settings.pureEval ? [] : settings.searchPath).map { entry in
                heap.attrs([(symbols.intern("path"), heap.string(entry.path)),
                            (symbols.intern("prefix"), heap.string(entry.prefix))])
            })),
        ]
        // Impure constants do not exist in pure evaluation mode.
        if !settings.pureEval {
            constants.append(("currentSystem", heap.string(settings.currentSystem)))
            constants.append(("currentTime", heap.int(settings.currentTime ?? Int64(time(nil)))))
        }
        for (name, v) in constants {
            entries.append((symbols.intern(name), v))
            globals[symbols.intern(bare.contains(name) ? name : "__" + name)] = v
        }
        // `builtins.builtins` refers to the set itself, and `derivation` is compiled Nix code
        // that refers to the global scope: their entries are patched after allocation.
        let builtinsSymbol = symbols.intern("builtins")
        let derivationSymbol = symbols.intern("derivation")
        entries.append((builtinsSymbol, .null))
        entries.append((derivationSymbol, .null))
        let set = heap.attrs(entries)
        if let i = set.asAttrs.index(of: builtinsSymbol) { set.asAttrs.setValue(at: i, set) }
        globals[builtinsSymbol] = set
        globals[derivationSymbol] = .null  // set by `installDerivationWrapper` once a VM exists
    }
}
