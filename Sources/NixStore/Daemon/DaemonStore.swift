// A client of the Nix daemon (C++ Nix's `RemoteStore` over `UDSRemoteStore`): connects to the
// daemon's Unix socket, negotiates the worker protocol and runs the operations the evaluator
// needs: checking paths, querying path information and adding content-addressed objects.

/// A connection to a Nix daemon. Not thread-safe; one operation at a time.
public final class DaemonStore {
    /// The socket path the connection was made to.
    public let socketPath: String
    /// The store directory paths are printed in (the daemon's must be the same).
    public let storeDirectory: StoreDirectory
    /// The negotiated protocol version (the smaller of the client's and the daemon's).
    public private(set) var protocolVersion: UInt64 = 0
    /// The daemon's Nix version (protocol 1.33 and later), e.g. `2.26.3`.
    public private(set) var daemonNixVersion: String?
    /// Whether the daemon trusts this client (1.35 and later; nil if it did not say).
    public private(set) var trusted: Bool?
    /// Receives the daemon's log messages (`STDERR_NEXT`), without their final newline.
    public var log: (String) -> Void = { _ in }

    private let socket: UnixSocket
    /// Set when an operation stopped half-way; the connection is not used again.
    private var broken = false
    private var reader: WireReader<SocketSource>

    /// The socket of the local daemon as C++ Nix finds it: `NIX_REMOTE=unix://PATH`, else
    /// `NIX_DAEMON_SOCKET_PATH`, else `NIX_STATE_DIR/daemon-socket/socket` (state directory
    /// `/nix/var/nix` by default).
    public static func socketPath(environment: (String) -> String?) -> String {
        if let remote = environment("NIX_REMOTE"), remote.hasPrefix("unix://") {
            return String(remote.dropFirst("unix://".count))
        }
        if let p = environment("NIX_DAEMON_SOCKET_PATH"), !p.isEmpty { return p }
        let state = environment("NIX_STATE_DIR").flatMap { $0.isEmpty ? nil : $0 } ?? "/nix/var/nix"
        return state + "/daemon-socket/socket"
    }

    /// Connects to the daemon at `socketPath` and performs the handshake; `log` receives the
    /// daemon's messages from the start.
    public init(
        socketPath: String, storeDirectory: StoreDirectory = StoreDirectory(), log: @escaping (String) -> Void = { _ in }
    ) throws {
        self.socketPath = socketPath
        self.storeDirectory = storeDirectory
        self.log = log
        socket = try UnixSocket(path: socketPath)
        reader = WireReader(SocketSource(socket: socket))
        try handshake()
    }

    // MARK: - Operations

    /// Whether `path` is valid in the store (`IsValidPath`).
    public func isValidPath(_ path: StorePath) throws -> Bool {
        var w = try request(.isValidPath)
        w.string(storeDirectory.print(path))
        try perform(w)
        return try reader.bool()
    }

    /// The subset of `paths` that is valid (`QueryValidPaths`, without substitution).
    public func queryValidPaths(_ paths: Set<StorePath>) throws -> Set<StorePath> {
        var w = try request(.queryValidPaths)
        w.strings(printed(paths))
        if WorkerProtocol.minor(protocolVersion) >= 27 { w.bool(false) }
        try perform(w)
        return try Set(reader.strings().map(parse))
    }

    /// What the daemon knows of `path`, or nil if it is not valid (`QueryPathInfo`).
    public func queryPathInfo(_ path: StorePath) throws -> PathInfo? {
        var w = try request(.queryPathInfo)
        w.string(storeDirectory.print(path))
        do {
            try perform(w)
        } catch let e as DaemonError where e.message.contains("is not valid") {
            return nil
        }
        guard try reader.bool() else { return nil }
        return try readUnkeyedPathInfo(path)
    }

    /// Protects `path` from garbage collection while this connection lasts (`AddTempRoot`).
    public func addTempRoot(_ path: StorePath) throws {
        var w = try request(.addTempRoot)
        w.string(storeDirectory.print(path))
        try perform(w)
        _ = try reader.int()
    }

