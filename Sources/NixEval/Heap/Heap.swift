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
    /// Bytes taken from the system for chunks (for statistics).
    public private(set) var reservedBytes = Heap.chunkSize

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
        cursor = chunk + size
        limit = chunk + n
        return chunk
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
