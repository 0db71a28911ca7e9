// Version strings as C++ Nix's names.cc handles them: `splitVersion`, `compareVersions`,
// `parseDrvName`.

extension Builtins {
    static let versions: [BuiltinDefinition] = [
        .strict("splitVersion", 1) { c, a in
            let s = try c.stringNoContext(a[0])
            var p = 0
            var parts: [Value] = []
            let bytes = s.bytes
            while p < bytes.count {
                let component = VersionComponents.next(bytes, &p)
                if component.isEmpty { break }
                parts.append(c.heap.string(bytes[component]))
            }
            return c.heap.list(parts)
        },
        .strict("compareVersions", 2) { c, a in
            let v1 = try c.stringNoContext(a[0])
            let v2 = try c.stringNoContext(a[1])
            return .smallInt(Int64(VersionComponents.compare(v1.bytes, v2.bytes)))
        },
        .strict("parseDrvName", 1) { c, a in
            let s = try c.stringNoContext(a[0]).bytes
            var name = s[...], version = s[s.endIndex...]
            // The name ends at the first dash not followed by a letter.
            for i in 0..<s.count where s[i] == UInt8(ascii: "-") && i + 1 < s.count && !VersionComponents.isAlpha(s[i + 1]) {
                name = s[..<i]
                version = s[(i + 1)...]
                break
            }
            return c.heap.attrs([(c.program.names.name, c.heap.string(name)),
                                 (c.symbols.intern("version"), c.heap.string(version))])
        },
    ]
}

/// `nextComponent`, `componentsLT` and `compareVersions` of C++ Nix (C locale).
enum VersionComponents {
    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 97 && (b | 0x20) <= 122 }

    /// The next component starting at `p` (skipping `.` and `-` separators): a run of digits or
    /// a run of other non-separator bytes; empty at the end.
    static func next(_ s: UnsafeBufferPointer<UInt8>, _ p: inout Int) -> Range<Int> {
        while p < s.count && (s[p] == UInt8(ascii: ".") || s[p] == UInt8(ascii: "-")) { p += 1 }
        let start = p
        if p == s.count { return start..<start }
        if isDigit(s[p]) {
            while p < s.count && isDigit(s[p]) { p += 1 }
        } else {
            while p < s.count && !isDigit(s[p]) && s[p] != UInt8(ascii: ".") && s[p] != UInt8(ascii: "-") { p += 1 }
        }
        return start..<p
    }

    /// `string2Int<int>`: a run of digits that fits in a 32-bit int.
    static func number(_ c: UnsafeBufferPointer<UInt8>.SubSequence) -> Int32? {
        guard !c.isEmpty else { return nil }
        var n: Int32 = 0
        for b in c {
            guard isDigit(b) else { return nil }
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (r, o2) = m.addingReportingOverflow(Int32(b - 48))
            if o1 || o2 { return nil }
            n = r
        }
        return n
    }

    static func less(_ c1: UnsafeBufferPointer<UInt8>.SubSequence, _ c2: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        let n1 = number(c1), n2 = number(c2)
        let pre = "pre".utf8
        if let n1, let n2 { return n1 < n2 }
        if c1.isEmpty && n2 != nil { return true }
        if c1.elementsEqual(pre) && !c2.elementsEqual(pre) { return true }
        if c2.elementsEqual(pre) { return false }
        if n2 != nil { return true }
        if n1 != nil { return false }
        return c1.lexicographicallyPrecedes(c2)
    }

    static func compare(_ v1: UnsafeBufferPointer<UInt8>, _ v2: UnsafeBufferPointer<UInt8>) -> Int {
        var p1 = 0, p2 = 0
        while p1 < v1.count || p2 < v2.count {
            let c1 = v1[next(v1, &p1)], c2 = v2[next(v2, &p2)]
            if less(c1, c2) { return -1 }
            if less(c2, c1) { return 1 }
        }
        return 0
    }
}
