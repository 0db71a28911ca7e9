// Hexadecimal and base-64 encodings of hash digests, decoding as leniently as C++ Nix does
// (libutil/hash.cc and strings: upper- or lower-case hex; base-64 stops at `=`, skips newlines).

/// Hexadecimal encoding (lower case out, either case in).
public enum Base16 {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lower-case hexadecimal of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of an even-length hexadecimal string, or nil.
    public static func decode(_ chars: [UInt8]) -> [UInt8]? {
        guard chars.count % 2 == 0 else { return nil }
        func digit(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = digit(chars[i]), let lo = digit(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}

/// Standard base-64 (RFC 4648 alphabet, `=` padding).
public enum Base64 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The length of the padded encoding of `byteCount` bytes (C++ Nix's `base64Len`).
    public static func encodedLength(_ byteCount: Int) -> Int { ((4 * byteCount / 3) + 3) & ~3 }

    /// Padded base-64 of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(encodedLength(bytes.count))
        var data = 0, bits = 0
        for b in bytes {
            data = data << 8 | Int(b)
            bits += 8
            while bits >= 6 {
                out.append(alphabet[(data >> (bits - 6)) & 0x3f])
                bits -= 6
            }
        }
        if bits > 0 { out.append(alphabet[(data << (6 - bits)) & 0x3f]) }
        while out.count % 4 != 0 { out.append(UInt8(ascii: "=")) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes as C++ Nix's `base64Decode`: stops at the first `=`, skips newlines, and fails on
    /// any other character outside the alphabet; left-over bits are dropped.
    public static func decode(_ chars: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((chars.count + 2) / 4 * 3)
        var d = 0, bits = 0
        for c in chars {
            if c == UInt8(ascii: "=") { break }
            if c == UInt8(ascii: "\n") { continue }
            let digit: Int
            switch c {
            case 65...90: digit = Int(c) - 65
            case 97...122: digit = Int(c) - 71
            case 48...57: digit = Int(c) + 4
            case UInt8(ascii: "+"): digit = 62
            case UInt8(ascii: "/"): digit = 63
            default:
                throw StoreError("invalid character in Base64 string: '\(String(decoding: [c], as: UTF8.self))'")
            }
            bits += 6
            d = (d << 6 | digit) & 0xffff
            if bits >= 8 {
                out.append(UInt8((d >> (bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return out
    }
}
