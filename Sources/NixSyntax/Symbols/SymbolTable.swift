// Interned identifiers and attribute names: every name is stored once and named by a 32-bit id.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An interned name. Ids are dense and start at 0 in order of first interning.
public struct Symbol: Hashable, Sendable, Comparable {
    public let id: UInt32
    @inlinable public init(id: UInt32) { self.id = id }
    @inlinable public static func < (a: Symbol, b: Symbol) -> Bool { a.id < b.id }
}

/// Interns byte strings to `Symbol`s with an open-addressing hash table over one byte buffer.
///
/// Lookups of an existing name allocate nothing, which keeps the lexer fast.
public final class SymbolTable: @unchecked Sendable {
    private var storage: [UInt8] = []
    private var offsets: [Int32] = [0]       // symbol i spans offsets[i]..<offsets[i+1]
    /// Open-addressing slots: 0 = empty, else `hash << 32 | (id + 1)`.
    private var slots: UnsafeMutablePointer<UInt64>
    private var mask: Int

    public init() {
        slots = .allocate(capacity: 1024)
        slots.initialize(repeating: 0, count: 1024)
        mask = 1023
        storage.reserveCapacity(16 * 1024)
    }

    deinit {
        slots.deallocate()
    }

    /// Number of interned names.
    public var count: Int { offsets.count - 1 }

    @inline(__always)
    static func hash(_ p: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt32 = 2166136261
        for b in p { h = (h ^ UInt32(b)) &* 16777619 }
        return h
    }

    /// The slot holding `bytes` (hash `h`), or the empty slot where it belongs (as `-1 - slot`).
    @inline(__always)
    private func find(_ bytes: UnsafeBufferPointer<UInt8>, _ h: UInt32) -> Int {
        var i = Int(h) & mask
        while true {
            let e = slots[i]
            if e == 0 { return -1 - i }
            if UInt32(truncatingIfNeeded: e >> 32) == h && equals(Int(UInt32(truncatingIfNeeded: e)) - 1, bytes) { return i }
            i = (i + 1) & mask
        }
    }

    /// Interns the bytes, returning the existing symbol when the name is known.
    public func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Symbol {
        let h = SymbolTable.hash(bytes)
        let slot = find(bytes, h)
        if slot >= 0 { return Symbol(id: UInt32(truncatingIfNeeded: slots[slot]) - 1) }
        let id = offsets.count - 1
        storage.append(contentsOf: bytes)
        offsets.append(Int32(storage.count))
        slots[-1 - slot] = UInt64(h) << 32 | UInt64(id + 1)
        if (id + 1) * 2 > mask + 1 { grow() }
        return Symbol(id: UInt32(id))
    }

    public func intern(_ bytes: [UInt8]) -> Symbol {
        bytes.withUnsafeBufferPointer { intern($0) }
    }

    public func intern(_ bytes: ArraySlice<UInt8>) -> Symbol {
        bytes.withUnsafeBufferPointer { intern($0) }
    }

    public func intern(_ text: String) -> Symbol {
        var t = text
        return t.withUTF8 { intern($0) }
    }

    /// Looks a name up without interning it.
    public func lookup(_ bytes: [UInt8]) -> Symbol? {
        bytes.withUnsafeBufferPointer { p in
            let slot = find(p, SymbolTable.hash(p))
            return slot >= 0 ? Symbol(id: UInt32(truncatingIfNeeded: slots[slot]) - 1) : nil
        }
    }

    private func equals(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(offsets[id]), end = Int(offsets[id + 1])
        let n = bytes.count
        if end - start != n { return false }
        if n == 0 { return true }
        return storage.withUnsafeBufferPointer { s in
            memcmp(s.baseAddress! + start, bytes.baseAddress!, n) == 0
        }
    }

    private func grow() {
        let oldCount = mask + 1
        let newCount = oldCount * 2
        let old = slots
        slots = .allocate(capacity: newCount)
        slots.initialize(repeating: 0, count: newCount)
        mask = newCount - 1
        for k in 0..<oldCount {
            let e = old[k]
            if e == 0 { continue }
            var i = Int(UInt32(truncatingIfNeeded: e >> 32)) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = e
        }
        old.deallocate()
    }

    /// The bytes of a symbol.
    public func bytes(_ s: Symbol) -> ArraySlice<UInt8> {
        let id = Int(s.id)
        return storage[Int(offsets[id])..<Int(offsets[id + 1])]
    }

    /// Calls `body` with the symbol's bytes without copying them.
    @inlinable
    public func withBytes<R>(_ s: Symbol, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withStorage(s, body)
    }

    @usableFromInline
    func withStorage<R>(_ s: Symbol, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let id = Int(s.id)
        let start = Int(offsets[id]), end = Int(offsets[id + 1])
        return try storage.withUnsafeBufferPointer { p in
            try body(UnsafeBufferPointer(rebasing: p[start..<end]))
        }
    }

    /// Calls `body` with the bytes of all names and their offsets (symbol `i` spans
    /// `offsets[i]..<offsets[i+1]`); no symbol may be interned while `body` runs.
    func withRawNames<R>(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<Int32>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { s in
            try offsets.withUnsafeBufferPointer { o in try body(s, o) }
        }
    }

    /// The symbol's name as a Swift string (invalid UTF-8 is repaired).
    public func name(_ s: Symbol) -> String {
        String(decoding: bytes(s), as: UTF8.self)
    }

    /// The position of every symbol (by id) in byte order of the names: comparing ranks is
    /// comparing names. Valid for the symbols interned so far.
    public func lexicographicRanks() -> [Int32] {
        var ids = Array(0..<Int32(count))
        ids.sort { lexicographicallyPrecedes(Symbol(id: UInt32($0)), Symbol(id: UInt32($1))) }
        var ranks = [Int32](repeating: 0, count: ids.count)
        for (rank, id) in ids.enumerated() { ranks[Int(id)] = Int32(rank) }
        return ranks
    }

    /// Compares two symbols by their bytes (the order Nix uses to sort attribute names).
    public func lexicographicallyPrecedes(_ a: Symbol, _ b: Symbol) -> Bool {
        if a == b { return false }
        return storage.withUnsafeBufferPointer { p in
            let a0 = Int(offsets[Int(a.id)]), a1 = Int(offsets[Int(a.id) + 1])
            let b0 = Int(offsets[Int(b.id)]), b1 = Int(offsets[Int(b.id) + 1])
            let n = min(a1 - a0, b1 - b0)
            var k = 0
            while k < n {
                let x = p[a0 + k], y = p[b0 + k]
                if x != y { return x < y }
                k += 1
            }
            return (a1 - a0) < (b1 - b0)
        }
    }
}
