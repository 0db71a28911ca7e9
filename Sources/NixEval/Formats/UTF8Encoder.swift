// UTF-8 encoding of code points, shared by the JSON and TOML readers (`\u` escapes).

enum UTF8Encoder {
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
}
