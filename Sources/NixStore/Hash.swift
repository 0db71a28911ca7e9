// Cryptographic hashes as C++ Nix 2.26 handles them (libutil/hash.cc): the four algorithms,
// the four printed formats (base16, nix32, base64, SRI), parsing with or without an
// algorithm prefix, and compression (XOR-folding) for store path digests.

/// A hash algorithm Nix knows (`md5`, `sha1`, `sha256`, `sha512`).
public enum HashAlgorithm: String, CaseIterable, Hashable, Sendable {
    case md5, sha1, sha256, sha512

    /// The digest size in bytes.
    public var size: Int {
        switch self {
        case .md5: return 16
        case .sha1: return 20
        case .sha256: return 32
        case .sha512: return 64
        }
    }

    /// The algorithm called `name`, or nil (C++ Nix's `parseHashAlgoOpt`).
    public init?(name: some StringProtocol) {
        switch name {
        case "md5": self = .md5
        case "sha1": self = .sha1
        case "sha256": self = .sha256
        case "sha512": self = .sha512
        default: return nil
        }
    }

    /// The algorithm called `name`; otherwise a usage error with C++ Nix's message
    /// (`parseHashAlgo`).
    public static func parse(_ name: some StringProtocol) throws -> HashAlgorithm {
        guard let a = HashAlgorithm(name: name) else {
            throw StoreError(
                "unknown hash algorithm '\(name)', expect 'md5', 'sha1', 'sha256', or 'sha512'", isUsageError: true)
        }
        return a
    }
}

/// How a hash is printed.
public enum HashFormat: Hashable, Sendable {
    /// Lower-case hexadecimal.
    case base16
    /// Nix's base-32 (`NixBase32`), as in store paths.
    case nix32
    /// Standard base-64 with padding.
    case base64
    /// Subresource integrity: `ALGO-BASE64`.
    case sri

    /// The result of `parseHashFormatOpt`: the format called `name`, and whether the name was
    /// the deprecated alias `base32` (C++ Nix then warns
    /// `"base32" is a deprecated alias for hash format "nix32".`).
    public static func named(_ name: some StringProtocol) -> (format: HashFormat, deprecatedAlias: Bool)? {
        switch name {
        case "base16": return (.base16, false)
        case "nix32": return (.nix32, false)
        case "base32": return (.nix32, true)
        case "base64": return (.base64, false)
        case "sri": return (.sri, false)
        default: return nil
        }
    }

    /// The warning C++ Nix prints when the format is named `base32`.
    public static let base32AliasWarning = "\"base32\" is a deprecated alias for hash format \"nix32\"."

    /// The format called `name`; otherwise a usage error with C++ Nix's message (`parseHashFormat`).
    public static func parse(_ name: some StringProtocol) throws -> (format: HashFormat, deprecatedAlias: Bool) {
        guard let f = named(name) else {
            throw StoreError(
                "unknown hash format '\(name)', expect 'base16', 'base32', 'base64', or 'sri'", isUsageError: true)
        }
        return f
    }
}

/// A digest together with the algorithm that produced it.
public struct Hash: Hashable, Sendable {
    public let algorithm: HashAlgorithm
    /// The digest; `algorithm.size` bytes, except for a compressed hash (`compressed(to:)`).
    public let bytes: [UInt8]

    /// A hash with the given digest bytes.
    public init(algorithm: HashAlgorithm, bytes: [UInt8]) {
        self.algorithm = algorithm
        self.bytes = bytes
    }

    /// The all-zero hash of `algorithm` (what C++ Nix assumes for an empty hash string).
    public static func zero(_ algorithm: HashAlgorithm) -> Hash {
        Hash(algorithm: algorithm, bytes: [UInt8](repeating: 0, count: algorithm.size))
    }

    /// The hash of `bytes`.
    public static func of(_ bytes: some Sequence<UInt8>, algorithm: HashAlgorithm) -> Hash {
        var h = HashSink(algorithm)
        h.update(Array(bytes))
        return h.finalize()
    }

    /// The hash of a string's UTF-8 bytes.
    public static func of(string: String, algorithm: HashAlgorithm) -> Hash {
        of(Array(string.utf8), algorithm: algorithm)
    }

    /// The hash XOR-folded to `size` bytes (C++ Nix's `compressHash`): byte `i` of the
    /// digest is XORed into byte `i % size` of the result. Store paths use 20 bytes of a SHA-256.
    public func compressed(to size: Int) -> Hash {
        precondition(size > 0, "compressed hash size must be positive")
        var out = [UInt8](repeating: 0, count: size)
        for (i, b) in bytes.enumerated() { out[i % size] ^= b }
        return Hash(algorithm: algorithm, bytes: out)
    }

    // MARK: Printing

    /// The hash printed in `format`, with `ALGO:` in front when `includeAlgorithm` (SRI always
    /// has its `ALGO-` prefix). C++ Nix's `Hash::to_string`.
    public func encoded(_ format: HashFormat, includeAlgorithm: Bool = false) -> String {
        var s = ""
        if format == .sri || includeAlgorithm {
            s += algorithm.rawValue
            s += format == .sri ? "-" : ":"
        }
        switch format {
        case .base16: s += Base16.encode(bytes)
        case .nix32: s += NixBase32.encode(bytes)
        case .base64, .sri: s += Base64.encode(bytes)
        }
        return s
    }

