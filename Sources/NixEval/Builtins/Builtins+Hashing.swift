// Hashing builtins: `hashString`, `hashFile`, `convertHash` and `placeholder`, with C++ Nix
// 2.26's argument order, forcing order and messages (hashes come from NixStore).

import NixStore
import NixSyntax

extension Builtins {
    static let hashing: [BuiltinDefinition] = [
        .strict("hashString", 2) { c, a in
            let algorithm = try c.hashAlgorithm(try c.stringNoContext(a[0]).text)
            // The context of the string is discarded.
            let s = try c.string(a[1])
            var sink = HashSink(algorithm)
            sink.update(UnsafeRawBufferPointer(s.bytes))
            return c.heap.string(sink.finalize().base16)
        },
        .strict("hashFile", 2) { c, a in
            let algorithm = try c.hashAlgorithm(try c.stringNoContext(a[0]).text)
            let path = try c.vm.resolveSymlinks(try c.realisedPath(a[1]), mode: .full, context: c)
            var sink = HashSink(algorithm)
            try c.store { try c.program.settings.io.storeFileSystem.readChunks(path) { sink.update($0) } }
            return c.heap.string(sink.finalize().base16)
        }.coercing(1, .keepingPaths),
        .frame("convertHash", 1, strict: [0]) { c, a in
            ConvertHashFrame(arguments: try c.attrs(a[0]), context: c)
        },
        .strict("placeholder", 1) { c, a in
            let output = try c.stringNoContext(a[0])
            var sink = HashSink(.sha256)
            sink.update("nix-output:")
            sink.update(UnsafeRawBufferPointer(output.bytes))
            return c.heap.string("/" + sink.finalize().nix32)
        },
    ]
}

extension BuiltinContext {
    /// `parseHashAlgo`: a usage error for an unknown name.
    func hashAlgorithm(_ name: String) throws -> HashAlgorithm {
        try store { try HashAlgorithm.parse(name) }
    }

    /// A store-layer call with its failure turned into an evaluation error at the call site.
    func store<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as StoreError {
            throw error(e.message)
        }
    }
}

/// `builtins.convertHash { hash; hashAlgo ? …; toHashFormat; }`: reads `hash`, then `hashAlgo`,
/// then `toHashFormat`, forcing and checking each before reading the next, as C++ Nix does.
final class ConvertHashFrame: NativeFrame {
    let arguments: NixAttrs
    let context: BuiltinContext
    enum Step { case hash, algorithm, format }
    var step = Step.hash
    var hash = ""
    var algorithm: HashAlgorithm? = nil

    init(arguments: NixAttrs, context: BuiltinContext) {
        self.arguments = arguments
        self.context = context
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        let c = context
        var input = input
        /// The forced value of attribute `name`, nil after asking the VM to force it.
        func forced(_ raw: Value) -> Value? {
            if let v = input { input = nil; return v }
            return vm.readyValue(raw)
        }
        while true {
            switch step {
            case .hash:
                guard let raw = arguments[c.symbols.intern("hash")] else { throw c.error("attribute 'hash' missing") }
                guard let v = forced(raw) else { return .force(raw) }
                hash = try c.stringNoContext(v).text
                step = .algorithm
            case .algorithm:
                if let raw = arguments[c.symbols.intern("hashAlgo")] {
                    guard let v = forced(raw) else { return .force(raw) }
                    algorithm = try c.hashAlgorithm(try c.stringNoContext(v).text)
                }
                step = .format
            case .format:
                guard let raw = arguments[c.symbols.intern("toHashFormat")] else {
                    throw c.error("attribute 'toHashFormat' missing")
                }
                guard let v = forced(raw) else { return .force(raw) }
                let (format, deprecated) = try c.store { try HashFormat.parse(try c.stringNoContext(v).text) }
                if deprecated { vm.diagnostics("warning: \(HashFormat.base32AliasWarning)\n") }
                let h = try c.store { try Hash.parseAny(hash, algorithm: algorithm) }
                return .done(c.heap.string(h.encoded(format, includeAlgorithm: format == .sri)))
            }
        }
    }
}
