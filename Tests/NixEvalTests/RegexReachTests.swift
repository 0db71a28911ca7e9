// The checkpointed reachability table (used for long subjects with large programs) must give
// the same rows, and so the same matches, as the table kept whole.

@testable import NixEval
import XCTest

final class RegexReachTests: XCTestCase {
    private let patterns = [
        "(a|b)*", "(ab|cd){0,8}", "a?(ab)?", "(a)*", "((a)|b)*", "(a|)*", "(|a)+", "^a|b$", "x*",
        "(a*)(a*)", "[^b]+", "(a|ab)(c|bcd)(d*)", "((a|b)*c)+", ".*b", "(()|a)*b",
    ]

    private func subject(_ length: Int, seed: Int) -> [UInt8] {
        var x = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<length).map { _ in
            x ^= x << 13
            x ^= x >> 7
            x ^= x << 17
            return Array("abcdx".utf8)[Int(x % 5)]
        }
    }

    func testCheckpointedRowsEqualTheWholeTable() throws {
        for (k, pattern) in patterns.enumerated() {
            let program = try RegexProgram.compile(Array(pattern.utf8))
            for length in [0, 1, 5, 37, 300] {
                let bytes = subject(length, seed: k * 31 + length)
                for anywhere in [false, true] {
                    bytes.withUnsafeBufferPointer { s in
                        let whole = RegexReach(program, subject: s, acceptAnywhere: anywhere)
                        let blocks = RegexReach(program, subject: s, acceptAnywhere: anywhere, fullTableWords: 0)
                        for p in 0...length {
                            let a = whole.row(p), b = blocks.row(p)
                            for w in 0..<whole.words where a[w] != b[w] {
                                XCTFail("\(pattern) at \(p) of \(length): rows differ")
                            }
                        }
                    }
                }
            }
        }
    }

    func testCheckpointedMatchingEqualsWholeTableMatching() throws {
        for (k, pattern) in patterns.enumerated() {
            let program = try RegexProgram.compile(Array(pattern.utf8))
            for length in [0, 3, 64, 500] {
                let bytes = subject(length, seed: k * 17 + length)
                bytes.withUnsafeBufferPointer { s in
                    XCTAssertEqual(program.allMatches(s), program.allMatches(s, fullTableWords: 0), pattern)
                    XCTAssertEqual(program.matchWhole(s), program.matchWhole(s, fullTableWords: 0), pattern)
                }
            }
        }
    }
}
