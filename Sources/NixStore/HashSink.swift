// Streaming hashing over swift-crypto: bytes go in piece by piece, a `Hash` comes out.

import Crypto

/// Something that receives a stream of bytes (a hasher, a NAR buffer, a file).
public protocol ByteSink {
    /// Appends `bytes` to the stream.
    mutating func write(_ bytes: UnsafeRawBufferPointer)
}

extension ByteSink {
    /// Appends the bytes of an array.
    public mutating func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }
}

/// An incremental hash computation (C++ Nix's `HashSink`): `update` any number of times,
/// then `finalize` once. Also counts the bytes it has seen.
public struct HashSink: ByteSink {
    // One of these is set; optional chaining mutates it in place (no copy-on-write copy).
    private var md5: Insecure.MD5?
    private var sha1: Insecure.SHA1?
    private var sha256: SHA256?
    private var sha512: SHA512?

    public let algorithm: HashAlgorithm
    /// How many bytes have been hashed.
    public private(set) var byteCount: UInt64 = 0

    public init(_ algorithm: HashAlgorithm) {
        self.algorithm = algorithm
        switch algorithm {
        case .md5: md5 = Insecure.MD5()
        case .sha1: sha1 = Insecure.SHA1()
        case .sha256: sha256 = SHA256()
        case .sha512: sha512 = SHA512()
        }
    }

    /// Feeds `bytes` to the hash.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        byteCount += UInt64(bytes.count)
        md5?.update(bufferPointer: bytes)
        sha1?.update(bufferPointer: bytes)
        sha256?.update(bufferPointer: bytes)
        sha512?.update(bufferPointer: bytes)
    }

    /// Feeds the bytes of an array.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds the UTF-8 bytes of a string.
    public mutating func update(_ string: String) {
        update(Array(string.utf8))
    }

    public mutating func write(_ bytes: UnsafeRawBufferPointer) { update(bytes) }

    /// The hash of everything fed so far.
    public func finalize() -> Hash {
        var bytes: [UInt8] = []
        if let h = md5 { bytes = Array(h.finalize()) }
        if let h = sha1 { bytes = Array(h.finalize()) }
        if let h = sha256 { bytes = Array(h.finalize()) }
        if let h = sha512 { bytes = Array(h.finalize()) }
        return Hash(algorithm: algorithm, bytes: bytes)
    }
}
