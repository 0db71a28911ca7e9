// How nlohmann::json (used by C++ Nix) writes numbers and strings: float digits and notation,
// string escapes, and the UTF-8 check that makes invalid strings a serialization error.

enum JSONEncoding {
    /// A float as nlohmann::json writes it: the shortest round-trip digits, in fixed notation
    /// while the decimal point is within 15 digits, else `d.ddde+XX`; non-finite as `null`.
    static func float(_ d: Double) -> String {
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        if !d.isFinite { return "null" }
        // Shortest digits and decimal-point position from Swift's round-trip description.
        let text = d.magnitude.description
        let parts = text.split(separator: "e")
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(mantissa[0]), fraction = mantissa.count > 1 ? String(mantissa[1]) : ""
        var digits = Array(whole + fraction)
        var point = whole.count + exponent
        while digits.count > 1 && digits.last == "0" { digits.removeLast() }
        while digits.count > 1 && digits.first == "0" { digits.removeFirst(); point -= 1 }
        let k = digits.count, n = point
        var out = d < 0 ? "-" : ""
        if k <= n && n <= 15 {
            out += String(digits) + String(repeating: "0", count: n - k) + ".0"
        } else if 0 < n && n <= 15 {
            out += String(digits[..<n]) + "." + String(digits[n...])
        } else if -4 < n && n <= 0 {
            out += "0." + String(repeating: "0", count: -n) + String(digits)
        } else {
            out += String(digits[0])
            if k > 1 { out += "." + String(digits[1...]) }
            let e = n - 1
            out += "e" + (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
        }
        return out
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// Appends the decimal digits of `n` (without allocating a `String`).
    static func appendInteger(_ n: Int64, to out: inout [UInt8]) {
        if n < 0 { out.append(45) }
        var magnitude = n.magnitude
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[31 - count] = UInt8(48 + magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            out += buffer[(32 - count)...]
        }
    }

    /// Appends `s` as a JSON string literal: `"` `\` and control characters escaped (`\n`
    /// style where JSON has one, else `\u00xx`), everything else as is. Returns nlohmann's
    /// type_error 316 message when `s` is not valid UTF-8 (the text is appended anyway).
    @discardableResult
    static func appendString<C: Collection>(_ s: C, to out: inout [UInt8]) -> String? where C.Element == UInt8 {
        out.append(34)
        for c in s {
            switch c {
            case 34: out += [92, 34]
            case 92: out += [92, 92]
            case 10: out += [92, 110]
            case 13: out += [92, 114]
            case 9: out += [92, 116]
            case 8: out += [92, 98]
            case 12: out += [92, 102]
            case 0..<32: out += [92, 117, 48, 48, hex[Int(c >> 4)], hex[Int(c & 15)]]
            default: out.append(c)
            }
        }
        out.append(34)
        return utf8Error(s)
    }

    /// nlohmann's message for a string that is not UTF-8 (its strict error handler), or nil.
    static func utf8Error<C: Collection>(_ s: C) -> String? where C.Element == UInt8 {
        var expected: ArraySlice<ClosedRange<UInt8>> = []
        for (i, c) in s.enumerated() {
            if let range = expected.first {
                guard range.contains(c) else { return invalidByte(i, c) }
                expected = expected.dropFirst()
            } else if c >= 0x80 {
                guard let ranges = UTF8Bytes.continuationRanges(after: c) else { return invalidByte(i, c) }
                expected = ranges[...]
            }
        }
        if !expected.isEmpty, let last = s.reversed().first {
            return "[json.exception.type_error.316] incomplete UTF-8 string; last byte: 0x" + hexByte(last)
        }
        return nil
    }

    private static func invalidByte(_ index: Int, _ byte: UInt8) -> String {
        "[json.exception.type_error.316] invalid UTF-8 byte at index \(index): 0x" + hexByte(byte)
    }

    private static func hexByte(_ b: UInt8) -> String {
        let s = String(b, radix: 16, uppercase: true)
        return b < 16 ? "0" + s : s
    }
}
