// The worker protocol's wire encoding against byte vectors written out from its definition
// (C++ Nix's serialise.hh): 64-bit little-endian integers, strings padded with zeros to a
// multiple of 8 bytes, lists as a count and elements, and the frames of `AddToStore`.

import NixStore
import XCTest

final class WireFormatTests: XCTestCase {
    private func le(_ n: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } }

    func testIntegersAreLittleEndian64Bit() {
        var w = WireWriter()
        w.int(1)
        w.int(0x6e69_7863)
        w.int(UInt64.max)
        w.bool(true)
        w.bool(false)
        XCTAssertEqual(w.bytes, [1, 0, 0, 0, 0, 0, 0, 0, 0x63, 0x78, 0x69, 0x6e, 0, 0, 0, 0]
            + [UInt8](repeating: 0xff, count: 8) + [1, 0, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 8))
    }

    func testStringsArePaddedToEightBytes() {
        let cases: [(String, [UInt8])] = [
            ("", [0, 0, 0, 0, 0, 0, 0, 0]),
            ("nix", [3, 0, 0, 0, 0, 0, 0, 0, 0x6e, 0x69, 0x78, 0, 0, 0, 0, 0]),
            ("12345678", [8, 0, 0, 0, 0, 0, 0, 0, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38]),
            ("123456789", [9, 0, 0, 0, 0, 0, 0, 0, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0, 0, 0, 0, 0, 0, 0]),
        ]
        for (text, bytes) in cases {
            var w = WireWriter()
            w.string(text)
            XCTAssertEqual(w.bytes, bytes, text)
            var r = WireReader(BufferSource(bytes))
            XCTAssertEqual(try r.string(), text)
            XCTAssertEqual(r.source.position, bytes.count)
        }
        XCTAssertEqual((0...9).map { WireWriter.padding(UInt64($0)) }, [0, 7, 6, 5, 4, 3, 2, 1, 0, 7])
    }

    func testStringListsAreACountAndStrings() {
        var w = WireWriter()
        w.strings(["a", "bc"])
        let expected = le(2) + le(1) + [0x61, 0, 0, 0, 0, 0, 0, 0] + le(2) + [0x62, 0x63, 0, 0, 0, 0, 0, 0]
        XCTAssertEqual(w.bytes, expected)
        var r = WireReader(BufferSource(expected))
        XCTAssertEqual(try r.strings(), ["a", "bc"])
        var empty = WireWriter()
        empty.strings([])
        XCTAssertEqual(empty.bytes, le(0))
    }

    func testMalformedInputIsAnErrorNotACrash() {
        // Non-zero padding.
        var r = WireReader(BufferSource(le(1) + [0x61, 1, 0, 0, 0, 0, 0, 0]))
        XCTAssertThrowsError(try r.string())
        // Truncated integer and string.
        r = WireReader(BufferSource([1, 2, 3]))
        XCTAssertThrowsError(try r.int())
        r = WireReader(BufferSource(le(100) + [1, 2]))
        XCTAssertThrowsError(try r.string())
        // An absurd length is refused before allocating.
        r = WireReader(BufferSource(le(UInt64.max)))
        XCTAssertThrowsError(try r.bytes()) { XCTAssertTrue("\($0)".contains("too long")) }
        r = WireReader(BufferSource(le(UInt64.max)))
        XCTAssertThrowsError(try r.strings())
    }

    /// Frames are a length and unpadded data; an empty frame ends them.
    func testFramedData() throws {
        var sent: [UInt8] = []
        var sink = FramedSink(frameSize: 4) { sent += $0 }
        sink.write(Array("abcdef".utf8))
        try sink.finish()
        XCTAssertEqual(sent, le(4) + Array("abcd".utf8) + le(2) + Array("ef".utf8) + le(0))
        sent = []
        var empty = FramedSink { sent += $0 }
        try empty.finish()
        XCTAssertEqual(sent, le(0))
    }

    /// What `AddToStore` is told about an object: C++ Nix's `renderWithAlgo` and the dump
    /// (flat bytes for text and flat objects, a NAR for recursive ones).
    func testStoreObjectMethodAndSerialisation() throws {
        let path = try StorePath(baseName: "lfngsssysp6h1v4ccqg23c52s9sjl779-x")
        let text = StoreObject(path: path, method: .text, contents: .bytes(Array("hi".utf8)))
        let flat = StoreObject(path: path, method: .fixed(.flat), contents: .bytes(Array("hi".utf8)))
        let nar = StoreObject(path: path, method: .fixed(.nixArchive), contents: .bytes(Array("hi".utf8)))
        XCTAssertEqual([text, flat, nar].map(\.renderedMethod), ["text:sha256", "fixed:sha256", "fixed:r:sha256"])
        var b = ByteBuffer()
        try text.serialise(into: &b)
        XCTAssertEqual(b.bytes, Array("hi".utf8))
        b = ByteBuffer()
        try nar.serialise(into: &b)
        var expected = ByteBuffer()
        NAR.dumpRegularFile(Array("hi".utf8), into: &expected)
        XCTAssertEqual(b.bytes, expected.bytes)
    }

    func testSocketPathFromTheEnvironment() {
        func path(_ env: [String: String]) -> String { DaemonStore.socketPath(environment: { env[$0] }) }
        XCTAssertEqual(path([:]), "/nix/var/nix/daemon-socket/socket")
        XCTAssertEqual(path(["NIX_STATE_DIR": "/s"]), "/s/daemon-socket/socket")
        XCTAssertEqual(path(["NIX_DAEMON_SOCKET_PATH": "/d", "NIX_STATE_DIR": "/s"]), "/d")
        XCTAssertEqual(path(["NIX_REMOTE": "unix:///u", "NIX_DAEMON_SOCKET_PATH": "/d"]), "/u")
    }

    func testConnectingWithoutADaemonNamesTheSocket() {
        XCTAssertThrowsError(try DaemonStore(socketPath: "/nonexistent/socket")) {
            XCTAssertEqual("\($0)", "cannot connect to socket at '/nonexistent/socket': No such file or directory")
        }
    }
}
