// A small open-addressing map from variable keys to slots, used by scope resolution (Swift's
// `Dictionary` hashes with SipHash, which dominated compiling large `let`s).

/// Maps `VariableKey`s (packed into 64 bits) to non-negative integers.
struct KeyMap {
    /// While the map is small: its entries, searched linearly (one allocation, no hashing).
    private var small: [(key: UInt64, value: Int32)] = []
    private var keys: [UInt64]
    private var values: [Int32]
    private var mask: Int
    private(set) var count = 0
    private static let empty = UInt64.max
    private static let smallLimit = 8

    init() {
        keys = []
        values = []
        mask = -1
    }

    @inline(__always) static func hash(_ k: UInt64) -> Int {
        Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> 29)
    }

    func find(_ key: UInt64) -> Int? {
        guard mask >= 0 else {
            for e in small where e.key == key { return Int(e.value) }
            return nil
        }
        var i = KeyMap.hash(key) & mask
        while true {
            let k = keys[i]
            if k == key { return Int(values[i]) }
            if k == KeyMap.empty { return nil }
            i = (i + 1) & mask
        }
    }

    /// Sets `key` to `value` (a negative value removes it), returning the previous value.
    @discardableResult
    mutating func set(_ key: UInt64, _ value: Int) -> Int? {
        if mask < 0 {
            if let i = small.firstIndex(where: { $0.key == key }) {
                let old = Int(small[i].value)
                small[i].value = Int32(value)
                return old
            }
            if small.count < KeyMap.smallLimit {
                small.append((key, Int32(value)))
                return nil
            }
            // Too many for a linear search: move the entries into the hash table.
            let entries = small
            small = []
            grow()
            for e in entries { set(e.key, Int(e.value)) }
        }
        if (count + 1) * 2 > keys.count { grow() }
        var i = KeyMap.hash(key) & mask
        while true {
            let k = keys[i]
            if k == key {
                let old = Int(values[i])
                values[i] = Int32(value)
                return old
            }
            if k == KeyMap.empty {
                keys[i] = key
                values[i] = Int32(value)
                count += 1
                return nil
            }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        let size = max(16, keys.count * 2)
        keys = [UInt64](repeating: KeyMap.empty, count: size)
        values = [Int32](repeating: -1, count: size)
        mask = size - 1
        count = 0
        for (i, k) in oldKeys.enumerated() where k != KeyMap.empty && oldValues[i] >= 0 {
            set(k, Int(oldValues[i]))
        }
    }
}

extension VariableKey {
    /// The key packed into 64 bits for `KeyMap`.
    var packed: UInt64 {
        switch self {
        case .name(let s): return UInt64(s.id)
        case .with(let id): return 1 << 40 | UInt64(UInt32(truncatingIfNeeded: id))
        case .hidden(let id): return 2 << 40 | UInt64(UInt32(truncatingIfNeeded: id))
        }
    }
}
