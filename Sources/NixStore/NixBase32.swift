// Nix's base-32 encoding of hashes (the alphabet without e, o, u, t; least significant bits first).

/// Encoding and decoding of Nix's base-32 hash representation, as used in store paths.
public enum NixBase32 {
    public static let alphabet: [UInt8] = Array("0123456789abcdfghijklmnpqrsvwxyz".utf8)

    /// The length of the encoding of `byteCount` bytes.
    public static func encodedLength(_ byteCount: Int) -> Int { (byteCount * 8 - 1) / 5 + 1 }

    /// Encodes bytes as C++ Nix's `printHash32` does.
    public static func encode(_ bytes: [UInt8]) -> String {
        let len = encodedLength(bytes.count)
        var out: [UInt8] = []
        out.reserveCapacity(len)
        var n = len - 1
        while n >= 0 {
            let b = n * 5
            let i = b / 8
            let j = b % 8
            var c = Int(bytes[i]) >> j
            if i + 1 < bytes.count { c |= Int(bytes[i + 1]) << (8 - j) }
            out.append(alphabet[c & 0x1f])
            n -= 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes a base-32 string of `byteCount` bytes, or nil if it is not valid.
    public static func decode(_ text: String, byteCount: Int) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count == encodedLength(byteCount) else { return nil }
        var out = [UInt8](repeating: 0, count: byteCount)
        for (k, ch) in chars.reversed().enumerated() {
            guard let digit = alphabet.firstIndex(of: ch) else { return nil }
            let b = k * 5
            let i = b / 8
            let j = b % 8
            out[i] |= UInt8(truncatingIfNeeded: digit << j)
            let carry = digit >> (8 - j)
            if i + 1 < byteCount {
                out[i + 1] |= UInt8(truncatingIfNeeded: carry)
            } else if carry != 0 {
                return nil
            }
        }
        return out
    }
}
