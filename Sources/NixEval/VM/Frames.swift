// Frames of the VM's explicit frame stack: bytecode frames and resumable builtin frames.

/// A bytecode frame: a prototype being executed.
struct CodeFrame {
    var proto: Int
    var pc: Int
    /// Stack index of local slot 0.
    var base: Int
    /// The captures of the running closure or thunk.
    var captures: UnsafeMutablePointer<Value>?
    /// Whether this frame is a function call (counted against the call-depth limit).
    var isCall: Bool
}

/// What a resumable builtin frame asks of the VM.
enum NativeStep {
    /// Finished with this value (the VM forces it if it is a thunk).
    case done(Value)
    /// Force this value; the frame is resumed with the result.
    case force(Value)
    /// Call a function with an argument; the frame is resumed with the (forced) result.
    case call(Value, Value)
    /// Call a function with two arguments (`f x y`); resumed with the forced result.
    case call2(Value, Value, Value)
    /// Run another frame; this one is resumed with its result.
    case run(any NativeFrame)
    /// The frame has set up the VM to produce its result (pushed a value or other frames).
    case handedOff
}

/// A builtin that needs the VM to force values or call functions: a small state machine that
/// is resumed with the result of each request. It must keep every value it needs across
/// requests in its own fields (frames are roots for the collector).
protocol NativeFrame: AnyObject {
    /// Advances the state machine. `input` is the result of the previous request, nil at start.
    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep
}

/// The builtin call that created a native frame, for error traces (`builtin` −1: none).
struct NativeOrigin {
    var builtin: Int32
    var siteProto: Int32
    var sitePC: Int32
    static let none = NativeOrigin(builtin: -1, siteProto: -1, sitePC: 0)
    init(builtin: Int32, siteProto: Int32, sitePC: Int32) {
        self.builtin = builtin
        self.siteProto = siteProto
        self.sitePC = sitePC
    }
    init(builtin: Int, site: Site?) {
        self.init(builtin: Int32(builtin), siteProto: Int32(site?.proto ?? -1), sitePC: Int32(site?.pc ?? 0))
    }
    var site: Site? { siteProto >= 0 ? Site(proto: Int(siteProto), pc: Int(sitePC)) : nil }
}

/// The call site of a builtin kept in a plain-data frame (`foldl'`, `tryEval`), for error traces.
struct FrameSite {
    var proto: Int32
    var pc: Int32
    init(_ site: Site?) {
        proto = Int32(site?.proto ?? -1)
        pc = Int32(site?.pc ?? 0)
    }
    var site: Site? { proto >= 0 ? Site(proto: Int(proto), pc: Int(pc)) : nil }
}

/// An entry of the frame stack.
enum Frame {
    case code(CodeFrame)
    /// Store the value on top of the stack into this thunk and replace the thunk below it.
    case updateThunk(Value)
    /// A builtin in progress (the top of `VM.nativeFrames`); `awaiting` tells whether it is
    /// waiting for a result on the stack. Keeping the object out of the enum makes frames plain data.
    case native(awaiting: Bool, origin: NativeOrigin = .none)
    /// `builtins.tryEval`: catchable errors unwind to here; the value below is the stack height.
    case tryEval(stackHeight: Int, site: FrameSite)
    /// `__functor` calls: call the result on top with the argument below it.
    case applyToPendingArgument
    /// A builtin call whose strict arguments are being forced: the `count` arguments are on the
    /// stack below the value being forced, which becomes argument `next`.
    case forceArguments(builtin: Int32, count: Int8, next: Int8, siteProto: Int32, sitePC: Int32)
    /// `foldl'` in progress: the result on top is the accumulator for element `next`.
    case fold(list: Value, function: Value, next: Int32, site: FrameSite)
}

/// The frame stack: a growable buffer of plain-data frames (no copy-on-write checks).
struct FrameStack {
    private(set) var storage: UnsafeMutablePointer<Frame>
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
    }

    func deallocate() { storage.deallocate() }

    @inline(__always) mutating func append(_ f: Frame) {
        if count == capacity { grow() }
        (storage + count).initialize(to: f)
        count += 1
    }

    @inline(__always) @discardableResult mutating func removeLast() -> Frame {
        count -= 1
        return (storage + count).move()
    }

    @inline(__always) subscript(i: Int) -> Frame { storage[i] }

    var last: Frame? { count > 0 ? storage[count - 1] : nil }

    /// Replaces the top frame.
    @inline(__always) mutating func setLast(_ f: Frame) { storage[count - 1] = f }

    /// Marks the native frame on top as waiting for a result, keeping its origin.
    @inline(__always) mutating func setLastAwaiting() {
        if case .native(_, let origin) = storage[count - 1] { storage[count - 1] = .native(awaiting: true, origin: origin) }
    }

    /// Removes the frame at `index`, moving the ones above it down.
    mutating func remove(at index: Int) {
        (storage + index).deinitialize(count: 1)
        (storage + index).moveInitialize(from: storage + index + 1, count: count - index - 1)
        count -= 1
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Frame>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = bigger
        capacity *= 2
    }

    /// The number of function-call frames (for the call-depth count after unwinding).
    var callFrameCount: Int {
        var n = 0
        for i in 0..<count {
            if case .code(let c) = storage[i], c.isCall { n += 1 }
        }
        return n
    }
}
