// Store derivations (`.drv` files) as C++ Nix 2.26 writes them: the `Derivation` type and its
// ATerm serialisation (`Derive([outputs],[inputDrvs],[inputSrcs],platform,builder,[args],[env])`).

/// How one output of a derivation gets its path.
public enum DerivationOutput: Hashable, Sendable {
    /// The path is computed from the derivation's inputs (the usual kind).
    case inputAddressed(StorePath)
    /// A fixed-output derivation: the content's hash is known in advance.
    case fixed(method: ContentAddressMethod, hash: Hash)
    /// The path is not known yet (while the derivation's hash is computed with masked outputs).
    case deferred

    /// C++ Nix's `printMethodAlgo`: `sha256`, `r:sha256` or `text:sha256`.
    static func methodAlgorithm(_ method: ContentAddressMethod, _ algorithm: HashAlgorithm) -> String {
        switch method {
        case .text: return "text:" + algorithm.rawValue
        case .fixed(let m): return m.fingerprintPrefix + algorithm.rawValue
        }
    }
}

/// A store derivation: what to build, from which inputs, and how.
public struct Derivation: Hashable, Sendable {
    /// The derivation's name (`name` attribute); the `.drv` file is named `NAME.drv`.
    public var name: String
    /// Outputs by name.
    public var outputs: [String: DerivationOutput] = [:]
    /// Input derivations and the outputs of each that are needed.
    public var inputDerivations: [StorePath: Set<String>] = [:]
    /// Input sources (store paths that are not derivation outputs).
    public var inputSources: Set<StorePath> = []
    /// The system the derivation builds on, the builder, its arguments and its environment:
    /// bytes, as Nix strings are (they need not be UTF-8).
    public var platform: [UInt8] = []
    public var builder: [UInt8] = []
    public var arguments: [[UInt8]] = []
    public var environment: [[UInt8]: [UInt8]] = [:]

    public init(name: String) {
        self.name = name
    }

    /// The path of output `outputName` (nil for deferred outputs).
    public func outputPath(_ outputName: String, in store: StoreDirectory) throws -> StorePath? {
        switch outputs[outputName] {
        case .inputAddressed(let p):
            return p
        case .fixed(let method, let hash):
            return try store.makeFixedOutputPathFromCA(
                name: StoreDirectory.outputPathName(name, outputName), method: method, hash: hash)
        case .deferred, nil:
            return nil
        }
    }

    /// The ATerm text of the derivation (C++ Nix's `Derivation::unparse`). With `maskOutputs`,
    /// output paths are left empty; `inputHashes` replaces the input derivations by the hashes
    /// of their derivations modulo fixed outputs (keyed by base-16 hash).
    public func unparse(
        in store: StoreDirectory, maskOutputs: Bool, inputHashes: [String: Set<String>]? = nil
    ) throws -> [UInt8] {
        var s = ATermWriter()
        s.raw("Derive([")
        for (i, outputName) in outputs.keys.sorted(by: Derivation.byteOrder).enumerated() {
            if i > 0 { s.raw(",") }
            s.raw("(")
            s.unquoted(outputName)
            switch outputs[outputName] ?? .deferred {
            case .inputAddressed(let p):
                s.raw(",")
                s.unquoted(maskOutputs ? "" : store.print(p))
                s.raw(",\"\",\"\"")
            case .fixed(let method, let hash):
                let path = maskOutputs ? "" : try outputPath(outputName, in: store).map(store.print) ?? ""
                s.raw(",")
                s.unquoted(path)
                s.raw(",")
                s.unquoted(DerivationOutput.methodAlgorithm(method, hash.algorithm))
                s.raw(",")
                s.unquoted(hash.base16)
            case .deferred:
                s.raw(",\"\",\"\",\"\"")
            }
            s.raw(")")
        }
        s.raw("],[")
        let inputs: [(String, Set<String>)] = inputHashes.map { $0.map { ($0.key, $0.value) } }
            ?? inputDerivations.map { (store.print($0.key), $0.value) }
        for (i, (key, outputNames)) in inputs.sorted(by: { Derivation.byteOrder($0.0, $1.0) }).enumerated() {
            if i > 0 { s.raw(",") }
            s.raw("(")
            s.unquoted(key)
            s.raw(",")
            s.unquotedList(outputNames.sorted(by: Derivation.byteOrder))
            s.raw(")")
        }
        s.raw("],")
        s.unquotedList(inputSources.map(store.print).sorted(by: Derivation.byteOrder))
        s.raw(",")
        s.unquoted(platform)
        s.raw(",")
        s.quoted(builder)
        s.raw(",[")
        for (i, argument) in arguments.enumerated() {
            if i > 0 { s.raw(",") }
            s.quoted(argument)
        }
        s.raw("],[")
        for (i, key) in environment.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }).enumerated() {
            if i > 0 { s.raw(",") }
            s.raw("(")
            s.quoted(key)
            s.raw(",")
            s.quoted(environment[key] ?? [])
            s.raw(")")
        }
        s.raw("])")
        return s.bytes
    }

    /// The store paths the `.drv` file refers to: its input sources and input derivations.
    public var references: Set<StorePath> {
        inputSources.union(inputDerivations.keys)
    }

    /// The names of the outputs, sorted.
    public var outputNames: [String] { outputs.keys.sorted(by: Derivation.byteOrder) }

    /// Whether this is a fixed-output derivation (one output `out` with a known hash).
    public var isFixedOutput: Bool {
        if outputs.count == 1, case .fixed = outputs["out"] { return true }
        return false
    }

    // MARK: - ATerm text

    /// C++ Nix compares strings bytewise (`std::string` order).
    public static func byteOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

}

/// Writes ATerm text: strings quoted as C++ Nix's `printString` (escaping `"`, `\\`, newline,
/// carriage return and tab) or, for store paths, names and hashes, `printUnquotedString`.
struct ATermWriter {
    var bytes: [UInt8] = []

    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    mutating func unquoted(_ s: String) { unquoted(Array(s.utf8)) }

    mutating func unquoted(_ s: [UInt8]) {
        bytes.append(34)
        bytes.append(contentsOf: s)
        bytes.append(34)
    }

    mutating func unquotedList(_ items: [String]) {
        raw("[")
        for (i, item) in items.enumerated() {
            if i > 0 { raw(",") }
            unquoted(item)
        }
        raw("]")
    }

    mutating func quoted(_ s: [UInt8]) {
        bytes.append(34)
        for c in s {
            switch c {
            case 34: bytes.append(contentsOf: [92, 34])
            case 92: bytes.append(contentsOf: [92, 92])
            case 10: bytes.append(contentsOf: [92, 110])
            case 13: bytes.append(contentsOf: [92, 114])
            case 9: bytes.append(contentsOf: [92, 116])
            default: bytes.append(c)
            }
        }
        bytes.append(34)
    }
}
