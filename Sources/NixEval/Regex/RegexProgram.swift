// The NFA of a compiled regular expression, laid out as libstdc++'s `_NFA` is: the same
// states in the same order, so that matching can follow libstdc++'s search order exactly.

/// What an NFA state does.
enum RegexOpcode: UInt8 {
    /// Consumes one byte in `RegexProgram.sets[argument]`.
    case match
    /// Tries `alternative` (the left branch), then `next`.
    case alternative
    /// A greedy loop: `alternative` repeats the body, `next` leaves.
    case repeatLoop
    case groupBegin, groupEnd
    /// `^` (start of the subject) and `$` (end of the subject).
    case lineBegin, lineEnd
    case accept
    /// Removed once the NFA is complete.
    case dummy
}

/// One NFA state (libstdc++'s `_State`).
struct RegexState {
    var opcode: RegexOpcode
    var next: Int32 = -1
    var alternative: Int32 = -1
    /// The group of `groupBegin`/`groupEnd`, or the byte set of `match`.
    var argument: Int32 = 0

    init(_ opcode: RegexOpcode, next: Int32 = -1, alternative: Int32 = -1, argument: Int32 = 0) {
        self.opcode = opcode
        self.next = next
        self.alternative = alternative
        self.argument = argument
    }

    var hasAlternative: Bool { opcode == .alternative || opcode == .repeatLoop }
}

/// A set of bytes.
struct ByteSet: Hashable {
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    static func == (a: ByteSet, b: ByteSet) -> Bool { a.words == b.words }
    func hash(into h: inout Hasher) {
        h.combine(words.0)
        h.combine(words.1)
        h.combine(words.2)
        h.combine(words.3)
    }

    @inline(__always) func contains(_ b: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    mutating func insert(_ b: UInt8) {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    func inverted() -> ByteSet {
        ByteSet(words: (~words.0, ~words.1, ~words.2, ~words.3))
    }
}

/// A compiled regular expression: libstdc++'s NFA after dummy elimination.
final class RegexProgram {
    let states: [RegexState]
    let sets: [ByteSet]
    /// The number of groups, counting the whole match as group 0.
    let groupCount: Int
    let start: Int32
    /// Edges and loop data for matching, computed on first use.
    private(set) lazy var graph = RegexGraph(states, sets: sets)
    /// Buffers reused by successive matches (matching never re-enters itself).
    private(set) lazy var matcher = RegexMatcher(self)

    init(states: [RegexState], sets: [ByteSet], groupCount: Int, start: Int32) {
        self.states = states
        self.sets = sets
        self.groupCount = groupCount
        self.start = start
    }

    /// Compiles `pattern` as `std::regex(pattern, std::regex::extended)` does.
    static func compile(_ pattern: [UInt8]) throws -> RegexProgram {
        var compiler = try RegexCompiler(pattern)
        return try compiler.compile()
    }
}
