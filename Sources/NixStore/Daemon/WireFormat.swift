// The encoding of the Nix daemon's worker protocol (C++ Nix's `serialise.hh`): integers are
// 64-bit little-endian, strings are a length, the bytes and zero padding to a multiple of 8,
// lists are a count and their elements. The framed data of `AddToStore` is a sequence of
// (length, bytes) frames without padding, ended by an empty frame.

/// Appends values in the daemon's wire encoding to a byte buffer.
public struct WireWriter: Sendable {
    /// The encoded bytes so far.
    public var bytes: [UInt8] = []

    public init() {}

    /// A 64-bit little-endian integer.
    public mutating func int(_ n: UInt64) {
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: n >> (8 * UInt64(i)))) }
    }

    /// A Boolean as the integer 0 or 1.
    public mutating func bool(_ b: Bool) { int(b ? 1 : 0) }

    /// A string: its length, its bytes, zero padding to a multiple of 8.
    public mutating func string(_ s: some Collection<UInt8>) {
        int(UInt64(s.count))
        bytes.append(contentsOf: s)
        bytes.append(contentsOf: repeatElement(0, count: WireWriter.padding(UInt64(s.count))))
    }

    /// A string from its UTF-8 bytes.
    public mutating func string(_ s: String) { string(Array(s.utf8)) }

    /// A list of strings (also the encoding of a set of store paths, printed and sorted).
    public mutating func strings(_ list: [String]) {
        int(UInt64(list.count))
        for s in list { string(s) }
    }

    /// How many zero bytes follow `length` bytes of string data.
    public static func padding(_ length: UInt64) -> Int {
        Int((8 - length % 8) % 8)
    }
}

/// Where a `WireReader` gets bytes from (a socket, or a buffer in tests).
public protocol WireSource {
    /// Fills `buffer` completely or throws (a closed connection is an error).
    mutating func readExactly(into buffer: UnsafeMutableRawBufferPointer) throws
}

/// An in-memory `WireSource`.
public struct BufferSource: WireSource {
    public let bytes: [UInt8]
    public private(set) var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public mutating func readExactly(into buffer: UnsafeMutableRawBufferPointer) throws {
        guard bytes.count - position >= buffer.count else {
            throw DaemonError("unexpected end of data from the Nix daemon")
        }
        for i in 0..<buffer.count { buffer[i] = bytes[position + i] }
        position += buffer.count
    }
}

/// Reads values in the daemon's wire encoding.
public struct WireReader<Source: WireSource> {
    public var source: Source
    /// Strings longer than this are refused (a corrupt stream must not allocate without bound).
    public var maximumStringLength: UInt64 = 1 << 32

    public init(_ source: Source) { self.source = source }

    /// A 64-bit little-endian integer.
    public mutating func int() throws -> UInt64 {
        var n: UInt64 = 0
        try withUnsafeMutableBytes(of: &n) { try source.readExactly(into: $0) }
        return UInt64(littleEndian: n)
    }

    /// A Boolean (any non-zero integer is true, as C++ Nix reads it).
    public mutating func bool() throws -> Bool { try int() != 0 }

    /// A string's bytes; the padding must be zeros.
    public mutating func bytes() throws -> [UInt8] {
        let length = try int()
        guard length <= maximumStringLength else {
            throw DaemonError("the Nix daemon sent a string of \(length) bytes, which is too long")
        }
        var result = [UInt8](repeating: 0, count: Int(length) + WireWriter.padding(length))
        if !result.isEmpty { try result.withUnsafeMutableBytes { try source.readExactly(into: $0) } }
        let padding = result[Int(length)...]
        guard padding.allSatisfy({ $0 == 0 }) else { throw DaemonError("non-zero padding in data from the Nix daemon") }
        result.removeLast(padding.count)
        return result
    }

    /// A string, decoded as UTF-8 (invalid sequences repaired).
    public mutating func string() throws -> String {
        String(decoding: try bytes(), as: UTF8.self)
    }

    /// A list of strings.
    public mutating func strings() throws -> [String] {
        let count = try int()
        guard count <= maximumStringLength else {
            throw DaemonError("the Nix daemon sent a list of \(count) strings, which is too long")
        }
        var result: [String] = []
        for _ in 0..<count { result.append(try string()) }
        return result
    }
}

/// A failure talking to the Nix daemon, or an error the daemon reported.
public struct DaemonError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
