// libstdc++'s `_Compiler` for extended syntax, without native recursion: the same states
// inserted in the same order (so that the 100 000-state limit trips where it does in C++ Nix),
// the same `{m,n}` expansion by cloning, the same bracket-expression rules.

/// Builds a `RegexProgram` from a pattern, as libstdc++'s `_Compiler` does.
struct RegexCompiler {
    /// A chain of states from `start` to `end` (libstdc++'s `_StateSeq`).
    struct Sequence {
        var start: Int32
        var end: Int32
    }

    /// An open group (or the whole pattern) whose alternatives are being parsed.
    private struct OpenGroup {
        /// The `groupBegin` state; nil for the whole pattern.
        var begin: Int32?
        /// The alternatives before the last `|`, already joined.
        var alternatives: Sequence? = nil
        /// The terms of the alternative being parsed.
        var terms: Sequence? = nil
    }

    static let stateLimit = 100_000

    private var scanner: RegexScanner
    private var value: [UInt8] = []
    private var states: [RegexState] = []
    private var sets: [ByteSet] = []
    private var setIndex: [ByteSet: Int32] = [:]
    private var groupCount = 0
    private var openGroups: [Int32] = []

    init(_ pattern: [UInt8]) throws {
        scanner = try RegexScanner(pattern)
    }

    // MARK: Tokens and states

    private mutating func accept(_ token: RegexToken) throws -> Bool {
        guard scanner.token == token else { return false }
        value = scanner.value
        try scanner.advance()
        return true
    }

    private mutating func insert(_ state: RegexState) throws -> Int32 {
        states.append(state)
        if states.count > Self.stateLimit { throw RegexError.tooManyStates }
        return Int32(states.count - 1)
    }

    private mutating func insertDummy() throws -> Int32 { try insert(RegexState(.dummy)) }

    private mutating func insertMatcher(_ set: ByteSet) throws -> Sequence {
        let index: Int32
        if let i = setIndex[set] {
            index = i
        } else {
            index = Int32(sets.count)
            sets.append(set)
            setIndex[set] = index
        }
        let s = try insert(RegexState(.match, argument: index))
        return Sequence(start: s, end: s)
    }

    private mutating func insertGroupBegin() throws -> Int32 {
        let g = Int32(groupCount)
        groupCount += 1
        openGroups.append(g)
        return try insert(RegexState(.groupBegin, argument: g))
    }

    private mutating func insertGroupEnd() throws -> Int32 {
        let g = openGroups.removeLast()
        return try insert(RegexState(.groupEnd, argument: g))
    }

    private mutating func append(_ seq: inout Sequence, _ id: Int32) {
        states[Int(seq.end)].next = id
        seq.end = id
    }

    private mutating func append(_ seq: inout Sequence, _ other: Sequence) {
        states[Int(seq.end)].next = other.start
        seq.end = other.end
    }

    // MARK: Structure

    /// The whole pattern: `groupBegin(0) disjunction groupEnd(0) accept`.
    mutating func compile() throws -> RegexProgram {
        var whole = Sequence(start: try insertGroupBegin(), end: 0)
        whole.end = whole.start
        var stack = [OpenGroup(begin: nil)]
        while true {
            if let term = try term() {
                add(term, to: &stack[stack.count - 1])
                continue
            }
            if try accept(.groupBegin) {
                stack.append(OpenGroup(begin: try insertGroupBegin()))
                continue
            }
            // The alternative ends here (an empty alternative is a dummy state).
            let dummy = try insertDummy()
            var top = stack.removeLast()
            var alternative = top.terms ?? Sequence(start: dummy, end: dummy)
            if top.terms != nil { append(&alternative, dummy) }
            if let left = top.alternatives {
                // libstdc++: the left branch is `_M_alt`, tried first.
                var left = left
                let end = try insertDummy()
                append(&left, end)
                append(&alternative, end)
                let node = try insert(RegexState(.alternative, next: alternative.start, alternative: left.start))
                top.alternatives = Sequence(start: node, end: end)
            } else {
                top.alternatives = alternative
            }
            top.terms = nil
            if try accept(.alternation) {
                stack.append(top)
                continue
            }
            let disjunction = top.alternatives!
            if let begin = top.begin {
                guard try accept(.groupEnd) else { throw RegexError.invalid }
                var group = Sequence(start: begin, end: begin)
                append(&group, disjunction)
                append(&group, try insertGroupEnd())
                let quantified = try quantifiers(group)
                add(quantified, to: &stack[stack.count - 1])
                continue
            }
            guard try accept(.eof) else { throw RegexError.invalid }
            append(&whole, disjunction)
            append(&whole, try insertGroupEnd())
            append(&whole, try insert(RegexState(.accept)))
            eliminateDummies()
            return RegexProgram(states: states, sets: sets, groupCount: groupCount, start: whole.start)
        }
    }