    /// Lower-case hexadecimal digest without prefix.
    public var base16: String { encoded(.base16) }
    /// Nix base-32 digest without prefix.
    public var nix32: String { encoded(.nix32) }
    /// `ALGO-BASE64`.
    public var sri: String { encoded(.sri) }

    // MARK: Parsing

    /// Parses `text`, which may start with `ALGO:` or be SRI (`ALGO-…`); otherwise `algorithm`
    /// gives the algorithm. When both are given they must agree. C++ Nix's `Hash::parseAny`.
    public static func parseAny(_ text: String, algorithm: HashAlgorithm?) throws -> Hash {
        var rest = Substring(text)
        let (parsed, isSRI) = try splitPrefix(&rest)
        if let p = parsed, let a = algorithm, p != a {
            throw StoreError("hash '\(text)' should have type '\(a.rawValue)'")
        }
        guard let a = parsed ?? algorithm else {
            throw StoreError("hash '\(rest)' does not include a type, nor is the type otherwise known from context")
        }
        return try parseDigest(rest, algorithm: a, isSRI: isSRI)
    }

    /// Parses `text`, which must start with `ALGO:` or be SRI. C++ Nix's `Hash::parseAnyPrefixed`.
    public static func parseAnyPrefixed(_ text: String) throws -> Hash {
        var rest = Substring(text)
        let (parsed, isSRI) = try splitPrefix(&rest)
        guard let a = parsed else { throw StoreError("hash '\(rest)' does not include a type") }
        return try parseDigest(rest, algorithm: a, isSRI: isSRI)
    }

    /// Parses an SRI hash (`ALGO-BASE64`). C++ Nix's `Hash::parseSRI`.
    public static func parseSRI(_ text: String) throws -> Hash {
        guard let dash = text.firstIndex(of: "-") else { throw StoreError("hash '\(text)' is not SRI") }
        let a = try HashAlgorithm.parse(text[..<dash])
        return try parseDigest(text[text.index(after: dash)...], algorithm: a, isSRI: true)
    }

    /// Parses a digest of `algorithm` in base16, nix32 or base64, told apart by length.
    /// C++ Nix's `Hash::parseNonSRIUnprefixed`.
    public static func parseNonSRIUnprefixed(_ text: String, algorithm: HashAlgorithm) throws -> Hash {
        try parseDigest(Substring(text), algorithm: algorithm, isSRI: false)
    }

    /// Like `parseAny`, but an empty string is the zero hash of `algorithm` (C++ Nix's
    /// `newHashAllowEmpty`, which then warns `found empty hash, assuming 'ALGO-…'`; the caller
    /// prints that warning, `emptyHashWarning`).
    public static func parseAllowingEmpty(_ text: String, algorithm: HashAlgorithm?) throws -> Hash {
        if text.isEmpty {
            guard let a = algorithm else { throw StoreError("empty hash requires explicit hash algorithm") }
            return zero(a)
        }
        return try parseAny(text, algorithm: algorithm)
    }

    /// The warning C++ Nix prints when it assumes the zero hash for an empty one.
    public static func emptyHashWarning(_ algorithm: HashAlgorithm) -> String {
        "found empty hash, assuming '\(zero(algorithm).sri)'"
    }

    /// Removes `ALGO:` or `ALGO-` from the front of `rest`; returns the algorithm (nil when
    /// there is no prefix) and whether it was SRI. An unknown algorithm name is an error.
    private static func splitPrefix(_ rest: inout Substring) throws -> (HashAlgorithm?, Bool) {
        if let colon = rest.firstIndex(of: ":") {
            let a = try HashAlgorithm.parse(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
            return (a, false)
        }
        if let dash = rest.firstIndex(of: "-") {
            let a = try HashAlgorithm.parse(rest[..<dash])
            rest = rest[rest.index(after: dash)...]
            return (a, true)
        }
        return (nil, false)
    }

    /// The digest in `rest`: base16, nix32 or base64 by its length, or base64 when SRI.
    private static func parseDigest(_ rest: Substring, algorithm: HashAlgorithm, isSRI: Bool) throws -> Hash {
        let size = algorithm.size
        let chars = Array(rest.utf8)
        if !isSRI && chars.count == size * 2 {
            guard let bytes = Base16.decode(chars) else { throw StoreError("invalid base-16 hash '\(rest)'") }
            return Hash(algorithm: algorithm, bytes: bytes)
        }
        if !isSRI && chars.count == NixBase32.encodedLength(size) {
            guard let bytes = NixBase32.decode(String(rest), byteCount: size) else {
                throw StoreError("invalid base-32 hash '\(rest)'")
            }
            return Hash(algorithm: algorithm, bytes: bytes)
        }
        if isSRI || chars.count == Base64.encodedLength(size) {
            // C++ Nix drops a base-64 decoding error and then reports the wrong length.
            let bytes = (try? Base64.decode(chars)) ?? []
            guard bytes.count == size else {
                throw StoreError("invalid \(isSRI ? "SRI" : "base-64") hash '\(rest)'")
            }
            return Hash(algorithm: algorithm, bytes: bytes)
        }
        throw StoreError("hash '\(rest)' has wrong length for hash algorithm '\(algorithm.rawValue)'")
    }
}

/// An error from the store layer, with C++ Nix's message text.
public struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    /// C++ Nix raises this as a `UsageError` (its command line then adds a `Try '… --help'` line).
    public var isUsageError: Bool

    public init(_ message: String, isUsageError: Bool = false) {
        self.message = message
        self.isUsageError = isUsageError
    }

    public var description: String { message }
}
