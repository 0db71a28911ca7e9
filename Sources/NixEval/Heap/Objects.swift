// Typed views of heap objects. All pointer arithmetic on object layouts lives in this folder.

import NixSyntax

/// A string: header, context pointer (0 when empty), pointer to the bytes, pointer to the
/// growable block holding them (0 when the bytes are inline), then inline bytes.
///
/// Strings built by concatenation live in growable blocks (`capacity`, `used`, bytes): a string
/// that ends exactly at its block's `used` mark can be extended in place by a new string header,
/// because no existing string can see bytes past its own length. This makes repeated appending
/// (`acc + "…"` in a fold) linear instead of quadratic.
public struct NixString {
    public let value: Value
    @inlinable init(_ v: Value) { value = v }
    @inlinable var p: UnsafeMutableRawPointer { value.pointer }
    @inlinable public var count: Int { ObjectHeader.count(p) }
    @inlinable public var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: p.load(fromByteOffset: 16, as: UnsafePointer<UInt8>.self), count: count)
    }
    /// The growable block holding the bytes, if any.
    var block: UnsafeMutableRawPointer? {
        UnsafeMutableRawPointer(bitPattern: UInt(p.load(fromByteOffset: 24, as: UInt64.self)))
    }
    /// The context object, or nil when the string has no context.
    @inlinable public var context: StringContext? {
        let raw = p.load(fromByteOffset: 8, as: UInt64.self)
        return raw == 0 ? nil : StringContext(Value(bits: raw))
    }
    public var array: [UInt8] { Array(bytes) }
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The symbol with this string's bytes. Interned once, then cached in header bits 8–31
    /// (symbol id + 1; 0 = not yet interned): a string's bytes never change, and a heap's
    /// strings are all interned in the one symbol table of its program.
    @inlinable public func symbol(in symbols: SymbolTable) -> Symbol {
        let header = p.load(as: UInt32.self)
        let cached = header >> 8
        if cached != 0 { return Symbol(id: cached - 1) }
        let sym = symbols.intern(bytes)
        if sym.id < 0xFF_FFFE {
            p.storeBytes(of: (header & 0xFF) | (sym.id + 1) << 8, as: UInt32.self)
        }
        return sym
    }

    /// Records that this string's bytes are the name of `sym` (see `symbol(in:)`).
    func setCachedSymbol(_ sym: Symbol) {
        guard sym.id < 0xFF_FFFE else { return }
        let header = p.load(as: UInt32.self)
        p.storeBytes(of: (header & 0xFF) | (sym.id + 1) << 8, as: UInt32.self)
    }
}

/// A path: header, then the bytes of the absolute path.
public struct NixPath {
    public let value: Value
    @inlinable init(_ v: Value) { value = v }
    @inlinable public var count: Int { ObjectHeader.count(value.pointer) }
    @inlinable public var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: (value.pointer + 8).assumingMemoryBound(to: UInt8.self), count: count)
    }
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// A string context: a sorted set of context elements, each a plain string value
/// (`/nix/store/…` path, `=/nix/store/….drv` whole closure, `!out!/nix/store/….drv` output).
public struct StringContext {
    public let value: Value
    @inlinable init(_ v: Value) { value = v }
    @inlinable public var count: Int { ObjectHeader.count(value.pointer) }
    @inlinable public subscript(i: Int) -> NixString {
        NixString(value.pointer.load(fromByteOffset: 8 + 8 * i, as: Value.self))
    }
}

