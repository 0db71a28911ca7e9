// Focused cases for builtins against C++ Nix. Every expected output and error message below was
// produced by `nix-instantiate --eval --strict -E …` of Nix 2.26.3 (the reference, `nix-ref`):
// a value is compared with standard output, an expected `error: …` with the final error line.

import Foundation
import SwixCLI
import XCTest

final class BuiltinsTests: XCTestCase {
    func evaluate(_ expression: String, environment: [String: String] = [:], strict: Bool = true) -> InvocationResult {
        SwixCommandLine.run(Invocation(arguments: ["instantiate", "--eval"] + (strict ? ["--strict"] : []) + ["-E", expression],
                                       environment: environment, currentDirectory: "/tmp", readStandardInput: { [] }))
    }

    /// Checks each `(expression, expected)`: expected output, or the final `error: …` line.
    func check(_ cases: [(String, String)], environment: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) {
        for (expression, expected) in cases {
            let r = evaluate(expression, environment: environment)
            if expected.hasPrefix("error: ") {
                XCTAssertEqual(r.exitCode, 1, expression, file: file, line: line)
                let lines = r.stderrText.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                XCTAssertTrue(lines.contains(expected), "\(expression): expected \(expected), got \(r.stderrText)", file: file, line: line)
            } else {
                XCTAssertEqual(r.exitCode, 0, expression + ": " + r.stderrText, file: file, line: line)
                XCTAssertEqual(r.stdoutText, expected + "\n", expression, file: file, line: line)
            }
        }
    }

    // MARK: - Higher-order: any, all, concatMap, partition, groupBy, zipAttrsWith, catAttrs, sort, genericClosure

