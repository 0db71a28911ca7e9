// A connected Unix-domain stream socket with libc calls (no Foundation): connect, write all,
// read exactly, buffered for the daemon client.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A stream socket connected to a path; closed when released.
final class UnixSocket {
    private let fd: Int32
    private var readBuffer = [UInt8](repeating: 0, count: 1 << 16)
    private var readStart = 0
    private var readEnd = 0

    /// Connects to the socket at `path` ("cannot connect to socket at '…': …" on failure, as
    /// C++ Nix says it).
    init(path: String) throws {
        let failure = { (reason: String) in DaemonError("cannot connect to socket at '\(path)': \(reason)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8)
        guard bytes.count < capacity else { throw failure("socket path is too long") }
        #if canImport(Darwin)
        let s = socket(AF_UNIX, SOCK_STREAM, 0)
        #else
        let s = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard s >= 0 else { throw failure(UnixSocket.errorText()) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(s, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if result != 0 {
            let reason = UnixSocket.errorText()
            close(s)
            throw failure(reason)
        }
        fd = s
    }

    deinit { close(fd) }

    /// Ends the connection in both directions (the file descriptor is closed on release).
    func shutDown() {
        _ = shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw DaemonError("writing to the Nix daemon: \(UnixSocket.errorText())")
                }
                offset += n
            }
        }
    }

    /// Fills `buffer` from the socket; end of stream before that is an error.
    func readExactly(into buffer: UnsafeMutableRawBufferPointer) throws {
        guard let target = buffer.baseAddress else { return }
        var filled = 0
        while filled < buffer.count {
            if readStart == readEnd {
                let n = readBuffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw DaemonError("reading from the Nix daemon: \(UnixSocket.errorText())")
                }
                if n == 0 { throw DaemonError("the Nix daemon closed the connection unexpectedly") }
                readStart = 0
                readEnd = n
            }
            let count = min(buffer.count - filled, readEnd - readStart)
            readBuffer.withUnsafeBytes { src in
                guard let from = src.baseAddress else { return }
                (target + filled).copyMemory(from: from + readStart, byteCount: count)
            }
            readStart += count
            filled += count
        }
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }
}

/// A `WireSource` reading from a socket.
struct SocketSource: WireSource {
    let socket: UnixSocket

    mutating func readExactly(into buffer: UnsafeMutableRawBufferPointer) throws {
        try socket.readExactly(into: buffer)
    }
}
