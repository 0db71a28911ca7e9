// Builtins that put things into the store (computing their store paths; see Store/StoreAccess):
// `toFile`, `path`, `filterSource` and `storePath`, with C++ Nix 2.26's checks and messages.

import NixStore
import NixSyntax

extension Builtins {
    static let store: [BuiltinDefinition] = [
        .strict("toFile", 2) { c, a in
            let name = try c.stringNoContext(a[0])
            let contents = try c.string(a[1])
            let refs = try c.vm.contextReferences(contents, reject: { element in
                c.error("files created by builtins.toFile may not reference derivations, but \(name.text) references \(element)")
            }, span: c.span)
            let bytes = Array(contents.bytes)
            let p = try c.store {
                try c.program.storeDirectory.makeTextPath(name: name.text, contents: bytes, references: refs)
            }
            if c.program.settings.recordStoreObjects {
                c.program.storeObjects.record(StoreObject(path: p, method: .text, references: refs, contents: .bytes(bytes)))
            }
            return c.vm.storePathString(p)
        },
        .frame("path", 1, strict: [0]) { c, a in
            PathArgumentsFrame(arguments: try c.attrs(a[0]), context: c)
        },
        .frame("filterSource", 2, strict: [1, 0]) { c, a in
            let path = try c.absolutePath(a[1])
            let filter = try c.callable(a[0])
            return AddPathFrame(
                path: path, name: VM.storeName(ofPath: String(decoding: path, as: UTF8.self)), filter: filter,
                method: .nixArchive, expectedHash: nil, pathContext: c.vm.contextElements(of: a[1]), context: c)
        }.coercing(1, .keepingPaths),
        .strict("storePath", 1) { c, a in
            if c.program.settings.pureEval {
                throw c.error("'builtins.storePath' is not allowed in pure evaluation mode")
            }
            var path = try c.absolutePath(a[0])
            let dir = c.program.storeDirectory
            var text = String(decoding: path, as: UTF8.self)
            // Symlinks are resolved unless the path is itself directly in the store.
            if dir.parseIfValid(text) == nil {
                text = try c.vm.resolveSymlinks(path, mode: .full, context: c)
                path = Array(text.utf8)
            }
            guard dir.isInStore(text) else { throw c.error("path '\(text)' is not in the Nix store") }
            let (storePath, _) = try c.store { try dir.splitStorePath(text) }
            var elements = c.vm.contextElements(of: a[0])
            elements.append(.opaque(path: Array(dir.print(storePath).utf8)))
            return c.heap.string(path, context: c.vm.makeContext(elements))
        }.coercing(0, .keepingPaths),
    ]
}

/// `builtins.path { path; name ? …; filter ? …; recursive ? true; sha256 ? …; }`: reads the
/// attributes in C++ Nix's order (`name`, `path`, `filter`, then the others in the order
/// their names were first seen), forcing and checking each, then adds the path.
final class PathArgumentsFrame: NativeFrame {
    let context: BuiltinContext
    /// Attribute indices in the order they are read.
    let order: [Int]
    let arguments: NixAttrs
    var next = 0
    /// Whether the value of `order[next]` is being coerced to a path (after being forced).
    var coercing = false
    var path: [UInt8]? = nil
    var name = ""
    var filter: Value? = nil
    var method = FileIngestionMethod.nixArchive
    var expectedHash: Hash? = nil
    /// Whether the path is being added (the next input is the result).
    var adding = false
    /// The context of the `path` attribute's string.
    var pathContext: [ContextElement] = []

    init(arguments: NixAttrs, context: BuiltinContext) {
        self.arguments = arguments
        self.context = context
        let symbols = context.symbols
        // Symbols C++ Nix creates before parsing come first, in the order it creates them
        // (`EvalState`'s constructor, then builtin names such as `filter`).
        let early = PathArgumentsFrame.cppEarlySymbols
        func rank(_ i: Int) -> (Int, UInt32) {
            let s = arguments.symbol(at: i)
            let text = String(decoding: symbols.bytes(s), as: UTF8.self)
            return (early.firstIndex(of: text) ?? early.count, s.id)
        }
        order = (0..<arguments.count).sorted { rank($0) < rank($1) }
    }