    /// Registers `link` (an absolute path to a symlink into the store) as a garbage-collector
    /// root (`AddIndirectRoot`).
    public func addIndirectRoot(_ link: String) throws {
        var w = try request(.addIndirectRoot)
        w.string(link)
        try perform(w)
        _ = try reader.int()
    }

    /// Adds a content-addressed object (`AddToStore` with its content-address method and
    /// references; the contents are streamed as frames). The daemon computes the path itself;
    /// a different path than `object.path` is an error.
    @discardableResult
    public func add(_ object: StoreObject) throws -> PathInfo {
        var w = try request(.addToStore)
        w.string(object.name)
        w.string(object.renderedMethod)
        w.strings(printed(object.references))
        w.bool(false)  // repair
        try socket.write(w.bytes)
        let socket = self.socket
        var frames = FramedSink(send: { try socket.write($0) })
        do {
            try object.serialise(into: &frames)
        } catch {
            // Ending the frames would have the daemon add the partial contents: the connection
            // is given up instead (the daemon sees it closed and adds nothing).
            broken = true
            socket.shutDown()
            throw error
        }
        try frames.finish()
        try processStderr()
        let path = try parse(try reader.string())
        let info = try readUnkeyedPathInfo(path)
        guard path == object.path else {
            throw DaemonError("the Nix daemon added '\(storeDirectory.print(path))' where '\(storeDirectory.print(object.path))' was expected")
        }
        return info
    }

    // MARK: - Protocol

    private func handshake() throws {
        var w = WireWriter()
        w.int(WorkerProtocol.clientMagic)
        w.int(WorkerProtocol.version)
        try socket.write(w.bytes)
        guard try reader.int() == WorkerProtocol.daemonMagic else {
            throw DaemonError("nix-daemon protocol mismatch from '\(socketPath)'")
        }
        let daemonVersion = try reader.int()
        guard WorkerProtocol.major(daemonVersion) == WorkerProtocol.major(WorkerProtocol.version) else {
            throw DaemonError("Nix daemon protocol version not supported")
        }
        guard daemonVersion >= WorkerProtocol.minimumVersion else {
            throw DaemonError("the Nix daemon version is too old")
        }
        protocolVersion = min(daemonVersion, WorkerProtocol.version)
        let minor = WorkerProtocol.minor(protocolVersion)
        w = WireWriter()
        // (1.38 would exchange feature sets here; this client stops at 1.37.)
        if minor >= 14 { w.int(0) }  // obsolete CPU affinity: none
        if minor >= 11 { w.bool(false) }  // obsolete reserveSpace
        try socket.write(w.bytes)
        if minor >= 33 { daemonNixVersion = try reader.string() }
        if minor >= 35 {
            switch try reader.int() {
            case 1: trusted = true
            case 2: trusted = false
            default: trusted = nil
            }
        }
        try processStderr()
    }

    private func request(_ op: WorkerProtocol.Operation) throws -> WireWriter {
        if broken { throw DaemonError("the connection to the Nix daemon at '\(socketPath)' was given up after an error") }
        var w = WireWriter()
        w.int(op.rawValue)
        return w
    }

    /// Sends a request and reads the daemon's messages up to its result.
    private func perform(_ w: WireWriter) throws {
        try socket.write(w.bytes)
        try processStderr()
    }

    /// Reads log messages until `STDERR_LAST`; `STDERR_ERROR` becomes a thrown `DaemonError`.
    private func processStderr() throws {
        while true {
            let code = try reader.int()
            guard let message = WorkerProtocol.Message(rawValue: code) else {
                throw DaemonError("got unknown message type \(String(code, radix: 16)) from Nix daemon")
            }
            switch message {
            case .last:
                return
            case .error:
                throw try readError()
            case .next:
                var text = try reader.string()
                if text.hasSuffix("\n") { text.removeLast() }
                log(text)
            case .startActivity:
                _ = try reader.int()  // id
                _ = try reader.int()  // level
                _ = try reader.int()  // type
                _ = try reader.bytes()  // text
                try skipFields()
                _ = try reader.int()  // parent
            case .stopActivity:
                _ = try reader.int()
            case .result:
                _ = try reader.int()  // id
                _ = try reader.int()  // type
                try skipFields()
            case .write:
                throw DaemonError("the Nix daemon sent data this client did not ask for")
            case .read:
                throw DaemonError("the Nix daemon asked for data this client does not have")
            }
        }
    }

