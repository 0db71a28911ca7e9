// The evaluator-owned heap: bump allocation in large chunks, freed when the evaluation ends.

#if os(Linux)
import Glibc
#endif

/// Every heap object starts with one 64-bit header word:
/// bits 0–7 kind, 8–15 flags, 16–31 auxiliary data, 32–63 element count.
/// Strings use bits 8–31 together for their cached symbol (`NixString.symbol(in:)`).
public enum ObjectHeader {
    @inlinable @inline(__always)
    static func kind(_ p: UnsafeMutableRawPointer) -> ObjectKind {
        unsafeBitCast(p.load(as: UInt8.self), to: ObjectKind.self)
    }
    @inlinable @inline(__always)
    static func count(_ p: UnsafeMutableRawPointer) -> Int {
        Int(p.load(fromByteOffset: 4, as: UInt32.self))
    }
    @inlinable @inline(__always)
    static func flags(_ p: UnsafeMutableRawPointer) -> UInt8 {
        p.load(fromByteOffset: 1, as: UInt8.self)
    }
    @inlinable @inline(__always)
    static func setFlags(_ p: UnsafeMutableRawPointer, _ f: UInt8) {
        p.storeBytes(of: f, toByteOffset: 1, as: UInt8.self)
    }
    @inlinable @inline(__always)
    static func aux(_ p: UnsafeMutableRawPointer) -> UInt16 {
        p.load(fromByteOffset: 2, as: UInt16.self)
    }
    @inlinable @inline(__always)
    static func setAux(_ p: UnsafeMutableRawPointer, _ a: UInt16) {
        p.storeBytes(of: a, toByteOffset: 2, as: UInt16.self)
    }
    @inlinable @inline(__always)
    static func write(_ p: UnsafeMutableRawPointer, kind: ObjectKind, flags: UInt8 = 0, aux: UInt16 = 0, count: Int) {
        let word = UInt64(kind.rawValue) | UInt64(flags) << 8 | UInt64(aux) << 16 | UInt64(UInt32(truncatingIfNeeded: count)) << 32
        p.storeBytes(of: word, as: UInt64.self)
    }
}

/// Owns all heap objects of one evaluation. Version one never frees individual objects;
/// everything is released when the heap is deinitialised.
public final class Heap {
    static let chunkSize = 1 << 20
    private var chunks: [UnsafeMutableRawPointer] = []
    @usableFromInline var cursor: UnsafeMutableRawPointer
    @usableFromInline var limit: UnsafeMutableRawPointer
    /// Bytes taken from the system for chunks (for statistics and the `maxBytes` limit).
    public private(set) var reservedBytes = Heap.chunkSize
    /// The most bytes the heap may take from the system (`--max-heap`); `Int.max`: no limit.
    /// Checked only where memory is taken from the system (`allocateSlow`) and before large
    /// allocations whose size the program chooses (`reserve(_:)`), never on the bump path.
    public var maxBytes = Int.max
    /// Set once `reservedBytes` has gone past `maxBytes`. Allocation still succeeds (callers of
    /// `allocate` cannot fail); `onExhausted` tells the evaluator, which stops with an
    /// "out of memory" error at its next function call.
    public private(set) var exhausted = false
    /// Called once, when the heap first goes past `maxBytes`.
    public var onExhausted: (() -> Void)?

    public init() {
        let first = UnsafeMutableRawPointer.allocate(byteCount: Heap.chunkSize, alignment: 16)
        chunks.append(first)
        cursor = first
        limit = first + Heap.chunkSize
    }

    deinit {
        for c in chunks { c.deallocate() }
        #if os(Linux)
        for c in hugeChunks { munmap(c, Heap.hugeChunkSize) }
        #endif
    }

    /// Allocates `size` bytes, 8-byte aligned and uninitialised.
    @inlinable @inline(__always)
    public func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        let rounded = (size + 7) & ~7
        let p = cursor
        if rounded <= limit - p {
            cursor = p + rounded
            return p
        }
        return allocateSlow(rounded)
    }

    @usableFromInline
    func allocateSlow(_ size: Int) -> UnsafeMutableRawPointer {
        if size > Heap.chunkSize / 4 {
            reservedBytes += size
            if reservedBytes > maxBytes { markExhausted() }
            let big = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
            chunks.append(big)
            return big
        }
        let chunk: UnsafeMutableRawPointer
        let n: Int
        if let h = Heap.hugeChunk() {
            chunk = h
            n = Heap.hugeChunkSize
            hugeChunks.append(h)
        } else {
            chunk = UnsafeMutableRawPointer.allocate(byteCount: Heap.chunkSize, alignment: 16)
            n = Heap.chunkSize
            chunks.append(chunk)
        }
        reservedBytes += n
        if reservedBytes > maxBytes { markExhausted() }
        cursor = chunk + size
        limit = chunk + n
        return chunk
    }

    private func markExhausted() {
        guard !exhausted else { return }
        exhausted = true
        onExhausted?()
    }

    /// Throws "out of memory" when `bytes` more would take the heap past `maxBytes` (or when
    /// it already is past it): called before an allocation whose size comes from the program
    /// (`genList`, list and string concatenation), so that such a request fails before any of
    /// it is taken from the system.
    public func reserve(_ bytes: Int) throws {
        let (total, overflow) = reservedBytes.addingReportingOverflow(max(0, bytes))
        if exhausted || overflow || total > maxBytes { throw Heap.outOfMemory(limit: maxBytes) }
    }

    /// The error of a heap that has reached its limit.
    static func outOfMemory(limit: Int) -> EvalError {
        EvalError(.other, limit == Int.max ? "out of memory" : "out of memory: the heap would exceed the limit of \(limit) bytes (--max-heap)")
    }

    /// Chunks after the first are 2 MiB, aligned and backed by a transparent huge page where the
    /// system allows it: a growing heap then takes one page fault per 2 MiB instead of 512.
    static let hugeChunkSize = 2 << 20
    private var hugeChunks: [UnsafeMutableRawPointer] = []

    private static func hugeChunk() -> UnsafeMutableRawPointer? {
        #if os(Linux)
        let p = mmap(nil, hugeChunkSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0)
        guard let p, p != MAP_FAILED else { return nil }
        return p
        #else
        return nil
        #endif
    }
}
