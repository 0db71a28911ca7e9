// Derivation hashes and paths as C++ Nix 2.26 computes them: `hashDerivationModulo` (the hash
// that input-addressed output paths derive from, with fixed-output inputs replaced by their
// fixed hashes) and the path of the `.drv` file itself.

extension Derivation {
    /// C++ Nix's `hashDerivationModulo`: for each output, the hash its path is made from.
    ///
    /// A fixed-output derivation hashes to `fixed:out:METHOD:HASH:PATH`, so that derivations
    /// producing the same content agree whatever their inputs. Any other derivation hashes its
    /// ATerm text with every input derivation replaced by that derivation's own hash modulo
    /// (`inputHashes` gives it for a `.drv` path; inputs are always known by then).
    /// `maskOutputs` leaves the output paths out (used before they are known).
    public func hashModulo(
        in store: StoreDirectory, maskOutputs: Bool,
        inputHashes: (StorePath) throws -> [String: Hash]
    ) throws -> [String: Hash] {
        if isFixedOutput, case .fixed(let method, let hash)? = outputs["out"] {
            guard let path = try outputPath("out", in: store) else { return [:] }
            let text = "fixed:out:" + DerivationOutput.methodAlgorithm(method, hash.algorithm) + ":"
                + hash.base16 + ":" + store.print(path)
            return ["out": Hash.of(string: text, algorithm: .sha256)]
        }
        var replaced: [String: Set<String>] = [:]
        for (drvPath, outputNames) in inputDerivations {
            let hashes = try inputHashes(drvPath)
            for outputName in outputNames {
                guard let h = hashes[outputName] else {
                    throw StoreError("no hash for output '\(outputName)' of derivation '\(name)'")
                }
                replaced[h.base16, default: []].insert(outputName)
            }
        }
        let hash = Hash.of(try unparse(in: store, maskOutputs: maskOutputs, inputHashes: replaced), algorithm: .sha256)
        var result: [String: Hash] = [:]
        for outputName in outputs.keys { result[outputName] = hash }
        return result
    }

    /// The store path of the `.drv` file (C++ Nix's `writeDerivation` without writing): a text
    /// path named `NAME.drv` over the ATerm text, referring to the inputs.
    public func path(in store: StoreDirectory) throws -> StorePath {
        try store.makeTextPath(
            name: name + ".drv", contents: try unparse(in: store, maskOutputs: false), references: references)
    }
}