    private func skipFields() throws {
        let count = try reader.int()
        for _ in 0..<count {
            switch try reader.int() {
            case 0: _ = try reader.int()
            case 1: _ = try reader.bytes()
            case let t: throw DaemonError("got unsupported field type \(String(t, radix: 16)) from Nix daemon")
            }
        }
    }

    /// An error as the daemon serialises it: since 1.26 a structured error (type, level, name,
    /// message, position, traces), before that a message and a status.
    private func readError() throws -> DaemonError {
        guard WorkerProtocol.minor(protocolVersion) >= 26 else {
            let message = try reader.string()
            _ = try reader.int()
            return DaemonError(message)
        }
        _ = try reader.string()  // "Error"
        _ = try reader.int()  // level
        _ = try reader.string()  // name (unused)
        let message = try reader.string()
        _ = try reader.int()  // position: always none
        let traces = try reader.int()
        for _ in 0..<traces {
            _ = try reader.int()
            _ = try reader.bytes()
        }
        return DaemonError(message)
    }

    private func readUnkeyedPathInfo(_ path: StorePath) throws -> PathInfo {
        let deriverText = try reader.string()
        let narHash = try reader.string()
        let references = try Set(reader.strings().map(parse))
        let registrationTime = try reader.int()
        let narSize = try reader.int()
        var info = PathInfo(
            path: path, deriver: deriverText.isEmpty ? nil : try parse(deriverText), narHash: narHash,
            references: references, registrationTime: registrationTime, narSize: narSize,
            ultimate: false, signatures: [], contentAddress: "")
        if WorkerProtocol.minor(protocolVersion) >= 16 {
            info.ultimate = try reader.bool()
            info.signatures = try reader.strings()
            info.contentAddress = try reader.string()
        }
        return info
    }

    private func printed(_ paths: Set<StorePath>) -> [String] {
        paths.sorted().map(storeDirectory.print)
    }

    private func parse(_ text: String) throws -> StorePath {
        do {
            return try storeDirectory.parse(text)
        } catch let e as StoreError {
            throw DaemonError("the Nix daemon sent an invalid store path: \(e.message)")
        }
    }
}

/// Sends data as the frames `AddToStore` reads (C++ Nix's `FramedSink`): a length, then that
/// many bytes, no padding; an empty frame ends the data. Buffers up to `frameSize` bytes per
/// frame. A send error is kept and thrown by `finish` (a `ByteSink` cannot throw).
public struct FramedSink: ByteSink {
    private let send: ([UInt8]) throws -> Void
    private let frameSize: Int
    private var buffer: [UInt8] = []
    private var failure: Error?

    /// A sink passing each encoded frame to `send`.
    public init(frameSize: Int = 1 << 16, send: @escaping ([UInt8]) throws -> Void) {
        self.send = send
        self.frameSize = max(frameSize, 1)
        buffer.reserveCapacity(self.frameSize)
    }

    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes[...]
        while !rest.isEmpty {
            let n = min(frameSize - buffer.count, rest.count)
            buffer.append(contentsOf: rest.prefix(n))
            rest = rest.dropFirst(n)
            if buffer.count == frameSize { flush() }
        }
    }

    private mutating func flush() {
        guard !buffer.isEmpty, failure == nil else {
            buffer.removeAll(keepingCapacity: true)
            return
        }
        var frame = WireWriter()
        frame.int(UInt64(buffer.count))
        frame.bytes += buffer
        buffer.removeAll(keepingCapacity: true)
        do { try send(frame.bytes) } catch { failure = error }
    }

    /// Sends what is buffered and the closing empty frame.
    public mutating func finish() throws {
        flush()
        if let failure { throw failure }
        var end = WireWriter()
        end.int(0)
        try send(end.bytes)
    }
}
