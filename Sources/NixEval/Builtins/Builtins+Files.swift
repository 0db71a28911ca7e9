// File-system and environment builtins: `baseNameOf`, `dirOf`, `readFile`, `pathExists`,
// `readFileType`, `readDir`, `getEnv`. All access goes through `EvalIO`.
//
// Paths are taken as C++ Nix's `coerceToPath` takes them: path values as they are, strings
// (also from `__toString` and `outPath`) when absolute, canonicalised lexically. Symlinks are
// then resolved component by component as `SourcePath::resolveSymlinks` does.

import NixSyntax

extension Builtins {
    static let files: [BuiltinDefinition] = [
        .strict("baseNameOf", 1) { c, a in baseNameOf(c, a[0]) }.coercing(0, .keepingPaths),
        .strict("dirOf", 1) { c, a in
            let v = a[0]
            guard v.isObject(.path) else { return dirOf(c, v) }
            let bytes = Array(v.asPath.bytes)
            guard let slash = bytes.lastIndex(of: 47), bytes.count > 1 else { return v }
            return c.heap.path(slash == 0 ? [47] : Array(bytes[..<slash]))
        }.coercing(0, .keepingPaths),
        .strict("readFile", 1) { c, a in
            if a[0].isObject(.path), let name = CorePackages.name(ofPath: String(decoding: a[0].asPath.bytes, as: UTF8.self)),
               let text = CorePackages.source(name) {
                return c.heap.string(text)
            }
            let path = try c.vm.resolveSymlinks(try c.realisedPath(a[0]), mode: .full, context: c)
            let data: [UInt8]
            do {
                data = try c.program.settings.io.readFile(path)
            } catch let e as IOError {
                throw c.error(e.message)
            }
            if data.contains(0) {
                throw c.error("the contents of the file '\(path)' cannot be represented as a Nix string")
            }
            return c.heap.string(data)
        }.coercing(0, .keepingPaths),
        .lazy("pathExists", 1, strict: [0]) { c, a in
            // A string ending in `/` or `/.` must name a directory (checked after resolving all
            // symlinks). The argument was coerced: a string here may come from `__toString`.
            var mustBeDirectory = false
            if a[0].isObject(.string) {
                let b = a[0].asString.bytes
                mustBeDirectory = b.last == 47 || (b.count >= 2 && b[b.count - 2] == 47 && b[b.count - 1] == 46)
            }
            // A path that may not be read does not exist, for `pathExists`.
            let absolute = try c.realisedPath(a[0])
            if (try? c.vm.checkAccess(String(decoding: absolute, as: UTF8.self), span: c.span)) == nil { return .false }
            let path = try c.vm.resolveSymlinks(absolute, mode: mustBeDirectory ? .full : .ancestors, context: c)
            let kind = try c.io { try c.program.settings.io.lstatKind(path) }
            return .bool(kind != nil && (!mustBeDirectory || kind == .directory))
        }.coercing(0, .keepingPaths),
        .strict("readFileType", 1) { c, a in
            c.heap.string(try c.fileType(String(decoding: try c.realisedPath(a[0]), as: UTF8.self)))
        }.coercing(0, .keepingPaths),
        .strict("readDir", 1) { c, a in
            let path = try c.vm.resolveSymlinks(try c.realisedPath(a[0]), mode: .full, context: c)
            let entries = try c.io { try c.program.settings.io.readDirectory(path) }
            var result: [(Symbol, Value)] = []
            result.reserveCapacity(entries.count)
            let prefix = path == "/" ? path : path + "/"
            let readFileType = c.program.builtinValue("readFileType")
            for (name, kind) in entries {
                let value: Value
                if let kind {
                    value = c.heap.string(fileTypeName(kind))
                } else {
                    // Unknown from the listing: a lazy `readFileType`, as C++ Nix does.
                    value = c.heap.applyThunk(readFileType, c.heap.path(Array((prefix + name).utf8)), site: c.site)
                }
                result.append((c.symbols.intern(name), value))
            }
            return c.heap.attrs(result)
        }.coercing(0, .keepingPaths),
        .strict("getEnv", 1) { c, a in
            let name = try c.stringNoContext(a[0])
            if c.program.settings.pureEval || c.program.settings.restrictEval { return c.heap.string([]) }
            return c.heap.string(c.program.settings.io.environment(name.text) ?? "")
        },
    ]

    static func fileTypeName(_ kind: FileKind) -> String {
        switch kind {
        case .regular: return "regular"
        case .directory: return "directory"
        case .symlink: return "symlink"
        case .other: return "unknown"
        }
    }

    /// The bytes and context of a coerced value (a string, or a path as its text).
    private static func coercedBytes(_ v: Value) -> ([UInt8], Value?) {
        if v.isObject(.path) { return (Array(v.asPath.bytes), nil) }
        return (Array(v.asString.bytes), v.asString.context?.value)
    }

