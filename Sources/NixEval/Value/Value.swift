// The value representation: a trivially copyable 8-byte tagged word (DESIGN.md section 2).

/// A Nix value. Small integers, `null`, booleans and builtins are immediates; everything
/// else is a pointer to an object in the evaluation's `Heap`. Copying a value never
/// touches a reference count.
///
/// Tags (low 3 bits): `000` heap pointer, `001` 61-bit integer, `010` null/false/true,
/// `011` builtin (primop) index.
@frozen
public struct Value: Equatable, Sendable {
    public var bits: UInt64

    @inlinable @inline(__always) init(bits: UInt64) { self.bits = bits }

    public static let null = Value(bits: 2)
    public static let `false` = Value(bits: 10)
    public static let `true` = Value(bits: 18)
    /// Placeholder for a binding slot that is not initialised yet (never visible to Nix code).
    static let uninitialised = Value(bits: 26)

    @inlinable @inline(__always) static func bool(_ b: Bool) -> Value { b ? .true : .false }

    @inlinable @inline(__always) var tag: UInt64 { bits & 7 }
    @inlinable @inline(__always) var isPointer: Bool { bits & 7 == 0 }
    @inlinable @inline(__always) var isSmallInt: Bool { bits & 7 == 1 }
    @inlinable @inline(__always) var isBuiltin: Bool { bits & 7 == 3 }

    static let smallIntMin: Int64 = -(1 << 60)
    static let smallIntMax: Int64 = (1 << 60) - 1

    @inlinable @inline(__always) static func smallInt(_ n: Int64) -> Value {
        Value(bits: UInt64(bitPattern: n << 3) | 1)
    }
    @inlinable @inline(__always) var smallIntValue: Int64 { Int64(bitPattern: bits) >> 3 }

    @inlinable @inline(__always) static func fitsSmall(_ n: Int64) -> Bool {
        n >= -(1 << 60) && n < (1 << 60)
    }

    @inlinable @inline(__always) static func builtin(_ index: Int) -> Value {
        Value(bits: UInt64(index) << 3 | 3)
    }
    @inlinable @inline(__always) var builtinIndex: Int { Int(bits >> 3) }

    @inlinable @inline(__always) static func object(_ p: UnsafeMutableRawPointer) -> Value {
        Value(bits: UInt64(UInt(bitPattern: p)))
    }
    @inlinable @inline(__always) var pointer: UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(bits)).unsafelyUnwrapped
    }

    /// The heap object kind, or nil for immediates.
    @inlinable @inline(__always) var objectKind: ObjectKind? {
        guard isPointer else { return nil }
        return ObjectHeader.kind(pointer)
    }

    @inlinable @inline(__always) func isObject(_ kind: ObjectKind) -> Bool {
        isPointer && ObjectHeader.kind(pointer) == kind
    }

    @inlinable var isThunk: Bool { isObject(.thunk) }
    @inlinable var isNull: Bool { bits == 2 }
    @inlinable var isBool: Bool { bits == 10 || bits == 18 }
}

/// The kinds of heap objects.
public enum ObjectKind: UInt8, Sendable {
    case string = 0, path, float, int, list, attrs, thunk, closure, builtinApp, context
}

/// The type of a value as Nix names it (`builtins.typeOf`).
public enum NixType: String, Sendable {
    case int, float, bool, string, path, null, set, list, lambda
    /// The name in error messages such as "expected a set but found an integer".
    public var article: String {
        switch self {
        case .int: return "an integer"
        case .float: return "a float"
        case .bool: return "a Boolean"
        case .string: return "a string"
        case .path: return "a path"
        case .null: return "null"
        case .set: return "a set"
        case .list: return "a list"
        case .lambda: return "a function"
        }
    }
}
