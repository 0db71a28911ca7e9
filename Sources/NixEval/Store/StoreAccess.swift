// The evaluator's side of the store: copying a path to the store (computing its store path from
// its NAR, as C++ Nix's `copyPathToStore` with a store that only computes paths), store path
// strings with their context, and the references a string's context names.
//
// Nothing is written to a store directory here: paths are computed exactly, which is what
// evaluation results depend on. With `recordStoreObjects` each object is also recorded
// (StoreObjectLog) so that `swix instantiate` can write it through the daemon.

import NixStore
import NixSyntax

extension BuiltinContext {
    /// `realisePath`: the canonical absolute path of a coerced value, after realising its
    /// string context.
    func realisedPath(_ v: Value) throws -> [UInt8] {
        let path = try absolutePath(v)
        try vm.realiseContext(vm.contextElements(of: v), span: span)
        return path
    }
}

extension VM {
    /// The store path a file or directory at an absolute canonical path is copied to
    /// (`"${./x}"`): the `source` path of its NAR's SHA-256, named after its base name. Symlinks
    /// above the last component are resolved; a final symlink is copied as a symlink. Cached
    /// per evaluation.
    func copyPathToStore(_ path: [UInt8], span: @autoclosure () -> Span?) throws -> StorePath {
        let text = String(decoding: path, as: UTF8.self)
        if text.hasSuffix(".drv") {
            throw EvalError(.other, "file names are not allowed to end in '.drv'", span: span())
        }
        if let cached = program.copiedPaths[text] { return cached }
        let resolved = try resolveSymlinks(path, mode: .ancestors, span: span())
        let storePath = try addToStore(
            resolved, name: Self.storeName(ofPath: text), method: .nixArchive, filter: nil, span: span())
        program.copiedPaths[text] = storePath
        return storePath
    }

    /// The store path of the object at `path` (already resolved and checked) added under `name`
    /// with `method` (C++ Nix's `fetchToStore`/`addToStore`, hashing with SHA-256), keeping only
    /// the entries `filter` accepts (recursive ingestion only).
    func addToStore(
        _ path: String, name: String, method: FileIngestionMethod, filter: ((String) throws -> Bool)?,
        span: Span?
    ) throws -> StorePath {
        let fs = program.settings.io.storeFileSystem
        do {
            let hash: Hash
            switch method {
            case .flat:
                var sink = HashSink(.sha256)
                try fs.readChunks(path) { sink.update($0) }
                hash = sink.finalize()
            case .nixArchive, .git:
                hash = try NAR.hash(path, from: fs, algorithm: .sha256, filter: filter).hash
            }
            let storePath = try program.storeDirectory.makeFixedOutputPath(name: name, method: method, hash: hash)
            if program.settings.recordStoreObjects {
                program.storeObjects.record(StoreObject(
                    path: storePath, method: .fixed(method),
                    contents: .file(path: path, fileSystem: fs, filter: filter)))
            }
            return storePath
        } catch let e as StoreError {
            throw EvalError(.other, e.message, span: span)
        }
    }

    /// The name a copied path gets: its last component (`source` for `/`).
    static func storeName(ofPath path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        let name = path[path.index(after: slash)...]
        return name.isEmpty ? "source" : String(name)
    }

    /// The string `STOREDIR/HASH-NAME` with the store path as its plain context (C++ Nix's
    /// `mkStorePathString`).
    func storePathString(_ p: StorePath) -> Value {
        let full = Array(program.storeDirectory.print(p).utf8)
        return heap.string(full, context: heap.context([heap.string(full)]))
    }

    /// Makes sure the store paths a context names are valid (C++ Nix's `realiseContext` before
    /// a builtin reads a path: `import`, `readFile`, `hashFile`, …). Swix builds nothing, so a
    /// store path is valid when it exists: otherwise "path '…' is not valid".
    func realiseContext(_ elements: [ContextElement], span: @autoclosure () -> Span?) throws {
        for e in elements {
            let p = String(decoding: e.storePath, as: UTF8.self)
            let kind: FileKind?
            do {
                kind = try program.settings.io.lstatKind(p)
            } catch let err as IOError {
                throw EvalError(.other, err.message, span: span())
            }
            if kind == nil { throw EvalError(.other, "path '\(p)' is not valid", span: span()) }
        }
    }

    /// The context elements of a string value (none for other values).
    func contextElements(of v: Value) -> [ContextElement] {
        v.isObject(.string) ? contextElements(v.asString) : []
    }

    /// The store paths a plain-path context element names, for `toFile`; an element of another
    /// kind is reported with `reject` (given its C++ Nix rendering).
    func contextReferences(
        _ s: NixString, reject: (String) -> EvalError, span: @autoclosure () -> Span?
    ) throws -> Set<StorePath> {
        var refs = Set<StorePath>()
        for e in contextElements(s) {
            guard case .opaque(let p) = e else { throw reject(renderForError(e)) }
            do {
                refs.insert(try program.storeDirectory.parse(String(decoding: p, as: UTF8.self)))
            } catch let err as StoreError {
                throw EvalError(.other, err.message, span: span())
            }
        }
        return refs
    }

    /// A context element as C++ Nix's `NixStringContextElem::to_string` prints it: store paths
    /// by their base names, `=` before a derivation with all outputs, `!OUT!` before an output.
    func renderForError(_ e: ContextElement) -> String {
        let prefix = Array((program.storeDirectory.path + "/").utf8)
        func base(_ p: [UInt8]) -> String {
            String(decoding: p.starts(with: prefix) ? Array(p.dropFirst(prefix.count)) : p, as: UTF8.self)
        }
        switch e {
        case .opaque(let p): return base(p)
        case .allOutputs(let d): return "=" + base(d)
        case .built(let d, let o): return "!" + String(decoding: o, as: UTF8.self) + "!" + base(d)
        }
    }
}
