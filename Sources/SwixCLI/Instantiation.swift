// `swix instantiate` without `--eval`, as nix-instantiate 2.26: the derivations of the value
// are found as C++ Nix's `getDerivations` finds them, the store objects the evaluation made
// (copied sources, `toFile` texts, `.drv` files) are written through the Nix daemon, and each
// `.drv` path is printed (with `!OUTPUT` unless the derivation's output is `out`).

import NixEval
import NixStore

/// Finds derivations in a value as C++ Nix's `getDerivations`: the value itself, or the
/// attributes of a set (names matching `[A-Za-z_][A-Za-z0-9-_+]*`, in name order; sets with
/// `recurseForDerivations = true` searched too), or the elements of a list (searched as
/// values themselves). Each derivation set is taken once. Uses an explicit stack.
struct DerivationSearch {
    let evaluator: Evaluator
    let autoArgs: [(String, Value)]
    private(set) var found: [Value] = []
    private var seen: Set<UInt64> = []

    private enum Level {
        case attrs([Value], next: Int)
        case list([Value], next: Int)
    }

    init(evaluator: Evaluator, autoArgs: [(String, Value)]) {
        self.evaluator = evaluator
        self.autoArgs = autoArgs
    }

    /// Searches `root`, appending what it finds to `found`.
    mutating func search(_ root: Value) throws {
        var stack: [Level] = []
        if let level = try enter(root) { stack.append(level) }
        while let top = stack.popLast() {
            switch top {
            case .attrs(let values, let next):
                guard next < values.count else { continue }
                stack.append(.attrs(values, next: next + 1))
                let v = try evaluator.force(values[next])
                guard try take(v), let attrs = evaluator.attributes(v),
                      let recurse = attrs.first(where: { $0.name == "recurseForDerivations" }),
                      try evaluator.bool(recurse.value, note: "while evaluating the attribute `recurseForDerivations`")
                else { continue }
                if let level = try enter(v) { stack.append(level) }
            case .list(let values, let next):
                guard next < values.count else { continue }
                stack.append(.list(values, next: next + 1))
                if try take(try evaluator.force(values[next])), let level = try enter(values[next]) {
                    stack.append(level)
                }
            }
        }
    }

    /// `getDerivations` on one value: auto-called, then taken if a derivation, else the level
    /// of its attributes or elements.
    private mutating func enter(_ value: Value) throws -> Level? {
        let v = try evaluator.autoCall(value, arguments: autoArgs)
        guard try take(v) else { return nil }
        if let attrs = evaluator.attributes(v) {
            let names = attrs.filter { DerivationSearch.isSearchedName($0.name) }
                .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            return .attrs(names.map(\.value), next: 0)
        }
        if let elements = evaluator.elements(v) { return .list(elements, next: 0) }
        throw evaluator.error("expression does not evaluate to a derivation (or a set or list of those)")
    }

    /// `getDerivation`: records a forced derivation (checking its name) and returns false, or
    /// returns true when the value is not a derivation and may be searched.
    private mutating func take(_ v: Value) throws -> Bool {
        guard try evaluator.isDerivation(v) else { return true }
        guard seen.insert(v.bits).inserted else { return false }
        guard let name = try evaluator.select(v, "name") else { throw evaluator.error("derivation name missing") }
        _ = try evaluator.stringWithoutContext(name, note: "while evaluating the 'name' attribute of a derivation")
        found.append(v)
        return false
    }

    /// Whether `getDerivations` looks at an attribute of this name.
    static func isSearchedName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.dropFirst().allSatisfy {
            isLetter($0) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "+")
        }
    }

    private static func isLetter(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
}

/// The roots of `--add-root PATH`: `PATH` for the first derivation, then `PATH-2`, `PATH-3`, …
/// (counted over all attribute paths, as nix-instantiate counts).
struct GCRoots {
    let base: String
    private var count = 0

    init(base: String) { self.base = base }

    mutating func next() -> String {
        count += 1
        return count == 1 ? base : base + "-\(count)"
    }
}

extension InstantiateCommand {
    /// The warning nix-instantiate prints once, before the first path, without `--add-root`.
    static let gcWarning = "warning: you did not specify '--add-root'; the result might be removed by the garbage collector\n"

    /// Without `--eval`: writes what the evaluation put into the store and appends each
    /// derivation's `.drv` path (`PATH!OUTPUT` for an output other than `out`) to `output`.
    static func instantiate(
        _ evaluator: Evaluator, _ value: Value, autoArgs: [(String, Value)], store: StoreWriter,
        roots: inout GCRoots?, warn: inout Bool, output: inout [UInt8], stderr: inout [UInt8]
    ) throws {
        var search = DerivationSearch(evaluator: evaluator, autoArgs: autoArgs)
        try search.search(value)
        let dir = store.storeDirectory
        for drv in search.found {
            let drvPathNote = "while evaluating the 'drvPath' attribute of a derivation"
            guard let drvPathValue = try evaluator.select(drv, "drvPath") else {
                throw evaluator.error("derivation does not contain a 'drvPath' attribute")
            }
            let text = try evaluator.coerceToPathText(drvPathValue, note: drvPathNote)
            guard let drvPath = dir.parseIfValid(text) else {
                throw evaluator.error("path '\(text)' is not in the Nix store", note: drvPathNote)
            }
            guard drvPath.isDerivation else {
                throw evaluator.error("store path '\(drvPath.baseName)' is not a valid derivation path", note: drvPathNote)
            }
            var outputName = ""
            if let o = try evaluator.select(drv, "outputName") {
                outputName = try evaluator.stringWithoutContext(o, note: "while evaluating the output name of a derivation")
            }
            if outputName.isEmpty { throw evaluator.error("derivation '\(text)' lacks an 'outputName' attribute") }
            try store.write(evaluator.takeStoreObjects())
            var printed = text
            if roots != nil, let root = roots?.next() {
                printed = try store.addPermRoot(drvPath, at: root)
            } else if warn {
                stderr += Array(gcWarning.utf8)
                warn = false
            }
            output += Array((printed + (outputName == "out" ? "" : "!" + outputName) + "\n").utf8)
        }
        // What was made besides the derivations (as C++ Nix, which writes while evaluating).
        try store.write(evaluator.takeStoreObjects())
    }
}