    /// The names C++ Nix 2.26's `EvalState` interns in its constructor, in order, up to
    /// `path`, and then the builtin `filter`: attribute sets iterate in this order first.
    static let cppEarlySymbols = [
        "<with>", "outPath", "drvPath", "type", "meta", "name", "value", "system", "__overrides", "outputs",
        "outputName", "__ignoreNulls", "file", "line", "column", "__functor", "__toString", "right", "wrong",
        "__structuredAttrs", "allowedReferences", "allowedRequisites", "disallowedReferences",
        "disallowedRequisites", "maxSize", "maxClosureSize", "builder", "args", "__contentAddressed", "__impure",
        "outputHash", "outputHashAlgo", "outputHashMode", "recurseForDerivations", "description", "self", "",
        "startSet", "operator", "key", "path", "prefix", "outputSpecified", "filter",
    ]

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        let c = context
        var input = input
        if adding, let result = input { return .done(result) }
        while next < order.count {
            let i = order[next]
            let key = String(decoding: c.symbols.bytes(arguments.symbol(at: i)), as: UTF8.self)
            let raw = arguments.value(at: i)
            let v: Value
            if let r = input {
                input = nil
                v = r
            } else if let r = vm.readyValue(raw) {
                v = r
            } else {
                return .force(raw)
            }
            switch key {
            case "path":
                if !coercing {
                    coercing = true
                    return .run(CoerceToStringFrame(v, span: c.span, mode: .keepingPaths))
                }
                coercing = false
                path = try c.absolutePath(v)
                pathContext = vm.contextElements(of: v)
            case "name":
                name = try c.stringNoContext(v).text
            case "filter":
                filter = try c.callable(v)
            case "recursive":
                method = try c.bool(v) ? .nixArchive : .flat
            case "sha256":
                let text = try c.stringNoContext(v).text
                if text.isEmpty { vm.diagnostics("warning: \(Hash.emptyHashWarning(.sha256))\n") }
                expectedHash = try c.store { try Hash.parseAllowingEmpty(text, algorithm: .sha256) }
            default:
                throw c.error("unsupported argument '\(key)' to 'builtins.path'")
            }
            next += 1
        }
        guard let path else {
            throw c.error("missing required 'path' attribute in the first argument to 'builtins.path'")
        }
        if name.isEmpty { name = VM.storeName(ofPath: String(decoding: path, as: UTF8.self)) }
        adding = true
        return .run(AddPathFrame(
            path: path, name: name, filter: filter, method: method, expectedHash: expectedHash,
            pathContext: pathContext, context: c))
    }
}

/// Adds a path to the store as C++ Nix's `addPath` does: symlinks resolved, the filter (if any)
/// asked about every entry in the order NAR serialisation visits them (sorted, depth first; a
/// rejected directory is not entered), then the store path of the filtered NAR, compared with
/// the expected hash's path when one is given.
final class AddPathFrame: NativeFrame {
    let original: String
    let name: String
    let filter: Value?
    let method: FileIngestionMethod
    let expectedHash: Hash?
    let pathContext: [ContextElement]
    let context: BuiltinContext
    /// The path with its symlinks resolved (set on the first resume).
    var root = ""
    /// Directories being walked: their path, sorted entry names, and the next entry.
    var pending: [(path: String, names: [String], next: Int)] = []
    /// The entry the filter was last asked about, and its type.
    var asked: (path: String, type: FileSystemObjectType)? = nil
    /// Entries the filter accepted.
    var accepted = Set<String>()
    var started = false
    /// The store path the expected hash gives.
    var expected: StorePath? = nil

    init(path: [UInt8], name: String, filter: Value?, method: FileIngestionMethod, expectedHash: Hash?,
         pathContext: [ContextElement], context: BuiltinContext) {
        self.pathContext = pathContext
        self.original = String(decoding: path, as: UTF8.self)
        self.name = name
        self.filter = filter
        self.method = method
        self.expectedHash = expectedHash
        self.context = context
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        let c = context
        let fs = c.program.settings.io.storeFileSystem
        if !started {
            started = true
            // A path inside the store needs its context realised (C++ Nix's `realiseContext`):
            // each store path named must exist, as Swix does not build.
            if c.program.storeDirectory.isInStore(original) { try vm.realiseContext(pathContext, span: c.span) }
            if let expectedHash {
                expected = try c.store {
                    try c.program.storeDirectory.makeFixedOutputPath(name: name, method: method, hash: expectedHash)
                }
            }
            root = try vm.resolveSymlinks(Array(original.utf8), mode: .full, span: c.span)
            if filter != nil && method == .nixArchive {
                if try c.store({ try fs.status(root) }).type == .directory { try push(root, fs) }
            }
        }
        if let input, let (path, type) = asked {
            asked = nil
            if try vm.expectBool(input, span: c.span) {
                accepted.insert(path)
                if type == .directory { try push(path, fs) }
            }
        }
        if let filter, method == .nixArchive {
            while var top = pending.popLast() {
                guard top.next < top.names.count else { continue }
                let name = top.names[top.next]
                top.next += 1
                pending.append(top)
                let child = top.path.hasSuffix("/") ? top.path + name : top.path + "/" + name
                let type = try c.store { try fs.status(child) }.type
                asked = (child, type)
                return .call2(filter, c.heap.string(child), c.heap.string(type.filterName))
            }
        }
        let accepted = self.accepted
        let storePath = try vm.addToStore(
            root, name: name, method: method, filter: filter == nil ? nil : { accepted.contains($0) }, span: c.span)
        if let expected, expected != storePath {
            throw c.error("store path mismatch in (possibly filtered) path added from '\(original)'")
        }
        return .done(vm.storePathString(storePath))
    }

    /// Starts walking a directory the filter accepted.
    private func push(_ path: String, _ fs: any FileSystemSource) throws {
        let names = try context.store { try fs.directoryEntries(path) }
        pending.append((path, names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }, 0))
    }
}
