// A growable byte buffer for printers: appends without per-call copy-on-write checks.

/// Something bytes can be appended to (printers write to `ByteWriter` or `[UInt8]`).
public protocol ByteSink {
    mutating func append(_ byte: UInt8)
    mutating func append(bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: ByteSink where Element == UInt8 {
    public mutating func append(bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }
}

/// An output buffer owned by one printer.
public struct ByteWriter: ByteSink {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    public private(set) var count = 0

    /// Whether `base` was allocated by the writer (else it is a caller's buffer, see `init(external:capacity:)`).
    public private(set) var ownsBuffer = true

    public init(capacity: Int = 4096) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
        HugePages.advise(UnsafeMutableRawPointer(base), bytes: self.capacity)
    }

    /// A writer that fills a caller's buffer of `capacity` bytes until it needs more room;
    /// then it moves to a buffer of its own (`ownsBuffer` becomes true).
    public init(external: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.capacity = capacity
        base = external
        ownsBuffer = false
    }

    /// The bytes written; the writer must not be used afterwards.
    public mutating func finish() -> [UInt8] {
        let result = Array(UnsafeBufferPointer(start: base, count: count))
        if ownsBuffer { base.deallocate() }
        capacity = 0
        count = 0
        return result
    }

    @inline(__always) mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    mutating func grow(_ needed: Int) {
        var newCapacity = max(capacity * 2, 16)
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        HugePages.advise(UnsafeMutableRawPointer(bigger), bytes: newCapacity)
        bigger.update(from: base, count: count)
        if ownsBuffer { base.deallocate() }
        ownsBuffer = true
        base = bigger
        capacity = newCapacity
    }

    @inline(__always) public mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always) public mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        if let p = bytes.baseAddress { (base + count).update(from: p, count: bytes.count) }
        count += bytes.count
    }

    @inline(__always) public mutating func append(_ s: StaticString) {
        append(bytes: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Appends `"…"` with `\"`, `\\`, `\n`, `\r`, `\t` and `\${` escaped (as `NixQuoting.appendStringLiteral`).
    public mutating func appendQuoted(_ s: UnsafeBufferPointer<UInt8>) {
        let n = s.count
        reserve(2 * n + 2)
        var o = base + count
        o.pointee = 34
        o += 1
        if n > 0 {
            let p = s.baseAddress!
            var i = 0
            while i < n {
                let c = p[i]
                i += 1
                // Only `"` (34), `$` (36), `\\` (92) and control characters below 36 can need an escape.
                if c > 36 && c != 92 {
                    o.pointee = c
                    o += 1
                    continue
                }
                switch c {
                case 34, 92:
                    o[0] = 92; o[1] = c; o += 2
                case 10:
                    o[0] = 92; o[1] = 110; o += 2
                case 13:
                    o[0] = 92; o[1] = 114; o += 2
                case 9:
                    o[0] = 92; o[1] = 116; o += 2
                case 36:
                    if i < n && p[i] == 123 { o.pointee = 92; o += 1 }
                    o.pointee = 36; o += 1
                default:
                    o.pointee = c; o += 1
                }
            }
        }
        o.pointee = 34
        o += 1
        count = o - base
    }
}
