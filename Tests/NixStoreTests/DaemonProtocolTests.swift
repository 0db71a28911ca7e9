// The daemon client against a scripted daemon on a Unix socket: each side's bytes are written
// out from the worker protocol's definition (C++ Nix 2.26's worker-protocol.hh, daemon.cc,
// worker-protocol-connection.cc), so the handshake, the log messages, structured errors and
// the requests of the operations are checked without a real Nix daemon.

import Foundation
import NixStore
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class DaemonProtocolTests: XCTestCase {
    private func le(_ n: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } }
    private func str(_ s: String) -> [UInt8] {
        var w = WireWriter()
        w.string(s)
        return w.bytes
    }

    private let path = "/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x"
    private let magic1: UInt64 = 0x6e69_7863, magic2: UInt64 = 0x6478_696f
    private let next: UInt64 = 0x6f6c_6d67, last: UInt64 = 0x616c_7473, error: UInt64 = 0x6378_7470
    private let start: UInt64 = 0x5354_5254, stop: UInt64 = 0x5354_4f50, result: UInt64 = 0x5253_4c54

    func testHandshakeLogsErrorsAndOperations() throws {
        let daemon = try ScriptedDaemon()
        let version: UInt64 = 1 << 8 | 37
        let handshake: [ScriptedDaemon.Step] = [
            .expect(le(magic1) + le(version)),
            .send(le(magic2) + le(version)),
            .expect(le(0) + le(0)),  // no CPU affinity, no reserveSpace
            .send(str("2.26.3") + le(1) + le(next) + str("hello\n") + le(last)),
        ]
        let isValid: [ScriptedDaemon.Step] = [
            .expect(le(1) + str(path)),
            .send(le(start) + le(7) + le(3) + le(100) + str("activity") + le(2) + le(0) + le(5) + le(1) + str("f")
                + le(0) + le(result) + le(7) + le(101) + le(0) + le(stop) + le(7) + le(last) + le(1)),
        ]
        let add: [ScriptedDaemon.Step] = [
            .expect(le(7) + str("x") + str("text:sha256") + le(1) + str(path) + le(0) + le(2) + Array("hi".utf8) + le(0)),
            .send(le(error) + str("Error") + le(0) + str("Error") + str("boom") + le(0) + le(1) + le(0) + str("a trace")),
        ]
        let info: [ScriptedDaemon.Step] = [
            .expect(le(26) + str(path)),
            .send(le(last) + le(1) + str("") + str("abc") + le(1) + str(path) + le(7) + le(8) + le(0) + le(0) + str("text:sha256:xyz")),
            .expect(le(31) + le(1) + str(path) + le(0)),
            .send(le(last) + le(0)),
            .expect(le(11) + str(path)),
            .send(le(last) + le(1)),
            .expect(le(12) + str("/tmp/root")),
            .send(le(last) + le(1)),
        ]
        daemon.serve(handshake + isValid + add + info)

        var logged: [String] = []
        let store = try DaemonStore(socketPath: daemon.path, log: { logged.append($0) })
        XCTAssertEqual(store.protocolVersion, version)
        XCTAssertEqual(store.daemonNixVersion, "2.26.3")
        XCTAssertEqual(store.trusted, true)
        let p = try StoreDirectory().parse(path)
        XCTAssertTrue(try store.isValidPath(p))
        XCTAssertThrowsError(try store.add(StoreObject(path: p, method: .text, references: [p], contents: .bytes(Array("hi".utf8))))) {
            XCTAssertEqual($0 as? DaemonError, DaemonError("boom"))
        }
        let pathInfo = try XCTUnwrap(try store.queryPathInfo(p))
        XCTAssertEqual(pathInfo, PathInfo(
            path: p, deriver: nil, narHash: "abc", references: [p], registrationTime: 7, narSize: 8,
            ultimate: false, signatures: [], contentAddress: "text:sha256:xyz"))
        XCTAssertEqual(try store.queryValidPaths([p]), [])
        try store.addTempRoot(p)
        try store.addIndirectRoot("/tmp/root")
        XCTAssertEqual(daemon.finish(), nil)
        XCTAssertEqual(logged, ["hello"])
    }

    func testADaemonOfAnotherProtocolIsRefused() throws {
        let daemon = try ScriptedDaemon()
        daemon.serve([.expect(le(magic1) + le(1 << 8 | 37)), .send(le(magic2) + le(2 << 8 | 1))])
        XCTAssertThrowsError(try DaemonStore(socketPath: daemon.path)) {
            XCTAssertEqual("\($0)", "Nix daemon protocol version not supported")
        }
        _ = daemon.finish()
        let old = try ScriptedDaemon()
        old.serve([.expect(le(magic1) + le(1 << 8 | 37)), .send(le(magic2) + le(1 << 8 | 20))])
        XCTAssertThrowsError(try DaemonStore(socketPath: old.path)) {
            XCTAssertEqual("\($0)", "the Nix daemon version is too old")
        }
        _ = old.finish()
    }

    /// A source that cannot be read half-way through an `AddToStore` ends the connection, so
    /// that the daemon does not add partial contents; the store is not used again.
    func testAFailedUploadGivesUpTheConnection() throws {
        let daemon = try ScriptedDaemon()
        let version: UInt64 = 1 << 8 | 37
        daemon.serve([
            .expect(le(magic1) + le(version)), .send(le(magic2) + le(version)), .expect(le(0) + le(0)),
            .send(str("2.26.3") + le(1) + le(last)),
            .expect(le(7) + str("x") + str("fixed:r:sha256") + le(0) + le(0)),
            .expectClosed,
        ])
        let store = try DaemonStore(socketPath: daemon.path)
        let p = try StoreDirectory().parse(path)
        let missing = StoreObject(
            path: p, method: .fixed(.nixArchive),
            contents: .file(path: "/nonexistent/swix-test", fileSystem: POSIXFileSystem(), filter: nil))
        XCTAssertThrowsError(try store.add(missing)) { XCTAssertTrue("\($0)".contains("/nonexistent/swix-test"), "\($0)") }
        XCTAssertThrowsError(try store.isValidPath(p)) { XCTAssertTrue("\($0)".contains("was given up"), "\($0)") }
        XCTAssertEqual(daemon.finish(), nil)
    }

    func testAClosedConnectionIsAnError() throws {
        let daemon = try ScriptedDaemon()
        daemon.serve([.expect(le(magic1) + le(1 << 8 | 37))])
        XCTAssertThrowsError(try DaemonStore(socketPath: daemon.path)) {
            XCTAssertEqual("\($0)", "the Nix daemon closed the connection unexpectedly")
        }
        _ = daemon.finish()
    }
}

