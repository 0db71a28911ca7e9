// String-context builtins that need no store: `hasContext`, `getContext`, `appendContext`,
// `unsafeDiscardStringContext`, `unsafeDiscardOutputDependency`, `addDrvOutputDependencies`.
//
// A context element is a string: `/nix/store/…` (a plain path), `=/nix/store/….drv` (a
// derivation with all its outputs) or `!OUT!/nix/store/….drv` (one output of a derivation).

import NixSyntax

/// One element of a string context, decoded.
enum ContextElement: Hashable {
    case opaque(path: [UInt8])
    case allOutputs(drvPath: [UInt8])
    case built(drvPath: [UInt8], output: [UInt8])

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.first == UInt8(ascii: "=") {
            self = .allOutputs(drvPath: Array(bytes.dropFirst()))
        } else if bytes.first == UInt8(ascii: "!"), let bang = bytes.dropFirst().firstIndex(of: UInt8(ascii: "!")) {
            self = .built(drvPath: Array(bytes[(bang + 1)...]), output: Array(bytes[1..<bang]))
        } else {
            self = .opaque(path: Array(bytes))
        }
    }

    /// The element's encoding as a context string.
    var encoded: [UInt8] {
        switch self {
        case .opaque(let p): return p
        case .allOutputs(let d): return [UInt8(ascii: "=")] + d
        case .built(let d, let o): return [UInt8(ascii: "!")] + o + [UInt8(ascii: "!")] + d
        }
    }

    var storePath: [UInt8] {
        switch self {
        case .opaque(let p): return p
        case .allOutputs(let d), .built(let d, _): return d
        }
    }
}

extension VM {
    /// The decoded elements of a string's context (empty without one).
    func contextElements(_ s: NixString) -> [ContextElement] {
        guard let c = s.context else { return [] }
        return (0..<c.count).map { ContextElement(c[$0].bytes) }
    }

    /// A context object holding `elements` (sorted and unique), or nil when there are none.
    func makeContext(_ elements: [ContextElement]) -> Value? {
        let encoded = Set(elements.map(\.encoded)).sorted { $0.lexicographicallyPrecedes($1) }
        if encoded.isEmpty { return nil }
        return heap.context(encoded.map { heap.string($0) })
    }

    /// Whether `bytes` is a store path: the store directory, `/`, 32 nix32 characters, `-`, and a
    /// valid name (C++ Nix's `isStorePath`).
    func isStorePath(_ bytes: [UInt8]) -> Bool {
        let prefix = Array((program.settings.storeDir + "/").utf8)
        guard bytes.count > prefix.count + 33, bytes.starts(with: prefix) else { return false }
        let base = bytes[prefix.count...]
        let digest = base.prefix(32)
        let alphabet = Set("0123456789abcdfghijklmnpqrsvwxyz".utf8)
        guard digest.allSatisfy({ alphabet.contains($0) }), base[base.startIndex + 32] == UInt8(ascii: "-") else { return false }
        let name = base.dropFirst(33)
        guard let first = name.first, first != UInt8(ascii: ".") else { return false }
        return name.allSatisfy { c in
            (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || "+-._?=".utf8.contains(c)
        }
    }
}

extension Builtins {
    static let context: [BuiltinDefinition] = [
        .strict("hasContext", 1) { c, a in .bool(try c.string(a[0]).context != nil) },
        .strict("unsafeDiscardStringContext", 1) { c, a in
            let s = a[0].asString
            return s.context == nil ? a[0] : c.heap.string(s.bytes)
        }.coercing(0, .interpolation),
        .strict("unsafeDiscardOutputDependency", 1) { c, a in
            let s = a[0].asString
            guard s.context != nil else { return a[0] }
            let elements = c.vm.contextElements(s).map { e -> ContextElement in
                if case .allOutputs(let d) = e { return .opaque(path: d) }
                return e
            }
            return c.heap.string(s.bytes, context: c.vm.makeContext(elements))
        }.coercing(0, .interpolation),
        .strict("addDrvOutputDependencies", 1) { c, a in
            let s = a[0].asString
            let elements = c.vm.contextElements(s)
            guard elements.count == 1 else {
                throw c.error("context of string '\(s.text)' must have exactly one element, but has \(elements.count)")
            }
            switch elements[0] {
            case .opaque(let p):
                guard p.count >= 4, p.suffix(4).elementsEqual(".drv".utf8) else {
                    throw c.error("path '\(String(decoding: p, as: UTF8.self))' is not a derivation")
                }
                return c.heap.string(s.bytes, context: c.vm.makeContext([.allOutputs(drvPath: p)]))
            case .allOutputs:
                return a[0]
            case .built(_, let output):
                throw c.error("`addDrvOutputDependencies` can only act on derivations, not on a derivation output such as '\(String(decoding: output, as: UTF8.self))'")
            }
        }.coercing(0, .interpolation),
        .strict("getContext", 1) { c, a in
            let s = try c.string(a[0])
            // Per store path: whether it is a plain path, all outputs, and which outputs.
            var info: [[UInt8]: (path: Bool, all: Bool, outputs: [[UInt8]])] = [:]
            for e in c.vm.contextElements(s) {
                var entry = info[e.storePath] ?? (false, false, [])
                switch e {
                case .opaque: entry.path = true
                case .allOutputs: entry.all = true
                case .built(_, let o): entry.outputs.append(o)
                }
                info[e.storePath] = entry
            }
            let names = c.program.names
            var result: [(Symbol, Value)] = []
            for (path, entry) in info {
                var fields: [(Symbol, Value)] = []
                if entry.path { fields.append((names.path, .true)) }
                if entry.all { fields.append((names.allOutputs, .true)) }
                if !entry.outputs.isEmpty {
                    let sorted = entry.outputs.sorted { $0.lexicographicallyPrecedes($1) }
                    fields.append((names.outputs, c.heap.list(sorted.map { c.heap.string($0) })))
                }
                result.append((c.symbols.intern(path), c.heap.attrs(fields)))
            }
            return c.heap.attrs(result)
        },
        .frame("appendContext", 2, strict: [0, 1]) { c, a in
            AppendContextFrame(string: try c.string(a[0]), additions: try c.attrs(a[1]), context: c)
        },
    ]
}

/// `builtins.appendContext s { PATH = { path = …; allOutputs = …; outputs = […]; }; … }`:
/// every value it reads is forced in the order C++ Nix forces it.
final class AppendContextFrame: NativeFrame {
    let string: NixString
    let additions: NixAttrs
    let context: BuiltinContext
    var elements: [ContextElement]
    /// Entry of `additions` being read, and what of it is being read.
    var entry = 0
    enum Step { case start, info, path, allOutputs, outputs, outputElement(Int) }
    var step = Step.start
    var info: NixAttrs? = nil
    var outputs: NixList? = nil

