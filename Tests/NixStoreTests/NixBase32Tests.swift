// Tests of Nix's base-32 encoding against hashes whose encodings C++ Nix prints.

import NixStore
import XCTest

final class NixBase32Tests: XCTestCase {
    /// `nix-hash --type sha256 --to-base32` of the SHA-256 of the empty string.
    func testEncodesTheSHA256OfTheEmptyStringLikeNix() {
        let hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        var bytes: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            bytes.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        XCTAssertEqual(NixBase32.encode(bytes), "0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73")
        XCTAssertEqual(NixBase32.decode("0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73", byteCount: 32), bytes)
    }

    func testRejectsCharactersOutsideTheAlphabet() {
        XCTAssertNil(NixBase32.decode(String(repeating: "e", count: 52), byteCount: 32))
    }
}
