// Seeded byte-level mutation of Nix source, shared by the front-end and evaluator robustness
// tests: the same seed gives the same mutants, so a failure reproduces.

/// SplitMix64: a small deterministic generator.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64

    public init(state: UInt64) {
        self.state = state
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

public enum Mutation {
    /// Fragments that are interesting to a Nix lexer, parser and evaluator.
    public static let fragments: [[UInt8]] = [
        "{", "}", "\"", "''", "${", "/", "\\", "(", ")", "[", "]", ";", "=", ":", "@", ".", "?", "#", "/*", "*/",
        "'''", "''$", "''\\", "$", "~/", "<", ">", "./", "in", "let ", "or", "rec", "inherit", "1.5e", "0x",
        "é", "λ", "\u{1F600}", "\r", "\n", "\t", " ", "-", "0", "9223372036854775807", "null", "++", "//",
    ].map { Array($0.utf8) } + [[0x00], [0xFF], [0x80], [0xC3], [0xE2, 0x82]]

    /// Applies one random edit: delete a few bytes, replace bytes by a fragment, or insert one.
    public static func mutate(_ bytes: inout [UInt8], using rng: inout SplitMix64) {
        let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &rng)
        let fragment: [UInt8] = Bool.random(using: &rng)
            ? fragments[Int.random(in: 0..<fragments.count, using: &rng)]
            : [UInt8.random(in: 0...255, using: &rng)]
        switch Int.random(in: 0..<3, using: &rng) {
        case 0 where !bytes.isEmpty:
            let from = min(position, bytes.count - 1)
            let length = min(Int.random(in: 1...4, using: &rng), bytes.count - from)
            bytes.removeSubrange(from..<(from + length))
        case 1 where !bytes.isEmpty:
            let from = min(position, bytes.count - 1)
            let length = min(Int.random(in: 1...2, using: &rng), bytes.count - from)
            bytes.replaceSubrange(from..<(from + length), with: fragment)
        default:
            bytes.insert(contentsOf: fragment, at: position)
        }
    }
}
