// A compiled regular expression and its cached matcher are freed together (the matcher's
// reference to its program is unowned): found by the fuzzer's leak checker.

@testable import NixEval
import XCTest

final class RegexLifetimeTests: XCTestCase {
    func testProgramWithMatcherIsFreed() throws {
        weak var freed: RegexProgram?
        do {
            let program = try RegexProgram.compile(Array("(a|b)*c".utf8))
            _ = program.matcher
            freed = program
            XCTAssertNotNil(freed)
        }
        XCTAssertNil(freed)
    }
}