    private mutating func add(_ term: Sequence, to group: inout OpenGroup) {
        if var terms = group.terms {
            append(&terms, term)
            group.terms = terms
        } else {
            group.terms = term
        }
    }

    /// An assertion, or an atom other than a group with its quantifiers; nil when the next
    /// token starts neither.
    private mutating func term() throws -> Sequence? {
        if try accept(.lineBegin) {
            let s = try insert(RegexState(.lineBegin))
            return Sequence(start: s, end: s)
        }
        if try accept(.lineEnd) {
            let s = try insert(RegexState(.lineEnd))
            return Sequence(start: s, end: s)
        }
        let atom: Sequence
        if try accept(.anyChar) {
            var all = ByteSet().inverted()
            all.words.0 &= ~1  // POSIX `.` matches everything but NUL
            atom = try insertMatcher(all)
        } else if try accept(.ordinaryChar) {
            var set = ByteSet()
            set.insert(value[0])
            atom = try insertMatcher(set)
        } else if let bracket = try bracketExpression() {
            atom = bracket
        } else {
            return nil
        }
        return try quantifiers(atom)
    }

    /// `*`, `+`, `?` and `{m,n}` after an atom, as libstdc++'s `_M_quantifier` builds them.
    private mutating func quantifiers(_ atom: Sequence) throws -> Sequence {
        var e = atom
        while true {
            if try accept(.closure0) {
                let r = try insert(RegexState(.repeatLoop, alternative: e.start))
                append(&e, r)
                e = Sequence(start: r, end: r)
            } else if try accept(.closure1) {
                append(&e, try insert(RegexState(.repeatLoop, alternative: e.start)))
            } else if try accept(.optional) {
                let end = try insertDummy()
                let r = try insert(RegexState(.repeatLoop, alternative: e.start))
                append(&e, end)
                var seq = Sequence(start: r, end: r)
                append(&seq, end)
                e = seq
            } else if try accept(.intervalBegin) {
                e = try interval(e)
            } else {
                return e
            }
        }
    }

    /// `{m}`, `{m,}` and `{m,n}`: copies of the atom, the optional ones as nested loops.
    private mutating func interval(_ atom: Sequence) throws -> Sequence {
        guard try accept(.count) else { throw RegexError.invalid }
        var e = Sequence(start: try insertDummy(), end: 0)
        e.end = e.start
        let minimum = try countValue()
        var unbounded = false
        var extra = 0
        if try accept(.comma) {
            if try accept(.count) {
                extra = try countValue() - minimum
            } else {
                unbounded = true
            }
        }
        guard try accept(.intervalEnd) else { throw RegexError.invalid }
        for _ in 0..<minimum { append(&e, try clone(atom)) }
        if unbounded {
            var copy = try clone(atom)
            let r = try insert(RegexState(.repeatLoop, alternative: copy.start))
            append(&copy, r)
            append(&e, Sequence(start: r, end: r))
        } else {
            guard extra >= 0 else { throw RegexError.invalid }
            let end = try insertDummy()
            for _ in 0..<extra {
                let copy = try clone(atom)
                // libstdc++ builds these with `_M_next`/`_M_alt` swapped, then swaps them back.
                let r = try insert(RegexState(.repeatLoop, next: end, alternative: copy.start))
                append(&e, Sequence(start: r, end: copy.end))
            }
            append(&e, end)
        }
        return e
    }