    init(string: NixString, additions: NixAttrs, context: BuiltinContext) {
        self.string = string
        self.additions = additions
        self.context = context
        self.elements = context.vm.contextElements(string)
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        var input = input
        let c = context
        let names = c.program.names
        while entry < additions.count {
            let name = Array(c.symbols.bytes(additions.symbol(at: entry)))
            let quoted = "\"" + String(decoding: name, as: UTF8.self) + "\""
            let isDerivation = name.count >= 4 && name.suffix(4).elementsEqual(".drv".utf8)
            /// The value of `v`, or nil after asking the VM to force it (then `input` holds it next time).
            func ready(_ v: Value) -> Value? {
                if let r = input { input = nil; return r }
                return vm.readyValue(v)
            }
            switch step {
            case .start:
                guard vm.isStorePath(name) else { throw c.error("context key '\(quoted)' is not a store path") }
                step = .info
            case .info:
                let raw = additions.value(at: entry)
                guard let v = ready(raw) else { return .force(raw) }
                info = try c.attrs(v)
                step = .path
            case .path:
                if let raw = info?[names.path] {
                    guard let v = ready(raw) else { return .force(raw) }
                    if try c.bool(v) { elements.append(.opaque(path: name)) }
                }
                step = .allOutputs
            case .allOutputs:
                if let raw = info?[names.allOutputs] {
                    guard let v = ready(raw) else { return .force(raw) }
                    if try c.bool(v) {
                        guard isDerivation else {
                            throw c.error("tried to add all-outputs context of \(quoted), which is not a derivation, to a string")
                        }
                        elements.append(.allOutputs(drvPath: name))
                    }
                }
                step = .outputs
            case .outputs:
                if let raw = info?[names.outputs] {
                    guard let v = ready(raw) else { return .force(raw) }
                    let list = try c.list(v)
                    if list.count > 0 && !isDerivation {
                        throw c.error("tried to add derivation output context of \(quoted), which is not a derivation, to a string")
                    }
                    outputs = list
                    step = .outputElement(0)
                } else {
                    entry += 1
                    step = .start
                }
            case .outputElement(let i):
                guard let list = outputs, i < list.count else {
                    entry += 1
                    step = .start
                    continue
                }
                guard let v = ready(list[i]) else { return .force(list[i]) }
                let output = try c.stringNoContext(v)
                elements.append(.built(drvPath: name, output: Array(output.bytes)))
                step = .outputElement(i + 1)
            }
        }
        return .done(c.heap.string(string.bytes, context: vm.makeContext(elements)))
    }
}
