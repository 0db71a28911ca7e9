// `derivationStrict`: turns a set of derivation attributes into a store derivation, its `.drv`
// path and its output paths, as C++ Nix 2.26's `prim_derivationStrict` does (attributes
// processed in name order, coerced to strings with paths copied, string contexts turned into
// inputs, fixed-output and input-addressed outputs). `derivation` is the Nix wrapper in
// `DerivationWrapper.swift`.

import NixStore
import NixSyntax

extension Builtins {
    static let derivations: [BuiltinDefinition] = [
        .frame("derivationStrict", 1, strict: [0]) { c, a in
            DerivationStrictFrame(try c.attrs(a[0]).value, span: c.span)
        },
    ]
}

/// The derivations made during one evaluation, with their hashes modulo fixed outputs (C++
/// Nix's `drvHashes` cache), so that derivations using them as inputs can be hashed. Holds no
/// Nix values.
struct DerivationRegistry {
    var derivations: [StorePath: Derivation] = [:]
    var hashes: [StorePath: [String: Hash]] = [:]

    /// Every store path a `.drv` refers to, directly or not, and the `.drv` itself (C++ Nix's
    /// `computeFSClosure` over the derivations known here), without recursion.
    func closure(of drvPath: StorePath) -> Set<StorePath> {
        var seen: Set<StorePath> = [drvPath]
        var work = [drvPath]
        while let p = work.popLast() {
            guard let d = derivations[p] else { continue }
            for r in d.references where seen.insert(r).inserted { work.append(r) }
        }
        return seen
    }
}

/// The state machine of `derivationStrict`.
final class DerivationStrictFrame: NativeFrame {
    /// What the next input is the result of.
    private enum Pending {
        case start
        case name
        case structuredAttrs
        case ignoreNulls
        /// The attribute at `order[position]` was forced to check for null (`__ignoreNulls`).
        case nullCheck
        /// A Boolean attribute (`__contentAddressed`, `__impure`).
        case flag
        /// The `args` list was forced.
        case argumentList
        /// Element `index` of `args`, coerced to a string.
        case argument(list: Value, index: Int)
        /// The attribute, coerced to a string.
        case environmentString
        /// The attribute as JSON (`__structuredAttrs`).
        case json
    }

    let attrs: Value
    let span: Span?
    private var pending = Pending.start
    /// Attribute indices in C++ Nix's order: by name, bytewise.
    private var order: [Int] = []
    private var position = -1
    private var derivation = Derivation(name: "")
    private var context: Set<ContextElement> = []
    private var structured = false
    private var ignoreNulls = false
    private var json: [UInt8] = []
    private var outputHash: [UInt8]? = nil
    private var outputHashAlgorithm: [UInt8] = []
    private var ingestion: ContentAddressMethod? = nil
    private var outputs: [String] = ["out"]
    private var contentAddressed = false

    init(_ attrs: Value, span: Span?) {
        self.attrs = attrs
        self.span = span
    }

    private var set: NixAttrs { attrs.asAttrs }

    private func error(_ message: String) -> EvalError { EvalError(.other, message, span: span) }

    private func attribute(_ vm: VM, _ name: String) -> Value? {
        set.index(of: vm.program.symbols.intern(name)).map { set.value(at: $0) }
    }

