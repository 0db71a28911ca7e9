// File-system and environment builtins: `baseNameOf`, `dirOf`, `readFile`, `pathExists`,
// `readFileType`, `readDir`, `getEnv`. All access goes through `EvalIO`.
//
// Paths are taken as C++ Nix's `coerceToPath` takes them: path values as they are, strings
// (also from `__toString` and `outPath`) when absolute, canonicalised lexically. Symlinks are
// then resolved component by component as `SourcePath::resolveSymlinks` does.

import NixSyntax

extension Builtins {
    static let files: [BuiltinDefinition] = [
        .valueOrFrame("baseNameOf", 1, strict: [0]) { c0, a in
            let c = c0
            if a[0].isObject(.string) || a[0].isObject(.path) { return .value(baseNameOf(c, a[0])) }
            return .frame(PlainCoercionFrame(a[0], span: c.span) { vm, v in .done(baseNameOf(c, v)) })
        },
        .valueOrFrame("dirOf", 1, strict: [0]) { c0, a in
            let c = c0
            let v = a[0]
            if v.isObject(.path) {
                let bytes = Array(v.asPath.bytes)
                guard let slash = bytes.lastIndex(of: 47), bytes.count > 1 else { return .value(v) }
                return .value(c.heap.path(slash == 0 ? [47] : Array(bytes[..<slash])))
            }
            if v.isObject(.string) { return .value(dirOf(c, v)) }
            return .frame(PlainCoercionFrame(v, span: c.span) { vm, s in .done(dirOf(c, s)) })
        },
        .frame("readFile", 1, strict: [0]) { c0, a in
            let c = c0
            return PlainCoercionFrame(a[0], span: c.span) { vm, v in
                let path = try c.vm.resolveSymlinks(try c.absolutePath(v), mode: .full, context: c)
                let data: [UInt8]
                do {
                    data = try c.program.settings.io.readFile(path)
                } catch let e as IOError {
                    throw c.error(e.message)
                }
                if data.contains(0) {
                    throw c.error("the contents of the file '\(path)' cannot be represented as a Nix string")
                }
                return .done(c.heap.string(data))
            }
        },
        .frame("pathExists", 1, strict: [0]) { c0, a in
            let c = c0
            // A string ending in `/` or `/.` must name a directory (checked after resolving all symlinks).
            var mustBeDirectory = false
            if a[0].isObject(.string) {
                let b = a[0].asString.bytes
                mustBeDirectory = b.last == 47 || (b.count >= 2 && b[b.count - 2] == 47 && b[b.count - 1] == 46)
            }
            return PlainCoercionFrame(a[0], span: c.span) { vm, v in
                let path = try c.vm.resolveSymlinks(try c.absolutePath(v), mode: mustBeDirectory ? .full : .ancestors, context: c)
                let kind = try c.io { try c.program.settings.io.lstatKind(path) }
                return .done(.bool(kind != nil && (!mustBeDirectory || kind == .directory)))
            }
        },
        .frame("readFileType", 1, strict: [0]) { c0, a in
            let c = c0
            return PlainCoercionFrame(a[0], span: c.span) { vm, v in
                .done(c.heap.string(try c.fileType(String(decoding: try c.absolutePath(v), as: UTF8.self))))
            }
        },
        .frame("readDir", 1, strict: [0]) { c0, a in
            let c = c0
            return PlainCoercionFrame(a[0], span: c.span) { vm, v in
                let path = try c.vm.resolveSymlinks(try c.absolutePath(v), mode: .full, context: c)
                let entries = try c.io { try c.program.settings.io.readDirectory(path) }
                var result: [(Symbol, Value)] = []
                result.reserveCapacity(entries.count)
                let prefix = path == "/" ? path : path + "/"
                for (name, kind) in entries {
                    let value: Value
                    if let kind {
                        value = c.heap.string(fileTypeName(kind))
                    } else {
                        // Unknown from the listing: a lazy `readFileType`, as C++ Nix does.
                        let readFileType = Value.builtin(c.program.builtins.indexByName["readFileType"]!)
                        value = c.heap.applyThunk(readFileType, c.heap.path(Array((prefix + name).utf8)), site: c.site)
                    }
                    result.append((c.symbols.intern(name), value))
                }
                return .done(c.heap.attrs(result))
            }
        },
        .strict("getEnv", 1) { c, a in
            let name = try c.stringNoContext(a[0])
            if c.program.settings.pureEval { return c.heap.string([]) }
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
        let io = program.settings.io
        let original = String(decoding: path, as: UTF8.self)
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
            guard try c.io({ try io.lstatKind(current) }) == .symlink else { continue }
            if linksAllowed == 0 { throw c.error("infinite symlink recursion in path '\(original)'") }
            linksAllowed -= 1
            let target = try c.io { try io.readLink(current) }
            result.removeLast()
            if target.hasPrefix("/") { result.removeAll() }
            todo.append(contentsOf: target.split(separator: "/").reversed())
        }
        return "/" + result.joined(separator: "/")
    }
}

/// C++ Nix's `coerceToString` without copying paths to the store and without the extra
/// conversions of `toString`: strings and paths as they are, sets through `__toString` (whose
/// result is coerced again) or `outPath`. Hands the string or path to `finish`.
final class PlainCoercionFrame: NativeFrame {
    var current: Value
    let span: Span?
    let finish: (VM, Value) throws -> NativeStep

    init(_ v: Value, span: Span?, finish: @escaping (VM, Value) throws -> NativeStep) {
        current = v
        self.span = span
        self.finish = finish
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input { current = input }
        while true {
            guard let v = vm.readyValue(current) else { return .force(current) }
            if v.isObject(.string) || v.isObject(.path) { return try finish(vm, v) }
            if v.isObject(.attrs) {
                let attrs = v.asAttrs
                if let f = attrs[vm.program.names.toStringAttr] { return .call(f, v) }
                if let out = attrs[vm.program.names.outPath] {
                    current = out
                    continue
                }
            }
            throw EvalError(.other, "cannot coerce \(vm.describe(v)) to a string: \(try vm.printForError(v))", span: span)
        }
    }
}
