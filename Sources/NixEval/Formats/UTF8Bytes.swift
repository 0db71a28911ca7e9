// UTF-8 as the format readers and writers check and produce it: encoding code points (`\u`
// escapes) and the well-formed byte sequences (RFC 3629, as nlohmann::json and toml11 check).

enum UTF8Bytes {
    /// Appends the UTF-8 bytes of a code point (the caller has checked it is a scalar value).
    static func append(_ cp: UInt32, to out: inout [UInt8]) {
        if cp < 0x80 {
            out.append(UInt8(cp))
        } else if cp < 0x800 {
            out += [UInt8(0xC0 | (cp >> 6)), UInt8(0x80 | (cp & 0x3F))]
        } else if cp < 0x10000 {
            out += [UInt8(0xE0 | (cp >> 12)), UInt8(0x80 | ((cp >> 6) & 0x3F)), UInt8(0x80 | (cp & 0x3F))]
        } else {
            out += [UInt8(0xF0 | (cp >> 18)), UInt8(0x80 | ((cp >> 12) & 0x3F)),
                    UInt8(0x80 | ((cp >> 6) & 0x3F)), UInt8(0x80 | (cp & 0x3F))]
        }
    }

    private static let two: [ClosedRange<UInt8>] = [0x80...0xBF]
    private static let three: [ClosedRange<UInt8>] = [0x80...0xBF, 0x80...0xBF]
    private static let four: [ClosedRange<UInt8>] = [0x80...0xBF, 0x80...0xBF, 0x80...0xBF]

    /// The ranges the continuation bytes after a non-ASCII lead byte must be in (no overlong
    /// forms, no surrogates, nothing above U+10FFFF); nil if `lead` cannot start a sequence.
    static func continuationRanges(after lead: UInt8) -> [ClosedRange<UInt8>]? {
        switch lead {
        case 0xC2...0xDF: return two
        case 0xE0: return [0xA0...0xBF, 0x80...0xBF]
        case 0xE1...0xEC, 0xEE, 0xEF: return three
        case 0xED: return [0x80...0x9F, 0x80...0xBF]
        case 0xF0: return [0x90...0xBF, 0x80...0xBF, 0x80...0xBF]
        case 0xF1...0xF3: return four
        case 0xF4: return [0x80...0x8F, 0x80...0xBF, 0x80...0xBF]
        default: return nil
        }
    }
}
