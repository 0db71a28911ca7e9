// Canonicalisation of path literals, as C++ Nix's `absPath`/`canonPath` do it (purely lexically).

/// Byte-level path helpers shared by the parser and the evaluator.
public enum PathUtilities {
    /// Makes `path` absolute against `base` and canonicalises it.
    public static func absolute(_ path: [UInt8], base: String) -> [UInt8] {
        if path.first == 47 { return canonical(path) }
        var joined = Array(base.utf8)
        if joined.last != 47 { joined.append(47) }
        joined += path
        return canonical(joined)
    }

    /// Removes `.` and `..` components, repeated and trailing slashes. The result starts with `/`.
    public static func canonical(_ path: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(path.count)
        var i = 0
        let n = path.count
        while true {
            while i < n && path[i] == 47 { i += 1 }
            if i >= n { break }
            var j = i
            while j < n && path[j] != 47 { j += 1 }
            let len = j - i
            if len == 1 && path[i] == 46 {
                // "."
            } else if len == 2 && path[i] == 46 && path[i + 1] == 46 {
                if let slash = out.lastIndex(of: 47) { out.removeSubrange(slash...) }
            } else {
                out.append(47)
                out.append(contentsOf: path[i..<j])
            }
            i = j
        }
        return out.isEmpty ? [47] : out
    }
}
