// Deep equality (`==`) with an explicit work list of value pairs, forcing elements as needed.

/// Compares two values deeply, as C++ Nix's `eqValues`: lists elementwise, sets by names and
/// values (derivations by `outPath` only), functions never equal.
final class EqualityFrame: NativeFrame {
    /// Pairs still to compare; `nested` pairs come from inside lists and sets.
    var pairs: [(Value, Value, nested: Bool)]
    let negate: Bool
    /// The pair whose sides are being forced.
    var pending: (Value, Value, nested: Bool)? = nil
    var forcingSecond = false
    /// A `type` attribute is being forced (the pair to retry is already back on the list).
    var forcingType = false

    init(_ a: Value, _ b: Value, negate: Bool) {
        pairs = [(a, b, false)]
        self.negate = negate
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if forcingType {
            forcingType = false
        } else if let input, var p = pending {
            if p.nested && p.0 == p.1 {
                p.0 = input
                p.1 = input
            } else {
                if forcingSecond { p.1 = input } else { p.0 = input }
                // Different values before forcing: no identity shortcut afterwards.
                p.nested = false
            }
            pairs.append(p)
            pending = nil
        }
        while let (x, y, nested) = pairs.popLast() {
            if x.isThunk && x.asThunk.state != .evaluated {
                pending = (x, y, nested); forcingSecond = false
                return .force(x)
            }
            if y.isThunk && y.asThunk.state != .evaluated {
                pending = (x, y, nested); forcingSecond = true
                return .force(y)
            }
            // Inside lists and sets, a value compared with itself is equal (C++ Nix compares the
            // addresses of the two values after forcing them), even a function. Only the values
            // as stored count: two thunks that evaluate to the same function are not identical.
            if nested && x == y { continue }
            let a = x.isThunk ? x.asThunk.result : x
            let b = y.isThunk ? y.asThunk.result : y
            if let r = try vm.shallowEqual(a, b) {
                if !r { return .done(.bool(negate)) }
                continue
            }
            if a.isObject(.list) {
                let l1 = a.asList, l2 = b.asList
                for i in stride(from: l1.count - 1, through: 0, by: -1) {
                    pairs.append((l1[i], l2[i], true))
                }
                continue
            }
            // Sets: derivations compare by outPath. Whether a set is a derivation depends on its
            // `type`, which C++ Nix forces: force it first, then compare the pair again.
            let s1 = a.asAttrs, s2 = b.asAttrs
            let typeName = vm.program.names.type
            if let t1 = s1[typeName], let t2 = s2[typeName] {
                for t in [t1, t2] where t.isThunk && t.asThunk.state != .evaluated {
                    pairs.append((a, b, false))
                    forcingType = true
                    return .force(t)
                }
            }
            if vm.isDerivation(s1) && vm.isDerivation(s2),
               let o1 = s1[vm.program.names.outPath], let o2 = s2[vm.program.names.outPath] {
                pairs.append((o1, o2, true))
                continue
            }
            if s1.count != s2.count { return .done(.bool(negate)) }
            for i in stride(from: s1.count - 1, through: 0, by: -1) {
                if s1.symbol(at: i) != s2.symbol(at: i) { return .done(.bool(negate)) }
                pairs.append((s1.value(at: i), s2.value(at: i), true))
            }
        }
        return .done(.bool(!negate))
    }
}

extension VM {
    /// `type == "derivation"` (only an already evaluated `type` counts without forcing).
    func isDerivation(_ s: NixAttrs) -> Bool {
        guard var t = s[program.names.type] else { return false }
        if t.isThunk {
            guard t.asThunk.state == .evaluated else { return false }
            t = t.asThunk.result
        }
        return t.isObject(.string) && t.asString.bytes.elementsEqual("derivation".utf8)
    }
}
