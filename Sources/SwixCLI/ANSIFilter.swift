// What C++ Nix does to every message it writes to standard error (`filterANSIEscapes`): escape
// sequences removed (all of them when standard error is not a colour terminal, all but colour
// changes otherwise), tabs expanded, carriage returns and bells dropped.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum ANSIFilter {
    /// Whether colour sequences reach standard error: a terminal that is not `dumb`, and no
    /// `NO_COLOR` (C++ Nix's `shouldANSI`).
    static let keepsColours: Bool = {
        guard isatty(2) == 1 else { return false }
        if let term = getenv("TERM").map({ String(cString: $0) }), term == "dumb" { return false }
        return getenv("NO_COLOR") == nil
    }()

    /// One message, filtered. Tab stops count from the start of the message, as in C++ Nix.
    static func filter(_ s: [UInt8], keepColours: Bool = keepsColours) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var width = 0
        var i = 0
        let n = s.count
        while i < n {
            let c = s[i]
            if c == 0x1B {
                let start = i
                i += 1
                var last: UInt8 = 0
                if i < n && s[i] == UInt8(ascii: "[") {
                    i += 1
                    while i < n && s[i] >= 0x30 && s[i] <= 0x3F { i += 1 }  // parameter bytes
                    while i < n && s[i] >= 0x20 && s[i] <= 0x2F { i += 1 }  // intermediate bytes
                    if i < n && s[i] >= 0x40 && s[i] <= 0x7E { last = s[i]; i += 1 }  // final byte
                } else if i < n && s[i] == UInt8(ascii: "]") {
                    // An operating system command, ended by ESC \ or BEL.
                    i += 1
                    while i < n && s[i] != 0x1B && s[i] != 0x07 { i += 1 }
                    if i < n {
                        let v = s[i]
                        i += 1
                        if i < n && v == 0x1B && s[i] == UInt8(ascii: "\\") { last = s[i]; i += 1 }
                    }
                } else if i < n && s[i] >= 0x40 && s[i] <= 0x5F {
                    i += 1
                }
                if keepColours && last == UInt8(ascii: "m") { out += s[start..<i] }
            } else if c == 9 {
                i += 1
                out.append(32)
                width += 1
                while width % 8 != 0 { out.append(32); width += 1 }
            } else if c == 13 || c == 7 {
                i += 1
            } else {
                // One UTF-8 character counts one column.
                width += 1
                let length = c & 0xE0 == 0xC0 ? 2 : c & 0xF0 == 0xE0 ? 3 : c & 0xF8 == 0xF0 ? 4 : 1
                out.append(c)
                i += 1
                var k = 1
                while k < length && i < n && s[i] & 0xC0 == 0x80 { out.append(s[i]); i += 1; k += 1 }
            }
        }
        return out
    }
}