/// A list: header, then the elements.
public struct NixList {
    public let value: Value
    @inlinable init(_ v: Value) { value = v }
    @inlinable public var count: Int { ObjectHeader.count(value.pointer) }
    @inlinable var base: UnsafeMutablePointer<Value> {
        (value.pointer + 8).assumingMemoryBound(to: Value.self)
    }
    @inlinable public subscript(i: Int) -> Value {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

/// An attribute set: header, then `(key, value)` entries sorted by symbol id. A key holds
/// the symbol id in its low 32 bits and the attribute's position (an index into
/// `Program.attrPositions`, 0 when unknown) in its high 32 bits, for `unsafeGetAttrPos`.
public struct NixAttrs {
    public let value: Value
    @inlinable init(_ v: Value) { value = v }
    @inlinable public var count: Int { ObjectHeader.count(value.pointer) }
    @inlinable var entries: UnsafeMutablePointer<UInt64> {
        (value.pointer + 8).assumingMemoryBound(to: UInt64.self)
    }
    @inlinable public func symbol(at i: Int) -> Symbol { Symbol(id: UInt32(truncatingIfNeeded: entries[2 * i])) }
    /// The whole key word of entry `i` (symbol and position), to copy an attribute with its position.
    @inlinable func key(at i: Int) -> UInt64 { entries[2 * i] }
    /// The position index of entry `i` (0: unknown).
    @inlinable func position(at i: Int) -> UInt32 { UInt32(truncatingIfNeeded: entries[2 * i] >> 32) }
    @inlinable public func value(at i: Int) -> Value { Value(bits: entries[2 * i + 1]) }
    @inlinable func setValue(at i: Int, _ v: Value) { entries[2 * i + 1] = v.bits }

    /// The index of `name`, by linear search for small sets and binary search otherwise.
    @inlinable public func index(of name: Symbol) -> Int? {
        let n = count
        let key = name.id
        let e = entries
        if n <= 8 {
            var i = 0
            while i < n {
                if UInt32(truncatingIfNeeded: e[2 * i]) == key { return i }
                i += 1
            }
            return nil
        }
        // Out of range, or a dense run of ids (names interned in order, as from
        // `listToAttrs (genList …)`): no search needed.
        let first = UInt32(truncatingIfNeeded: e[0]), last = UInt32(truncatingIfNeeded: e[2 * (n - 1)])
        if key < first || key > last { return nil }
        if last - first == UInt32(n - 1) { return Int(key - first) }
        var lo = 0, hi = n
        while lo < hi {
            let mid = (lo + hi) >> 1
            let k = UInt32(truncatingIfNeeded: e[2 * mid])
            if k == key { return mid }
            if k < key { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    @inlinable public subscript(name: Symbol) -> Value? {
        guard let i = index(of: name) else { return nil }
        return value(at: i)
    }
}

/// Thunk states, kept in the header flags.
enum ThunkState: UInt8 {
    /// Not evaluated: word 1 is a prototype index, captures follow.
    case code = 0
    /// Not evaluated: word 1 is a function, word 2 its argument.
    case apply = 1
    /// Being evaluated (forcing it again is infinite recursion); aux keeps the previous state.
    case blackhole = 2
    /// Evaluated: word 1 is the value.
    case evaluated = 3
}

/// A suspended computation: header (state in flags, capture count), two words, captures.
public struct Thunk {
    public let value: Value
    @inlinable init(_ v: Value) { value = v }
    var p: UnsafeMutableRawPointer { value.pointer }
    var state: ThunkState { unsafeBitCast(ObjectHeader.flags(p), to: ThunkState.self) }
    func setState(_ s: ThunkState) { ObjectHeader.setFlags(p, s.rawValue) }
    var word1: UInt64 {
        get { p.load(fromByteOffset: 8, as: UInt64.self) }
        nonmutating set { p.storeBytes(of: newValue, toByteOffset: 8, as: UInt64.self) }
    }
    var word2: UInt64 {
        get { p.load(fromByteOffset: 16, as: UInt64.self) }
        nonmutating set { p.storeBytes(of: newValue, toByteOffset: 16, as: UInt64.self) }
    }
    var captures: UnsafeMutablePointer<Value> { (p + 24).assumingMemoryBound(to: Value.self) }
    var captureCount: Int { ObjectHeader.count(p) }
    /// For an application thunk: the builtin call that created it.
    var applySite: Site? {
        let packed = p.load(fromByteOffset: 24, as: UInt64.self)
        guard packed != 0 else { return nil }
        return Site(proto: Int(packed >> 32), pc: Int(UInt32(truncatingIfNeeded: packed - 1)))
    }
    /// The value, once evaluated.
    var result: Value { Value(bits: word1) }
}

/// A function value: header (capture count), prototype index, captures.
public struct Closure {
    public let value: Value
    @inlinable init(_ v: Value) { value = v }
    var p: UnsafeMutableRawPointer { value.pointer }
    var protoIndex: Int { Int(p.load(fromByteOffset: 8, as: UInt64.self)) }
    var captures: UnsafeMutablePointer<Value> { (p + 16).assumingMemoryBound(to: Value.self) }
    var captureCount: Int { ObjectHeader.count(p) }
}

/// A partially applied builtin: header (argument count), builtin index, arguments.
public struct BuiltinApp {
    public let value: Value
    @inlinable init(_ v: Value) { value = v }
    var p: UnsafeMutableRawPointer { value.pointer }
    var builtinIndex: Int { Int(p.load(fromByteOffset: 8, as: UInt64.self)) }
    var args: UnsafeMutablePointer<Value> { (p + 16).assumingMemoryBound(to: Value.self) }
    var argCount: Int { ObjectHeader.count(p) }
}

extension Heap {
    // MARK: - Allocation of each object kind

    public func string<C: Collection>(_ bytes: C, context: Value? = nil) -> Value where C.Element == UInt8 {
        let (v, dst) = uninitialisedString(count: bytes.count, context: context)
        _ = UnsafeMutableBufferPointer(start: dst, count: bytes.count).initialize(from: bytes)
        return v
    }

    /// A string header for `count` bytes at `bytes` inside `block` (no copy).
    func stringHeader(count n: Int, bytes: UnsafePointer<UInt8>, block: UnsafeMutableRawPointer, context: Value?) -> Value {
        let p = allocate(32)
        ObjectHeader.write(p, kind: .string, count: n)
        p.storeBytes(of: context?.bits ?? 0, toByteOffset: 8, as: UInt64.self)
        p.storeBytes(of: UInt64(UInt(bitPattern: bytes)), toByteOffset: 16, as: UInt64.self)
        p.storeBytes(of: UInt64(UInt(bitPattern: block)), toByteOffset: 24, as: UInt64.self)
        return .object(p)
    }

    /// A growable block: capacity, used, then `capacity` bytes.
    func stringBlock(capacity: Int) -> UnsafeMutableRawPointer {
        let b = allocate(16 + capacity)
        b.storeBytes(of: capacity, as: Int.self)
        b.storeBytes(of: 0, toByteOffset: 8, as: Int.self)
        return b
    }

    public func string(_ text: String) -> Value { string(Array(text.utf8)) }

    /// The decimal representation of an integer, as a string value.
    public func decimalString(_ n: Int64) -> Value {
        var magnitude = n.magnitude
        var digits = 1
        var limit: UInt64 = 10
        while digits < 20 && magnitude >= limit { digits += 1; limit = limit &* 10 }
        let count = n < 0 ? digits + 1 : digits
        let (v, dst) = uninitialisedString(count: count, context: nil)
        var i = count
        let pairs = Heap.digitPairs
        while magnitude >= 100 {
            let q = magnitude / 100
            let r = Int(truncatingIfNeeded: magnitude &- q &* 100)
            i -= 2
            dst[i] = pairs[2 * r]
            dst[i + 1] = pairs[2 * r + 1]
            magnitude = q
        }
        if magnitude >= 10 {
            let r = Int(truncatingIfNeeded: magnitude)
            i -= 2
            dst[i] = pairs[2 * r]
            dst[i + 1] = pairs[2 * r + 1]
        } else {
            i -= 1
            dst[i] = UInt8(truncatingIfNeeded: 48 &+ magnitude)
        }
        if n < 0 { dst[0] = 45 }
        return v
    }

    /// "00", "01", …, "99": two decimal digits at a time.
    static let digitPairs: UnsafeMutablePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 200)
        for k in 0..<100 {
            p[2 * k] = UInt8(48 + k / 10)
            p[2 * k + 1] = UInt8(48 + k % 10)
        }
        return p
    }()


    /// A string of `count` bytes to be filled in by the caller.
    func uninitialisedString(count n: Int, context: Value?) -> (Value, UnsafeMutablePointer<UInt8>) {
        let p = allocate(32 + n)
        ObjectHeader.write(p, kind: .string, count: n)
        p.storeBytes(of: context?.bits ?? 0, toByteOffset: 8, as: UInt64.self)
        let bytes = (p + 32).assumingMemoryBound(to: UInt8.self)
        p.storeBytes(of: UInt64(UInt(bitPattern: bytes)), toByteOffset: 16, as: UInt64.self)
        p.storeBytes(of: UInt64(0), toByteOffset: 24, as: UInt64.self)
        return (.object(p), bytes)
    }

    public func path<C: Collection>(_ bytes: C) -> Value where C.Element == UInt8 {
        let n = bytes.count
        let p = allocate(8 + n)
        ObjectHeader.write(p, kind: .path, count: n)
        let dst = (p + 8).assumingMemoryBound(to: UInt8.self)
        _ = UnsafeMutableBufferPointer(start: dst, count: n).initialize(from: bytes)
        return .object(p)
    }

    public func float(_ d: Double) -> Value {
        let p = allocate(16)
        ObjectHeader.write(p, kind: .float, count: 0)
        p.storeBytes(of: d, toByteOffset: 8, as: Double.self)
        return .object(p)
    }

    public func int(_ n: Int64) -> Value {
        if Value.fitsSmall(n) { return .smallInt(n) }
        let p = allocate(16)
        ObjectHeader.write(p, kind: .int, count: 0)
        p.storeBytes(of: n, toByteOffset: 8, as: Int64.self)
        return .object(p)
    }

    /// The largest element count of a list or byte count of a string (headers hold 32 bits).
    static let maxCount = Int(UInt32.max)

    /// A list whose size comes from the program (`genList`, concatenations): sizes beyond what
    /// a header can hold are an "out of memory" error, as C++ Nix reports them.
    func checkedList(count n: Int) throws -> NixList {
        guard n >= 0 && n <= Heap.maxCount else { throw EvalError(.other, "out of memory") }
        if maxBytes != Int.max { try reserve(8 + 8 * n) }
        return list(count: n)
    }

    /// A list of `count` elements, all `null` until set.
    public func list(count n: Int) -> NixList {
        let p = allocate(8 + 8 * n)
        ObjectHeader.write(p, kind: .list, count: n)
        let l = NixList(.object(p))
        l.base.initialize(repeating: .null, count: n)
        return l
    }

    public func list(_ elements: [Value]) -> Value {
        let l = list(count: elements.count)
        for (i, e) in elements.enumerated() { l[i] = e }
        return l.value
    }

    /// An attribute set from entries that are already sorted by symbol id and unique.
    func attrs(sortedCount n: Int, _ fill: (UnsafeMutablePointer<UInt64>) -> Void) -> Value {
        let p = allocate(8 + 16 * n)
        ObjectHeader.write(p, kind: .attrs, count: n)
        fill((p + 8).assumingMemoryBound(to: UInt64.self))
        return .object(p)
    }

    /// An attribute set from unsorted entries; later duplicates replace earlier ones.
    public func attrs(_ entries: [(Symbol, Value)]) -> Value {
        attrs(keyed: entries.map { (UInt64($0.0.id), $0.1) })
    }

    /// An attribute set from unsorted `(key, value)` entries (keys with positions, see
    /// `NixAttrs`); later duplicates replace earlier ones.
    func attrs(keyed entries: [(UInt64, Value)]) -> Value {
        var sorted = entries
        sorted.sort { UInt32(truncatingIfNeeded: $0.0) < UInt32(truncatingIfNeeded: $1.0) }
        var unique: [(UInt64, Value)] = []
        unique.reserveCapacity(sorted.count)
        for e in sorted {
            if let last = unique.last, UInt32(truncatingIfNeeded: last.0) == UInt32(truncatingIfNeeded: e.0) {
                unique[unique.count - 1] = e
            } else {
                unique.append(e)
            }
        }
        return attrs(sortedCount: unique.count) { out in
            for (i, e) in unique.enumerated() {
                out[2 * i] = e.0
                out[2 * i + 1] = e.1.bits
            }
        }
    }


    func codeThunk(proto: Int, captureCount: Int) -> Thunk {
        let p = allocate(24 + 8 * captureCount)
        ObjectHeader.write(p, kind: .thunk, flags: ThunkState.code.rawValue, count: captureCount)
        p.storeBytes(of: UInt64(proto), toByteOffset: 8, as: UInt64.self)
        return Thunk(.object(p))
    }

    /// A thunk for `function argument`; `site` is the builtin call that made it (for errors).
    func applyThunk(_ function: Value, _ argument: Value, site: Site?) -> Value {
        let p = allocate(32)
        ObjectHeader.write(p, kind: .thunk, flags: ThunkState.apply.rawValue, count: 0)
        p.storeBytes(of: function.bits, toByteOffset: 8, as: UInt64.self)
        p.storeBytes(of: argument.bits, toByteOffset: 16, as: UInt64.self)
        let packed: UInt64 = site.map { UInt64(UInt32($0.proto)) << 32 | UInt64(UInt32($0.pc)) + 1 } ?? 0
        p.storeBytes(of: packed, toByteOffset: 24, as: UInt64.self)
        return .object(p)
    }

    func closure(proto: Int, captureCount: Int) -> Closure {
        let p = allocate(16 + 8 * captureCount)
        ObjectHeader.write(p, kind: .closure, count: captureCount)
        p.storeBytes(of: UInt64(proto), toByteOffset: 8, as: UInt64.self)
        return Closure(.object(p))
    }

    func builtinApp(index: Int, args: UnsafeBufferPointer<Value>) -> Value {
        let p = allocate(16 + 8 * args.count)
        ObjectHeader.write(p, kind: .builtinApp, count: args.count)
        p.storeBytes(of: UInt64(index), toByteOffset: 8, as: UInt64.self)
        let dst = (p + 16).assumingMemoryBound(to: Value.self)
        for (i, a) in args.enumerated() { dst[i] = a }
        return .object(p)
    }

    func context(_ elements: [Value]) -> Value {
        let p = allocate(8 + 8 * elements.count)
        ObjectHeader.write(p, kind: .context, count: elements.count)
        let dst = (p + 8).assumingMemoryBound(to: Value.self)
        for (i, e) in elements.enumerated() { dst[i] = e }
        return .object(p)
    }
}

extension Value {
    @inlinable public var asString: NixString { NixString(self) }
    @inlinable public var asPath: NixPath { NixPath(self) }
    @inlinable public var asList: NixList { NixList(self) }
    @inlinable public var asAttrs: NixAttrs { NixAttrs(self) }
    var asThunk: Thunk { Thunk(self) }
    var asClosure: Closure { Closure(self) }
    var asBuiltinApp: BuiltinApp { BuiltinApp(self) }
    var floatValue: Double { pointer.load(fromByteOffset: 8, as: Double.self) }
    var boxedIntValue: Int64 { pointer.load(fromByteOffset: 8, as: Int64.self) }

    /// The integer value if this is an integer (small or boxed).
    @inlinable public var intValue: Int64? {
        if isSmallInt { return smallIntValue }
        if isObject(.int) { return pointer.load(fromByteOffset: 8, as: Int64.self) }
        return nil
    }

    /// The Nix type of an evaluated value (thunks must be forced first).
    public var type: NixType {
        switch tag {
        case 1: return .int
        case 2: return isNull ? .null : .bool
        case 3: return .lambda
        default:
            switch ObjectHeader.kind(pointer) {
            case .string: return .string
            case .path: return .path
            case .float: return .float
            case .int: return .int
            case .list: return .list
            case .attrs: return .set
            case .closure, .builtinApp: return .lambda
            case .thunk, .context: return .null
            }
        }
    }
}