    private func currentName(_ vm: VM) -> [UInt8] {
        Array(vm.program.symbols.bytes(set.symbol(at: order[position])))
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        switch pending {
        case .start:
            guard let name = attribute(vm, "name") else { throw error("attribute 'name' missing") }
            pending = .name
            return .force(name)
        case .name:
            let name = try stringWithoutContext(vm, input)
            derivation.name = String(decoding: name, as: UTF8.self)
            do {
                try StorePath.checkName(derivation.name)
            } catch let e as StoreError {
                throw error("invalid derivation name: \(e.message). Please pass a different 'name'.")
            }
            let symbols = vm.program.symbols
            order = (0..<set.count).sorted {
                symbols.bytes(set.symbol(at: $0)).lexicographicallyPrecedes(symbols.bytes(set.symbol(at: $1)))
            }
            if let v = attribute(vm, "__structuredAttrs") {
                pending = .structuredAttrs
                return .force(v)
            }
            return try afterStructuredAttrs(vm)
        case .structuredAttrs:
            structured = try boolean(vm, input)
            return try afterStructuredAttrs(vm)
        case .ignoreNulls:
            ignoreNulls = try boolean(vm, input)
            return try nextAttribute(vm)
        case .nullCheck:
            if input == .null { return try nextAttribute(vm) }
            return try process(vm)
        case .flag:
            if try boolean(vm, input) {
                let key = currentName(vm)
                if key == Array("__contentAddressed".utf8) {
                    throw error(VM.experimentalFeatureMessage("ca-derivations"))
                }
                throw error(VM.experimentalFeatureMessage("impure-derivations"))
            }
            return try nextAttribute(vm)
        case .argumentList:
            guard let list = input, list.isObject(.list) else {
                throw error("expected a list but found \(vm.describe(input ?? .null)): \((try? vm.printForError(input ?? .null)) ?? "")")
            }
            return try nextArgument(vm, list: list, index: 0)
        case .argument(let list, let index):
            derivation.arguments.append(collect(vm, input))
            return try nextArgument(vm, list: list, index: index + 1)
        case .environmentString:
            let s = collect(vm, input)
            let key = currentName(vm)
            derivation.environment[key] = s
            try noteSpecial(vm, key, s)
            return try nextAttribute(vm)
        case .json:
            let text = collect(vm, input)
            let key = currentName(vm)
            json.append(json.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            _ = JSONEncoding.appendString(key[...], to: &json)
            json.append(UInt8(ascii: ":"))
            json += text
            try noteStructuredSpecial(vm, key)
            return try nextAttribute(vm)
        }
    }

    private func afterStructuredAttrs(_ vm: VM) throws -> NativeStep {
        if let v = attribute(vm, "__ignoreNulls") {
            pending = .ignoreNulls
            return .force(v)
        }
        return try nextAttribute(vm)
    }

    /// Moves to the next attribute, or finishes.
    private func nextAttribute(_ vm: VM) throws -> NativeStep {
        position += 1
        while position < order.count && currentName(vm) == Array("__ignoreNulls".utf8) { position += 1 }
        guard position < order.count else { return .done(try finish(vm)) }
        if ignoreNulls {
            pending = .nullCheck
            return .force(set.value(at: order[position]))
        }
        return try process(vm)
    }

    /// Starts processing the current attribute.
    private func process(_ vm: VM) throws -> NativeStep {
        let key = currentName(vm)
        let value = set.value(at: order[position])
        switch key {
        case Array("__contentAddressed".utf8), Array("__impure".utf8):
            pending = .flag
            return .force(value)
        case Array("args".utf8):
            pending = .argumentList
            return .force(value)
        default:
            if structured {
                if key == Array("__structuredAttrs".utf8) { return try nextAttribute(vm) }
                pending = .json
                return .run(JSONSerializer(value, strict: true, span: span))
            }
            pending = .environmentString
            return .run(CoerceToStringFrame(value, span: span, mode: .derivationAttribute))
        }
    }

    private func nextArgument(_ vm: VM, list: Value, index: Int) throws -> NativeStep {
        let elements = list.asList
        guard index < elements.count else { return try nextAttribute(vm) }
        pending = .argument(list: list, index: index)
        return .run(CoerceToStringFrame(elements[index], span: span, mode: .derivationAttribute))
    }

    /// The bytes of a coerced string, its context added to the derivation's.
    private func collect(_ vm: VM, _ input: Value?) -> [UInt8] {
        guard let v = input, v.isObject(.string) else { return [] }
        let s = v.asString
        for e in vm.contextElements(s) { context.insert(e) }
        return Array(s.bytes)
    }

    private func boolean(_ vm: VM, _ input: Value?) throws -> Bool {
        guard let v = input, v.isBool else {
            throw error("expected a Boolean but found \(vm.describe(input ?? .null)): \((try? vm.printForError(input ?? .null)) ?? "")")
        }
        return v == .true
    }

    /// A string that must have no context (C++ Nix's `forceStringNoCtx`).
    private func stringWithoutContext(_ vm: VM, _ input: Value?) throws -> [UInt8] {
        guard let v = input, v.isObject(.string) else {
            throw error("expected a string but found \(vm.describe(input ?? .null)): \((try? vm.printForError(input ?? .null)) ?? "")")
        }
        let s = v.asString
        if let first = vm.contextElements(s).first {
            throw error("the string '\(String(decoding: s.bytes, as: UTF8.self))' is not allowed to refer to a store path (such as '\(String(decoding: first.storePath, as: UTF8.self))')")
        }
        return Array(s.bytes)
    }

    /// Attributes with a meaning beyond the environment (C++ Nix reads them from the strings).
    private func noteSpecial(_ vm: VM, _ key: [UInt8], _ s: [UInt8]) throws {
        switch String(decoding: key, as: UTF8.self) {
        case "builder": derivation.builder = s
        case "system": derivation.platform = s
        case "outputHash": outputHash = s
        case "outputHashAlgo": outputHashAlgorithm = s
        case "outputHashMode": try setHashMode(s)
        case "outputs":
            try setOutputs(s.split(whereSeparator: { [32, 9, 10, 13].contains($0) }).map { Array($0) })
        default: break
        }
    }

    /// The same with `__structuredAttrs`: the values are forced by now (the JSON has them).
    private func noteStructuredSpecial(_ vm: VM, _ key: [UInt8]) throws {
        let value = vm.readyValue(set.value(at: order[position])) ?? .null
        switch String(decoding: key, as: UTF8.self) {
        case "builder":
            guard value.isObject(.string) else { throw typeError(vm, "a string", value) }
            derivation.builder = Array(value.asString.bytes)
        case "system": derivation.platform = try stringWithoutContext(vm, value)
        case "outputHash": outputHash = try stringWithoutContext(vm, value)
        case "outputHashAlgo": outputHashAlgorithm = try stringWithoutContext(vm, value)
        case "outputHashMode": try setHashMode(try stringWithoutContext(vm, value))
        case "outputs":
            guard value.isObject(.list) else { throw typeError(vm, "a list", value) }
            let list = value.asList
            try setOutputs(try (0..<list.count).map { try stringWithoutContext(vm, vm.readyValue(list[$0]) ?? .null) })
        case "allowedReferences", "allowedRequisites", "disallowedReferences", "disallowedRequisites",
             "maxSize", "maxClosureSize":
            let name = String(decoding: key, as: UTF8.self)
            vm.diagnostics("warning: In a derivation named '\(derivation.name)', 'structuredAttrs' disables the effect of the derivation attribute '\(name)'; use 'outputChecks.<output>.\(name)' instead\n")
        default: break
        }
    }

    private func typeError(_ vm: VM, _ expected: String, _ v: Value) -> EvalError {
        error("expected \(expected) but found \(vm.describe(v)): \((try? vm.printForError(v)) ?? "")")
    }

    private func setHashMode(_ s: [UInt8]) throws {
        switch String(decoding: s, as: UTF8.self) {
        case "recursive", "nar": ingestion = .fixed(.nixArchive)
        case "flat": ingestion = .fixed(.flat)
        case "text": throw error(VM.experimentalFeatureMessage("dynamic-derivations"))
        case "git": throw error(VM.experimentalFeatureMessage("git-hashing"))
        default: throw error("invalid value '\(String(decoding: s, as: UTF8.self))' for 'outputHashMode' attribute")
        }
    }

    private func setOutputs(_ names: [[UInt8]]) throws {
        var seen: [String] = []
        for n in names {
            let name = String(decoding: n, as: UTF8.self)
            if seen.contains(name) { throw error("duplicate derivation output '\(name)'") }
            // An output named `drvPath` would clash with the attribute of the result.
            if name == "drvPath" { throw error("invalid derivation output name 'drvPath'") }
            seen.append(name)
        }
        if seen.isEmpty { throw error("derivation cannot have an empty set of outputs") }
        outputs = seen
    }

    // MARK: - The derivation

    private func finish(_ vm: VM) throws -> Value {
        let store = StoreDirectory(vm.program.settings.storeDir)
        if structured {
            derivation.environment[Array("__json".utf8)] = json.isEmpty ? Array("{}".utf8) : json + [UInt8(ascii: "}")]
        }
        try addInputs(vm, store)
        if derivation.builder.isEmpty { throw error("required attribute 'builder' missing") }
        if derivation.platform.isEmpty { throw error("required attribute 'system' missing") }
        if derivation.name.hasSuffix(".drv") {
            throw error("derivation names are allowed to end in '.drv' only if they produce a single derivation file")
        }
        let name = derivation.name
        do {
            if let outputHash {
                guard outputs == ["out"] else { throw error("multiple outputs are not supported in fixed-output derivations") }
                let algorithm = HashAlgorithm(name: String(decoding: outputHashAlgorithm, as: UTF8.self))
                let text = String(decoding: outputHash, as: UTF8.self)
                if text.isEmpty, let algorithm { vm.diagnostics("warning: " + Hash.emptyHashWarning(algorithm) + "\n") }
                let hash = try Hash.parseAllowingEmpty(text, algorithm: algorithm)
                let method = ingestion ?? .fixed(.flat)
                derivation.outputs = ["out": .fixed(method: method, hash: hash)]
                if let path = try derivation.outputPath("out", in: store) {
                    derivation.environment[Array("out".utf8)] = Array(store.print(path).utf8)
                }
            } else {
                for o in outputs {
                    derivation.environment[Array(o.utf8)] = []
                    derivation.outputs[o] = .deferred
                }
                let hashes = try derivation.hashModulo(in: store, maskOutputs: true, inputHashes: { try self.knownHashes(vm, $0) })
                for o in outputs {
                    guard let h = hashes[o] else { throw error("derivation produced no hash for output '\(o)'") }
                    let path = try store.makeOutputPath(id: o, hash: h, name: name)
                    derivation.environment[Array(o.utf8)] = Array(store.print(path).utf8)
                    derivation.outputs[o] = .inputAddressed(path)
                }
            }
            let drvPath = try derivation.path(in: store)
            let hashes = try derivation.hashModulo(in: store, maskOutputs: false, inputHashes: { try self.knownHashes(vm, $0) })
            vm.program.derivations.derivations[drvPath] = derivation
            vm.program.derivations.hashes[drvPath] = hashes
            if vm.program.settings.recordStoreObjects {
                vm.program.storeObjects.record(StoreObject(
                    path: drvPath, method: .text, references: derivation.references,
                    contents: .bytes(try derivation.unparse(in: store, maskOutputs: false))))
            }
            return try result(vm, store, drvPath)
        } catch let e as StoreError {
            throw error(e.message)
        }
    }

    private func knownHashes(_ vm: VM, _ drvPath: StorePath) throws -> [String: Hash] {
        guard let h = vm.program.derivations.hashes[drvPath] else {
            throw error("cannot read the derivation '\(StoreDirectory(vm.program.settings.storeDir).print(drvPath))': it was not made in this evaluation")
        }
        return h
    }

    /// The context of the attributes becomes the derivation's inputs.
    private func addInputs(_ vm: VM, _ store: StoreDirectory) throws {
        func parse(_ bytes: [UInt8]) throws -> StorePath {
            do {
                return try store.parse(String(decoding: bytes, as: UTF8.self))
            } catch let e as StoreError {
                throw error(e.message)
            }
        }
        for element in context {
            switch element {
            case .opaque(let path):
                derivation.inputSources.insert(try parse(path))
            case .built(let drvPath, let output):
                derivation.inputDerivations[try parse(drvPath), default: []].insert(String(decoding: output, as: UTF8.self))
            case .allOutputs(let drvPath):
                // The whole closure of the derivation becomes available to the builder.
                for p in vm.program.derivations.closure(of: try parse(drvPath)) {
                    derivation.inputSources.insert(p)
                    if p.isDerivation, let d = vm.program.derivations.derivations[p] {
                        derivation.inputDerivations[p, default: []].formUnion(d.outputs.keys)
                    }
                }
            }
        }
    }

    /// `{ drvPath = …; OUTPUT = …; }` with the strings' contexts.
    private func result(_ vm: VM, _ store: StoreDirectory, _ drvPath: StorePath) throws -> Value {
        let heap = vm.heap
        let symbols = vm.program.symbols
        let drvText = Array(store.print(drvPath).utf8)
        var entries: [(Symbol, Value)] = [
            (symbols.intern("drvPath"),
             heap.string(drvText, context: vm.makeContext([.allOutputs(drvPath: drvText)]))),
        ]
        for o in derivation.outputNames {
            guard let path = try derivation.outputPath(o, in: store) else { continue }
            entries.append((symbols.intern(o), heap.string(
                Array(store.print(path).utf8),
                context: vm.makeContext([.built(drvPath: drvText, output: Array(o.utf8))]))))
        }
        return heap.attrs(entries)
    }
}

extension VM {
    /// C++ Nix's message for a feature that needs `--extra-experimental-features`.
    static func experimentalFeatureMessage(_ feature: String) -> String {
        "experimental Nix feature '\(feature)' is disabled; add '--extra-experimental-features \(feature)' to enable it"
    }
}
