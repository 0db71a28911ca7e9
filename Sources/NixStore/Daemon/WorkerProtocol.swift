// Constants of the Nix daemon's worker protocol as C++ Nix 2.26 defines them
// (libstore/worker-protocol.hh), and the path information its operations return.

/// Numbers of the worker protocol.
public enum WorkerProtocol {
    /// The client's greeting ("cxin") and the daemon's answer ("oixd").
    public static let clientMagic: UInt64 = 0x6e69_7863
    public static let daemonMagic: UInt64 = 0x6478_696f
    /// The version this client speaks: 1.37, Nix 2.26's (major in the high byte).
    public static let version: UInt64 = 1 << 8 | 37
    /// The oldest daemon this client works with: 1.25 has `AddToStore` with a content-address
    /// method and references.
    public static let minimumVersion: UInt64 = 1 << 8 | 25

    public static func major(_ v: UInt64) -> UInt64 { v & 0xff00 }
    public static func minor(_ v: UInt64) -> UInt64 { v & 0x00ff }

    /// Operation codes (the ones this client uses).
    public enum Operation: UInt64 {
        case isValidPath = 1
        case addToStore = 7
        case addTempRoot = 11
        case addIndirectRoot = 12
        case queryPathInfo = 26
        case queryValidPaths = 31
    }

    /// What the daemon sends before the result of an operation.
    public enum Message: UInt64 {
        case write = 0x6461_7416
        case read = 0x6461_7461
        case error = 0x6378_7470
        case next = 0x6f6c_6d67
        case startActivity = 0x5354_5254
        case stopActivity = 0x5354_4f50
        case result = 0x5253_4c54
        case last = 0x616c_7473
    }
}

/// What the daemon knows of a valid store path (C++ Nix's `ValidPathInfo`).
public struct PathInfo: Equatable, Sendable {
    public var path: StorePath
    /// The derivation that produced it, if known.
    public var deriver: StorePath?
    /// The SHA-256 of its NAR, as the daemon prints it (base 16).
    public var narHash: String
    public var references: Set<StorePath>
    public var registrationTime: UInt64
    public var narSize: UInt64
    public var ultimate: Bool
    public var signatures: [String]
    /// The content address (`text:sha256:…`, `fixed:r:sha256:…`), empty if none.
    public var contentAddress: String

    public init(
        path: StorePath, deriver: StorePath?, narHash: String, references: Set<StorePath>, registrationTime: UInt64,
        narSize: UInt64, ultimate: Bool, signatures: [String], contentAddress: String
    ) {
        self.path = path
        self.deriver = deriver
        self.narHash = narHash
        self.references = references
        self.registrationTime = registrationTime
        self.narSize = narSize
        self.ultimate = ultimate
        self.signatures = signatures
        self.contentAddress = contentAddress
    }
}