/// A one-connection server on a Unix socket that checks what it receives against a script and
/// sends the scripted answers.
final class ScriptedDaemon: @unchecked Sendable {
    enum Step {
        case expect([UInt8])
        case send([UInt8])
        /// The client closes the connection without sending more.
        case expectClosed
    }

    let path: String
    private let listener: Int32
    private var failure: String?
    private let done = DispatchSemaphore(value: 0)

    init() throws {
        path = NSTemporaryDirectory() + "swix-scripted-\(UUID().uuidString.prefix(8)).socket"
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(listener, 1) == 0 else { throw DaemonError("cannot listen on \(path)") }
    }

    /// Accepts one connection on a thread and runs the script; the connection is closed after it.
    func serve(_ steps: [Step]) {
        Thread.detachNewThread { [self] in
            let fd = accept(listener, nil, nil)
            defer {
                close(fd)
                done.signal()
            }
            for (i, step) in steps.enumerated() {
                switch step {
                case .send(let bytes):
                    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                case .expectClosed:
                    var byte: UInt8 = 0
                    if recv(fd, &byte, 1, 0) != 0 { failure = "step \(i): the connection is still open" }
                case .expect(let bytes):
                    var got: [UInt8] = []
                    var buffer = [UInt8](repeating: 0, count: bytes.count)
                    while got.count < bytes.count {
                        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, bytes.count - got.count, 0) }
                        if n <= 0 { break }
                        got += buffer[0..<n]
                    }
                    if got != bytes {
                        failure = "step \(i): expected \(bytes), got \(got)"
                        return
                    }
                }
            }
        }
    }

    /// Waits for the script to end; returns what went wrong, if anything.
    func finish() -> String? {
        done.wait()
        close(listener)
        unlink(path)
        return failure
    }
}
