// A growable buffer of plain values without copy-on-write or uniqueness checks, for the
// matcher's hot loops (stacks and thread lists that one object owns).

/// A stack-like buffer of trivial values; the owner calls `deallocate` once.
struct RegexBuffer<T> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 16) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    @inline(__always) subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }

    @inline(__always) mutating func append(_ x: T) {
        if count == capacity { grow(count + 1) }
        (base + count).initialize(to: x)
        count += 1
    }

    /// Appends `n` values from `source`.
    @inline(__always) mutating func append(from source: UnsafePointer<T>, count n: Int) {
        if count + n > capacity { grow(count + n) }
        (base + count).initialize(from: source, count: n)
        count += n
    }

    @inline(__always) mutating func popLast() -> T? {
        guard count > 0 else { return nil }
        count -= 1
        return base[count]
    }

    @inline(__always) mutating func removeAll() { count = 0 }

    private mutating func grow(_ minimum: Int) {
        var c = capacity * 2
        while c < minimum { c *= 2 }
        let b = UnsafeMutablePointer<T>.allocate(capacity: c)
        b.moveInitialize(from: base, count: count)
        base.deallocate()
        base = b
        capacity = c
    }

    func deallocate() { base.deallocate() }
}