    static let higherOrder: [(String, String)] = [
        (##"builtins.any (x: x == 1) [ 2 1 (throw "not reached") ]"##, ##"true"##),
        (##"builtins.all (x: x == 1) [ ]"##, ##"true"##),
        (##"builtins.all (x: x) [ true (throw "t") false ]"##, ##"error: t"##),
        (##"builtins.any 1 [ ]"##, ##"error: expected a function but found an integer: 1"##),
        (##"builtins.all (x: 1) [ 1 ]"##, ##"error: expected a Boolean but found an integer: 1"##),
        (##"builtins.any (x: x) 1"##, ##"error: expected a list but found an integer: 1"##),
        (##"builtins.any { __functor = self: x: x > 2; } [ 1 3 ]"##, ##"true"##),
        (##"builtins.concatMap (x: [ x x ]) [ 1 2 ]"##, ##"[ 1 1 2 2 ]"##),
        (##"builtins.concatMap (x: 1) [ 1 ]"##, ##"error: expected a list but found an integer: 1"##),
        (##"builtins.concatMap 1 [ ]"##, ##"error: expected a function but found an integer: 1"##),
        (##"builtins.partition (x: x > 1) [ 1 2 3 ]"##, ##"{ right = [ 2 3 ]; wrong = [ 1 ]; }"##),
        (##"builtins.partition (x: 1) [ 1 ]"##, ##"error: expected a Boolean but found an integer: 1"##),
        (##"builtins.partition (x: true) [ (throw "elements are forced") ]"##, ##"error: elements are forced"##),
        (##"builtins.groupBy (x: if x > 1 then "big" else "small") [ 1 2 3 ]"##, ##"{ big = [ 2 3 ]; small = [ 1 ]; }"##),
        (##"builtins.groupBy (x: 1) [ 1 ]"##, ##"error: expected a string but found an integer: 1"##),
        (##"builtins.groupBy 1 [ ]"##, ##"error: expected a function but found an integer: 1"##),
        (##"builtins.zipAttrsWith (n: v: { inherit n v; }) [ { a = 1; } { a = 2; b = 3; } ]"##, ##"{ a = { n = "a"; v = [ 1 2 ]; }; b = { n = "b"; v = [ 3 ]; }; }"##),
        (##"builtins.zipAttrsWith (n: v: v) [ 1 ]"##, ##"error: expected a set but found an integer: 1"##),
        (##"builtins.zipAttrsWith 1 [ ]"##, ##"error: expected a function but found an integer: 1"##),
        (##"builtins.catAttrs "a" [ { a = 1; } { b = 2; } { a = 3; } ]"##, ##"[ 1 3 ]"##),
        (##"builtins.catAttrs "a" [ { a = 1; } 2 ]"##, ##"error: expected a set but found an integer: 2"##),
        (##"builtins.catAttrs 1 [ ]"##, ##"error: expected a string but found an integer: 1"##),
        (##"builtins.catAttrs "a" { }"##, ##"error: expected a list but found a set: { }"##),
        (##"builtins.sort builtins.lessThan [ 3 1 2 ]"##, ##"[ 1 2 3 ]"##),
        (##"builtins.sort (a: b: a > b) [ 3 1 2 ]"##, ##"[ 3 2 1 ]"##),
        (##"builtins.sort (a: b: a.k < b.k) [ { k = 2; v = "a"; } { k = 1; v = "b"; } { k = 2; v = "c"; } { k = 1; v = "d"; } ]"##, ##"[ { k = 1; v = "b"; } { k = 1; v = "d"; } { k = 2; v = "a"; } { k = 2; v = "c"; } ]"##),
        (##"builtins.sort (a: b: true) [ 1 2 3 4 5 6 7 8 9 10 ]"##, ##"[ 10 9 8 7 6 5 4 3 2 1 ]"##),
        (##"builtins.sort (a: b: (a * 7 + b * 3) - (a * 7 + b * 3) / 8 * 8 < 4) [ 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 ]"##, ##"[ 19 18 7 15 8 17 9 6 14 5 0 3 11 12 13 2 10 16 1 4 ]"##),
        (##"builtins.sort builtins.lessThan [ [ 3 ] [ 1 2 ] [ 1 ] [ ] ]"##, ##"[ [ ] [ 1 ] [ 1 2 ] [ 3 ] ]"##),
        (##"builtins.sort 1 [ ]"##, ##"[ ]"##),
        (##"builtins.sort (x: y: 1) [ 1 2 ]"##, ##"error: expected a Boolean but found an integer: 1"##),
        (##"builtins.sort (x: y: true) [ (throw "elements are forced") ]"##, ##"error: elements are forced"##),
        (##"builtins.sort builtins.lessThan [ 2 "a" ]"##, ##"error: cannot compare a string with an integer"##),
        (##"builtins.sort builtins.lessThan [ { } { } ]"##, ##"error: cannot compare a set with a set; values of that type are incomparable"##),
        (##"builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: if x.key < 5 then [ { key = x.key + 1; } { key = x.key + 2; } ] else [ ]; }"##, ##"[ { key = 1; } { key = 2; } { key = 3; } { key = 4; } { key = 5; } { key = 6; } ]"##),
        (##"builtins.genericClosure { startSet = [ { key = 1; } { key = 1.0; } ]; operator = x: [ ]; }"##, ##"[ { key = 1; } ]"##),
        (##"builtins.genericClosure { startSet = [ ]; }"##, ##"[ ]"##),
        (##"builtins.genericClosure { }"##, ##"error: attribute 'startSet' missing"##),
        (##"builtins.genericClosure { startSet = [ 1 ]; }"##, ##"error: attribute 'operator' missing"##),
        (##"builtins.genericClosure { startSet = [ 1 ]; operator = x: [ ]; }"##, ##"error: expected a set but found an integer: 1"##),
        (##"builtins.genericClosure { startSet = [ { } ]; operator = x: [ ]; }"##, ##"error: attribute 'key' missing"##),
        (##"builtins.genericClosure { startSet = [ { key = 1; } { key = "a"; } ]; operator = x: [ ]; }"##, ##"error: cannot compare a string with an integer"##),
        (##"builtins.genericClosure { startSet = map (k: { key = k; }) [ [ 5 ] [ 3 ] [ 8 ] [ 1 ] [ 4 ] [ 7 ] [ 9 ] [ 2 ] [ 6 ] [ 1 "x" ] [ 3 "y" ] [ 1 "z" ] [ 1 2 ] ]; operator = x: [ ]; }"##, ##"error: cannot compare an integer with a string"##),
        (##"builtins.genericClosure { startSet = [ { key = [ 1 ]; } { key = [ 2 "a" ]; } ]; operator = x: [ ]; }"##, ##"[ { key = [ 1 ]; } { key = [ 2 "a" ]; } ]"##),
        (##"builtins.genericClosure { startSet = [ { key = null; } { key = null; } ]; operator = x: [ ]; }"##, ##"error: cannot compare null with null; values of that type are incomparable"##),
        (##"builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: 1; }"##, ##"error: expected a list but found an integer: 1"##),
    ]

    func testHigherOrder() { check(Self.higherOrder) }

    /// `sort` calls the comparator in the order of libstdc++'s `std::stable_sort` (visible through `trace`).
    func testSortComparisonOrder() {
        let r = evaluate(#"builtins.sort (a: b: builtins.trace "${toString a} ${toString b}" (a < b)) [ 5 3 9 1 8 2 7 4 6 0 3 ]"#)
        XCTAssertEqual(r.stdoutText, "[ 0 1 2 3 3 4 5 6 7 8 9 ]\n")
        let expected = "3 5|9 3|9 5|1 3|8 1|8 9|8 5|2 1|2 9|2 8|2 5|2 3|2 1|4 7|6 4|6 7|6 4|0 4|3 0|3 7|3 6|3 4|3 0|7 9|7 8|7 5|6 5|4 5|4 3|3 3|0 3|0 2|0 1"
        let traced = r.stderrText.split(separator: "\n").map { $0.replacingOccurrences(of: "trace: ", with: "") }.joined(separator: "|")
        XCTAssertEqual(traced, expected)
    }

    // MARK: - Bits and rounding: bitAnd, bitOr, bitXor, floor, ceil

    static let bits: [(String, String)] = [
        (##"builtins.bitAnd 12 10"##, ##"8"##),
        (##"builtins.bitOr 12 10"##, ##"14"##),
        (##"builtins.bitXor 12 10"##, ##"6"##),
        (##"builtins.bitOr (-8) 3"##, ##"-5"##),
        (##"builtins.bitAnd 9223372036854775807 (-1)"##, ##"9223372036854775807"##),
        (##"builtins.bitAnd 1 "a""##, ##"error: expected an integer but found a string: "a""##),
        (##"builtins.bitOr 1.0 1"##, ##"error: expected an integer but found a float: 1"##),
        (##"builtins.bitXor 1 null"##, ##"error: expected an integer but found null: null"##),
        (##"builtins.floor 23.5"##, ##"23"##),
        (##"builtins.ceil 23.5"##, ##"24"##),
        (##"builtins.floor (-23.5)"##, ##"-24"##),
        (##"builtins.ceil (-0.5)"##, ##"0"##),
        (##"builtins.floor 23"##, ##"23"##),
        (##"builtins.ceil 23"##, ##"23"##),
        (##"builtins.floor (-2.5e-300)"##, ##"-1"##),
        (##"builtins.floor 123456789.123456789e10"##, ##"1234567891234567936"##),
        (##"builtins.floor 1.5e300"##, ##"-9223372036854775808"##),
        (##"builtins.ceil 9223372036854775807"##, ##"-9223372036854775808"##),
        (##"builtins.floor "a""##, ##"error: expected a float but found a string: "a""##),
        (##"builtins.ceil [ ]"##, ##"error: expected a float but found a list: [ ]"##),
    ]

    func testBits() { check(Self.bits) }

    // MARK: - Versions: splitVersion, compareVersions, parseDrvName

    static let versions: [(String, String)] = [
        (##"builtins.splitVersion "1.2.3""##, ##"[ "1" "2" "3" ]"##),
        (##"builtins.splitVersion "1.2-pre.3ab4--5""##, ##"[ "1" "2" "pre" "3" "ab" "4" "5" ]"##),
        (##"builtins.splitVersion """##, ##"[ ]"##),
        (##"builtins.splitVersion "..-""##, ##"[ ]"##),
        (##"builtins.splitVersion 1"##, ##"error: expected a string but found an integer: 1"##),
        (##"builtins.compareVersions "1.0" "2.3""##, ##"-1"##),
        (##"builtins.compareVersions "2.3" "2.3""##, ##"0"##),
        (##"builtins.compareVersions "2.3.1" "2.3a""##, ##"1"##),
        (##"builtins.compareVersions "2.3pre3" "2.3pre12""##, ##"-1"##),
        (##"builtins.compareVersions "1pre" "1""##, ##"-1"##),
        (##"builtins.compareVersions "" "pre""##, ##"1"##),
        (##"builtins.compareVersions "a" "B""##, ##"1"##),
        (##"builtins.compareVersions "1.99999999999" "1.3""##, ##"-1"##),
        (##"builtins.compareVersions "007" "7""##, ##"0"##),
        (##"builtins.compareVersions "1..2" "1.2""##, ##"0"##),
        (##"builtins.compareVersions 1 "a""##, ##"error: expected a string but found an integer: 1"##),
        (##"builtins.compareVersions "a" null"##, ##"error: expected a string but found null: null"##),
        (##"builtins.parseDrvName "hello-1.0.2""##, ##"{ name = "hello"; version = "1.0.2"; }"##),
        (##"builtins.parseDrvName "xf86-video-i810-1.7.4""##, ##"{ name = "xf86-video-i810"; version = "1.7.4"; }"##),
        (##"builtins.parseDrvName "name-that-ends-with-dash--1.0""##, ##"{ name = "name-that-ends-with-dash"; version = "-1.0"; }"##),
        (##"builtins.parseDrvName "a-""##, ##"{ name = "a-"; version = ""; }"##),
        (##"builtins.parseDrvName "-1""##, ##"{ name = ""; version = "1"; }"##),
        (##"builtins.parseDrvName "a-é""##, ##"{ name = "a"; version = "é"; }"##),
        (##"builtins.parseDrvName "foo-bar-baz""##, ##"{ name = "foo-bar-baz"; version = ""; }"##),
        (##"builtins.parseDrvName 1"##, ##"error: expected a string but found an integer: 1"##),
    ]

    func testVersions() { check(Self.versions) }

    // MARK: - Files and environment: baseNameOf, dirOf, getEnv, readFile, pathExists, readFileType, readDir
    // `@D@` stands for a fixture directory made by `testFiles` (the reference ran on the same layout).

    static let files: [(String, String)] = [
        (##"baseNameOf "a/b/c""##, ##""c""##),
        (##"baseNameOf "a/b/""##, ##""b""##),
        (##"baseNameOf "a//""##, ##""""##),
        (##"baseNameOf "/""##, ##""""##),
        (##"baseNameOf """##, ##""""##),
        (##"baseNameOf ./foo/bar"##, ##""bar""##),
        (##"baseNameOf { outPath = "/x/y"; }"##, ##""y""##),
        (##"baseNameOf { __toString = self: /x/y; }"##, ##""y""##),
        (##"baseNameOf 1"##, ##"error: cannot coerce an integer to a string: 1"##),
        (##"dirOf "/foo/bar/""##, ##""/foo/bar""##),
        (##"dirOf "/foo//bar""##, ##""/foo""##),
        (##"dirOf "//foo""##, ##""/""##),
        (##"dirOf "foo""##, ##"".""##),
        (##"dirOf """##, ##"".""##),
        (##"dirOf "/""##, ##""/""##),
        (##"dirOf "///""##, ##""///""##),
        (##"dirOf "foo//bar//""##, ##""foo//bar""##),
        (##"dirOf "/a/b/../c""##, ##""/a/b/..""##),
        (##"dirOf /foo/bar"##, ##"/foo"##),
        (##"dirOf /foo"##, ##"/"##),
        (##"dirOf { outPath = "/x/y"; }"##, ##""/x""##),
        (##"dirOf [ ]"##, ##"error: cannot coerce a list to a string: [ ]"##),
        (##"builtins.getEnv "TEST_VAR""##, ##""foo""##),
        (##"builtins.getEnv "SWIX_NO_SUCH_VARIABLE""##, ##""""##),
        (##"builtins.getEnv 1"##, ##"error: expected a string but found an integer: 1"##),
        (##"builtins.readFile @D@/f"##, ##""hello""##),
        (##"builtins.readFile "@D@/lf""##, ##""hello""##),
        (##"builtins.readFile "@D@/ld/../f""##, ##""hello""##),
        (##"builtins.readFile @D@/d/up"##, ##""hello""##),
        (##"builtins.readFile { outPath = "@D@/f"; }"##, ##""hello""##),
        (##"builtins.readFile { __toString = self: @D@/f; }"##, ##""hello""##),
        (##"builtins.readFile @D@/nonexist"##, ##"error: opening file '@D@/nonexist': No such file or directory"##),
        (##"builtins.readFile @D@/broken"##, ##"error: opening file '@D@/nonexist': No such file or directory"##),
        (##"builtins.readFile @D@/d"##, ##"error: reading from file '@D@/d': Is a directory"##),
        (##"builtins.readFile @D@/f/x"##, ##"error: opening file '@D@/f/x': Not a directory"##),
        (##"builtins.readFile @D@/loop1"##, ##"error: infinite symlink recursion in path '@D@/loop1'"##),
        (##"builtins.readFile @D@/nul"##, ##"error: the contents of the file '@D@/nul' cannot be represented as a Nix string"##),
        (##"builtins.readFile "f""##, ##"error: string 'f' doesn't represent an absolute path"##),
        (##"builtins.readFile 1"##, ##"error: cannot coerce an integer to a string: 1"##),
        (##"builtins.pathExists @D@/f"##, ##"true"##),
        (##"builtins.pathExists @D@/nonexist"##, ##"false"##),
        (##"builtins.pathExists @D@/broken"##, ##"true"##),
        (##"builtins.pathExists "@D@/broken/""##, ##"false"##),
        (##"builtins.pathExists "@D@/ld/""##, ##"true"##),
        (##"builtins.pathExists "@D@/lf/""##, ##"false"##),
        (##"builtins.pathExists "@D@/f/.""##, ##"false"##),
        (##"builtins.pathExists "@D@/nonexist/..""##, ##"true"##),
        (##"builtins.pathExists @D@/f/x"##, ##"false"##),
        (##"builtins.pathExists "@D@/loop1/""##, ##"error: infinite symlink recursion in path '@D@/loop1'"##),
        (##"builtins.pathExists "rel""##, ##"error: string 'rel' doesn't represent an absolute path"##),
        (##"builtins.readFileType @D@/f"##, ##""regular""##),
        (##"builtins.readFileType @D@/d"##, ##""directory""##),
        (##"builtins.readFileType @D@/lf"##, ##""symlink""##),
        (##"builtins.readFileType "@D@/ld/""##, ##""symlink""##),
        (##"builtins.readFileType @D@/ld/x"##, ##"error: path '@D@/ld' is a symlink"##),
        (##"builtins.readFileType @D@/nonexist"##, ##"error: path '@D@/nonexist' does not exist"##),
        (##"builtins.readDir @D@"##, ##"{ broken = "symlink"; d = "directory"; d2 = "directory"; f = "regular"; ld = "symlink"; lf = "symlink"; loop1 = "symlink"; loop2 = "symlink"; nul = "regular"; }"##),
        (##"builtins.readDir @D@/ld"##, ##"{ up = "symlink"; x = "regular"; }"##),
        (##"builtins.readDir @D@/d2"##, ##"{ }"##),
        (##"builtins.readDir @D@/f"##, ##"error: reading directory @D@/f: Not a directory"##),
        (##"builtins.readDir @D@/broken"##, ##"error: reading directory @D@/nonexist: No such file or directory"##),
    ]

    func testFiles() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("swix-builtins-\(UUID().uuidString)").path
        defer { try? fm.removeItem(atPath: dir) }
        try fm.createDirectory(atPath: dir + "/d", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/d2", withIntermediateDirectories: true)
        XCTAssertTrue(fm.createFile(atPath: dir + "/f", contents: Data("hello".utf8)))
        XCTAssertTrue(fm.createFile(atPath: dir + "/d/x", contents: Data()))
        XCTAssertTrue(fm.createFile(atPath: dir + "/nul", contents: Data([97, 0, 98])))
        for (link, target) in [("lf", "f"), ("d/up", "../f"), ("ld", "d"), ("broken", "nonexist"), ("loop1", "loop2"), ("loop2", "loop1")] {
            try fm.createSymbolicLink(atPath: dir + "/" + link, withDestinationPath: target)
        }
        check(Self.files.map { ($0.0.replacingOccurrences(of: "@D@", with: dir), $0.1.replacingOccurrences(of: "@D@", with: dir)) },
              environment: ["TEST_VAR": "foo"])
    }

    // MARK: - Strings: replaceStrings

    static let stringOps: [(String, String)] = [
        (##"builtins.replaceStrings [ "o" ] [ "a" ] "foobar""##, ##""faabar""##),
        (##"builtins.replaceStrings [ "oo" "a" ] [ "a" "oo" ] "foobar""##, ##""faboor""##),
        (##"builtins.replaceStrings [ "" ] [ "X" ] "abc""##, ##""XaXbXcX""##),
        (##"builtins.replaceStrings [ "" ] [ "X" ] """##, ##""X""##),
        (##"builtins.replaceStrings [ "" "a" ] [ "x" "y" ] "aba""##, ##""xaxbxax""##),
        (##"builtins.replaceStrings [ "a" "" ] [ "b" "c" ] "xa""##, ##""cxbc""##),
        (##"builtins.replaceStrings [ "ab" "a" ] [ "1" "2" ] "aab""##, ##""21""##),
        (##"builtins.replaceStrings [ "abc" ] [ "d" ] "ab""##, ##""ab""##),
        (##"builtins.replaceStrings [ "é" ] [ "e" ] "café""##, ##""cafe""##),
        (##"builtins.replaceStrings [ "oo" "XX" ] [ "u" (throw "unreachable") ] "foobar""##, ##""fubar""##),
        (##"builtins.replaceStrings [ "a" ] [ 1 ] "b""##, ##""b""##),
        (##"builtins.replaceStrings [ "a" ] [ 1 ] "a""##, ##"error: expected a string but found an integer: 1"##),
        (##"builtins.replaceStrings [ "a" ] [ ] "a""##, ##"error: 'from' and 'to' arguments passed to builtins.replaceStrings have different lengths"##),
        (##"builtins.replaceStrings [ (throw "from") ] [ ] """##, ##"error: 'from' and 'to' arguments passed to builtins.replaceStrings have different lengths"##),
        (##"builtins.replaceStrings [ (throw "from") ] [ "x" ] (throw "subject")"##, ##"error: from"##),
        (##"builtins.replaceStrings [ "x" ] [ "x" ] (throw "subject")"##, ##"error: subject"##),
        (##"builtins.replaceStrings [ 1 ] [ "b" ] "a""##, ##"error: expected a string but found an integer: 1"##),
        (##"builtins.replaceStrings [ "a" ] [ "b" ] /a"##, ##"error: expected a string but found a path: /a"##),
        (##"builtins.replaceStrings 1 [ ] """##, ##"error: expected a list but found an integer: 1"##),
        (##"builtins.replaceStrings [ ] 1 """##, ##"error: expected a list but found an integer: 1"##),
    ]

    func testStringOps() { check(Self.stringOps) }

    // MARK: - Debugging: warn, break

    static let debug: [(String, String)] = [
        (##"builtins.warn 1 1"##, ##"error: expected a string but found an integer: 1"##),
        (##"builtins.warn /a 1"##, ##"error: expected a string but found a path: /a"##),
        (##"builtins.warn (throw "message") 1"##, ##"error: message"##),
        (##"builtins.warn "x" (throw "value")"##, ##"error: value"##),
        (##"builtins.break (throw "b")"##, ##"error: b"##),
        (##"break (1 + 2)"##, ##"3"##),
    ]

    func testDebug() { check(Self.debug) }

    /// `warn` logs to standard error; `(expression, stdout, stderr)`.
    static let warnings: [(String, String, String)] = [
        (#"builtins.warn "foo\nbar" null"#, "null\n", "evaluation warning: foo\n                    bar\n"),
        (#"builtins.warn "\nfoo\nbar" null"#, "null\n", "evaluation warning:\n                    foo\n                    bar\n"),
        (#"builtins.warn "a  \n  b\t\n \n c\r\nd" 1"#, "1\n",
         "evaluation warning: a\n                      b\n\n                     c\n                    d\n"),
        (#"builtins.warn "" 1"#, "1\n", "\n"),
        (#"builtins.warn "   " 1"#, "1\n", "\n"),
        (#"builtins.warn "é" { a = 1; }"#, "{ a = 1; }\n", "evaluation warning: é\n"),
    ]

    func testWarningOutput() {
        for (expression, stdout, stderr) in Self.warnings {
            let r = evaluate(expression)
            XCTAssertEqual(r.exitCode, 0, expression)
            XCTAssertEqual(r.stdoutText, stdout, expression)
            XCTAssertEqual(r.stderrText, stderr, expression)
        }
        // The warning comes before the value is forced.
        let r = evaluate(#"builtins.warn "x" (throw "value")"#)
        XCTAssertTrue(r.stderrText.hasPrefix("evaluation warning: x\nerror:"), r.stderrText)
    }
}
