// Quoting of strings and attribute names exactly as C++ Nix prints them.

/// Helpers for printing Nix string literals and identifiers.
public enum NixQuoting {
    static let keywords: [[UInt8]] = ["if", "then", "else", "assert", "with", "let", "in", "rec", "inherit"].map { Array($0.utf8) }

    static func isKeyword<C: Collection>(_ name: C) -> Bool where C.Element == UInt8 {
        let n = name.count
        guard n >= 2 && n <= 7 else { return false }
        for k in keywords where k.count == n && k.elementsEqual(name) { return true }
        return false
    }

    /// Whether `name` prints bare as an attribute name (C++ Nix's `isVarName`).
    public static func isBareIdentifier<C: Collection>(_ name: C) -> Bool where C.Element == UInt8 {
        guard let c = name.first else { return false }
        if (c >= 48 && c <= 57) || c == 45 || c == 39 { return false }
        for b in name {
            let ok = (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 95 || b == 45 || b == 39
            if !ok { return false }
        }
        return !isKeyword(name)
    }

    /// Appends `"…"` with `\"`, `\\`, `\n`, `\r`, `\t` and `\${` escaped.
    public static func appendStringLiteral<C: Collection, Sink: ByteSink>(_ s: C, to out: inout Sink) where C.Element == UInt8 {
        out.append(34)
        var it = s.makeIterator()
        var pending: UInt8? = it.next()
        while let c = pending {
            let next = it.next()
            switch c {
            case 34, 92:
                out.append(92)
                out.append(c)
            case 10:
                out.append(92)
                out.append(110)
            case 13:
                out.append(92)
                out.append(114)
            case 9:
                out.append(92)
                out.append(116)
            case 36:
                if next == 123 { out.append(92) }
                out.append(36)
            default: out.append(c)
            }
            pending = next
        }
        out.append(34)
    }

    /// Appends an attribute name, quoted when it is not a plain identifier.
    public static func appendAttributeName<Sink: ByteSink>(_ name: UnsafeBufferPointer<UInt8>, to out: inout Sink) {
        if isBareIdentifier(name) {
            out.append(bytes: name)
        } else {
            appendStringLiteral(name, to: &out)
        }
    }
}