    /// `legacyBaseNameOf`: the last component, ignoring one trailing slash.
    static func baseNameOf(_ c: BuiltinContext, _ v: Value) -> Value {
        let (s, context) = coercedBytes(v)
        if s.isEmpty { return c.heap.string([], context: context) }
        var last = s.count - 1
        if s[last] == 47 && last > 0 { last -= 1 }
        var start = 0
        if let slash = s[...last].lastIndex(of: 47) { start = slash + 1 }
        return c.heap.string(s[start..<(last + 1)], context: context)
    }

    /// `dirOf` on a string: "." without a slash, else `std::filesystem::path::parent_path`.
    static func dirOf(_ c: BuiltinContext, _ v: Value) -> Value {
        let (s, context) = coercedBytes(v)
        return c.heap.string(parentPath(s), context: context)
    }

    static func parentPath(_ s: [UInt8]) -> [UInt8] {
        let slash: UInt8 = 47
        guard s.contains(slash) else { return [46] }
        var i = 0
        let hasRoot = s.first == slash
        if hasRoot { while i < s.count && s[i] == slash { i += 1 } }
        // Only a root directory: no relative part, the path is its own parent.
        if i == s.count { return s }
        // Components as (start, end): the root directory, the names, and an empty name after a
        // trailing slash.
        var components: [(Int, Int)] = hasRoot ? [(0, 1)] : []
        while i < s.count {
            let start = i
            while i < s.count && s[i] != slash { i += 1 }
            components.append((start, i))
            if i < s.count {
                while i < s.count && s[i] == slash { i += 1 }
                if i == s.count { components.append((i, i)) }
            }
        }
        guard components.count >= 2 else { return [] }
        return Array(s[0..<components[components.count - 2].1])
    }
}

/// How much of a path `resolveSymlinks` resolves.
enum SymlinkResolution {
    /// Every component but the last.
    case ancestors
    /// Every component.
    case full
}

extension BuiltinContext {
    /// An I/O call with its failure turned into an evaluation error at the call site.
    func io<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as IOError {
            throw error(e.message)
        }
    }

    /// The canonical absolute path of a coerced value (`coerceToPath`).
    func absolutePath(_ v: Value) throws -> [UInt8] {
        if v.isObject(.path) { return Array(v.asPath.bytes) }
        let s = v.asString
        guard s.bytes.first == 47 else { throw error("string '\(s.text)' doesn't represent an absolute path") }
        return PathUtilities.canonical(Array(s.bytes))
    }

    /// `readFileType`: the kind of the entry itself; no symlink may appear above it.
    func fileType(_ path: String) throws -> String {
        try vm.checkAccess(path, span: span)
        let io = program.settings.io
        // `PosixSourceAccessor::assertNoSymlinks` on the parent.
        var parent = path
        while true {
            guard let slash = parent.lastIndex(of: "/"), slash != parent.startIndex else { break }
            parent = String(parent[..<slash])
            if try self.io({ try io.lstatKind(parent) }) == .symlink {
                throw error("path '\(parent)' is a symlink")
            }
        }
        guard let kind = try self.io({ try io.lstatKind(path) }) else { throw error("path '\(path)' does not exist") }
        return Builtins.fileTypeName(kind)
    }
}

extension VM {
    /// `SourcePath::resolveSymlinks` on a canonical absolute path.
    func resolveSymlinks(_ path: [UInt8], mode: SymlinkResolution, context c: BuiltinContext) throws -> String {
        try resolveSymlinks(path, mode: mode, span: c.span)
    }

    /// `SourcePath::resolveSymlinks` on a canonical absolute path, errors located at `span`.
    func resolveSymlinks(_ path: [UInt8], mode: SymlinkResolution, span: Span?) throws -> String {
        let io = program.settings.io
        func attempt<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch let e as IOError { throw EvalError(.other, e.message, span: span) }
        }
        let original = String(decoding: path, as: UTF8.self)
        try checkAccess(original, span: span)
        var result: [Substring] = []
        // Components still to walk, the next one last.
        var todo: [Substring] = original.split(separator: "/").reversed()
        var linksAllowed = 1024
        while let component = todo.popLast() {
            if component.isEmpty || component == "." { continue }
            if component == ".." {
                _ = result.popLast()
                continue
            }
            result.append(component)
            guard mode == .full || !todo.isEmpty else { continue }
            let current = "/" + result.joined(separator: "/")
            try checkAccess(current, span: span)
            guard try attempt({ try io.lstatKind(current) }) == .symlink else { continue }
            if linksAllowed == 0 { throw EvalError(.other, "infinite symlink recursion in path '\(original)'", span: span) }
            linksAllowed -= 1
            let target = try attempt { try io.readLink(current) }
            result.removeLast()
            if target.hasPrefix("/") { result.removeAll() }
            todo.append(contentsOf: target.split(separator: "/").reversed())
        }
        return "/" + result.joined(separator: "/")
    }
}