    /// The count just read, failing on `int` overflow as libstdc++ does.
    private func countValue() throws -> Int {
        var v: Int32 = 0
        for c in value {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int32(c - UInt8(ascii: "0")))
            if o1 || o2 { throw RegexError.invalid }
            v = s
        }
        return Int(v)
    }

    /// A copy of a sequence's states (libstdc++'s `_StateSeq::_M_clone`, including its habit
    /// of copying a state twice when it is reached twice before being copied).
    private mutating func clone(_ seq: Sequence) throws -> Sequence {
        var map: [Int32: Int32] = [:]
        var stack: [Int32] = [seq.start]
        while let u = stack.popLast() {
            let dup = states[Int(u)]
            let id = try insert(dup)
            map[u] = id
            if dup.hasAlternative && dup.alternative != -1 && map[dup.alternative] == nil {
                stack.append(dup.alternative)
            }
            if u == seq.end { continue }
            if dup.next != -1 && map[dup.next] == nil { stack.append(dup.next) }
        }
        for (_, v) in map {
            let s = states[Int(v)]
            if s.next != -1 { states[Int(v)].next = map[s.next] ?? s.next }
            if s.hasAlternative && s.alternative != -1 { states[Int(v)].alternative = map[s.alternative] ?? s.alternative }
        }
        return Sequence(start: map[seq.start]!, end: map[seq.end]!)
    }

    private mutating func eliminateDummies() {
        for i in states.indices {
            while states[i].next >= 0 && states[Int(states[i].next)].opcode == .dummy {
                states[i].next = states[Int(states[i].next)].next
            }
            if states[i].hasAlternative {
                while states[i].alternative >= 0 && states[Int(states[i].alternative)].opcode == .dummy {
                    states[i].alternative = states[Int(states[i].alternative)].next
                }
            }
        }
    }

    // MARK: Bracket expressions

    /// What the previous bracket element was (libstdc++'s `_BracketState`).
    private enum LastElement {
        case none, character(UInt8), characterClass
    }

    private mutating func bracketExpression() throws -> Sequence? {
        let negated: Bool
        if try accept(.bracketNegatedBegin) {
            negated = true
        } else if try accept(.bracketBegin) {
            negated = false
        } else {
            return nil
        }
        var set = ByteSet()
        var last = LastElement.none
        if try accept(.ordinaryChar) {
            last = .character(value[0])
        } else if try accept(.bracketDash) {
            last = .character(UInt8(ascii: "-"))
        }
        while try bracketTerm(&last, &set) {}
        if case .character(let c) = last { set.insert(c) }
        return try insertMatcher(negated ? set.inverted() : set)
    }

    /// One element of a bracket expression; false at the closing `]`.
    private mutating func bracketTerm(_ last: inout LastElement, _ set: inout ByteSet) throws -> Bool {
        if try accept(.bracketEnd) { return false }
        func push(_ c: UInt8?) {
            if case .character(let previous) = last { set.insert(previous) }
            last = c.map { .character($0) } ?? .characterClass
        }
        if try accept(.collatingSymbol) {
            guard let c = RegexCharacterClasses.collatingElement(value) else { throw RegexError.invalid }
            push(c)
        } else if try accept(.equivalenceClass) {
            push(nil)
            guard let c = RegexCharacterClasses.collatingElement(value) else { throw RegexError.invalid }
            let primary = RegexCharacterClasses.lower(c)
            for b in 0...255 where RegexCharacterClasses.lower(UInt8(b)) == primary { set.insert(UInt8(b)) }
        } else if try accept(.characterClass) {
            push(nil)
            guard let members = RegexCharacterClasses.named(value) else { throw RegexError.invalid }
            for b in 0...255 where members(UInt8(b)) { set.insert(UInt8(b)) }
        } else if try accept(.ordinaryChar) {
            push(value[0])
        } else if try accept(.bracketDash) {
            if try accept(.bracketEnd) {
                push(UInt8(ascii: "-"))
                return false
            }
            guard case .character(let from) = last else { throw RegexError.invalid }
            let to: UInt8
            if try accept(.ordinaryChar) {
                to = value[0]
            } else if try accept(.bracketDash) {
                to = UInt8(ascii: "-")
            } else {
                throw RegexError.invalid
            }
            // `char` is signed: bytes from 0x80 sort before ASCII.
            let lo = Int8(bitPattern: from), hi = Int8(bitPattern: to)
            guard lo <= hi else { throw RegexError.invalid }
            for b in 0...255 {
                let s = Int8(bitPattern: UInt8(b))
                if s >= lo && s <= hi { set.insert(UInt8(b)) }
            }
            last = .none
        } else {
            throw RegexError.invalid
        }
        return true
    }
}
