// `--max-heap SIZE`: a program that allocates past the limit stops with a located
// "out of memory" evaluation error (exit status 1), not a crash or the machine's memory.
// Run through the executable, so that a failure cannot take the test process with it.

import Foundation
import SwixTestSupport
import XCTest

final class HeapLimitTests: XCTestCase {
    func run(_ expression: String, maxHeap: String = "1G") throws -> SubprocessResult {
        let swix = try TestData.swixExecutable()
        let scratch = try Subprocess.makeScratchDirectory("swix-heap-limit")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        return Subprocess.run(swix, ["instantiate", "--max-heap", maxHeap, "--eval", "--strict", "-E", expression],
                              environment: ["HOME": scratch, "SWIFT_BACKTRACE": "enable=no", "NIX_PATH": ""],
                              directory: scratch, scratch: scratch, timeout: 120)
    }

    func assertOutOfMemory(_ r: SubprocessResult, at location: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(r.signaled || r.timedOut, r.outcome, file: file, line: line)
        XCTAssertEqual(r.exitStatus, 1, r.stderr, file: file, line: line)
        // Directly, or (raised in a builtin) under its "while calling" trace line.
        XCTAssertTrue(r.stderr.hasPrefix("error: out of memory") || (r.stderr.hasPrefix("error:\n") && r.stderr.contains("\n       error: out of memory")),
                      r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains("at «string»:\(location):"), r.stderr, file: file, line: line)
    }

    /// A list of a billion elements (8 GB of slots) is refused before any of it is allocated.
    func testHugeGenListIsOutOfMemory() throws {
        assertOutOfMemory(try run("builtins.genList (x: x) 1000000000"), at: "1:1")
    }

    /// Doubling a string forty times: the concatenation that would pass the limit fails.
    func testStringDoublingIsOutOfMemory() throws {
        let r = try run("let f = s: n: if n == 0 then s else f (s + s) (n - 1); in builtins.stringLength (f \"x\" 40)")
        assertOutOfMemory(r, at: "1:44")
    }

    /// Many small allocations (no single large one): the heap goes past the limit while mapping
    /// a new chunk, and the next function call reports it.
    func testManySmallAllocationsAreOutOfMemory() throws {
        let r = try run("let f = n: acc: if n == 0 then 0 else f (n - 1) (builtins.seq acc { inherit acc n; }); in f 100000000 null",
                        maxHeap: "24M")
        assertOutOfMemory(r, at: "1:39")
    }

    /// Below the limit nothing changes.
    func testWithinTheLimitEvaluates() throws {
        let r = try run("builtins.length (builtins.genList (x: x) 100000)", maxHeap: "64M")
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        XCTAssertEqual(r.stdout, "100000\n")
    }

    func testInvalidSizeIsAUsageError() throws {
        let r = try run("1", maxHeap: "12X")
        XCTAssertEqual(r.exitStatus, 1)
        XCTAssertTrue(r.stderr.hasPrefix("error: invalid size '12X' for '--max-heap'"), r.stderr)
    }
}
