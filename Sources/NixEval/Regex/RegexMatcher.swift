// Matching that gives the results of libstdc++'s depth-first POSIX executor in time linear in
// the subject: a Pike VM whose threads are kept in libstdc++'s exploration order, with the
// loop-exit decisions and dead-thread pruning read from `RegexReach`. See Documentation/Regex.md.

/// One run of a program over one subject (libstdc++'s `_Executor`, breadth-first).
final class RegexMatcher {
    /// Unowned: the program owns its matcher (`RegexProgram.matcher`), which is its only maker;
    /// a strong reference would make a cycle that leaks both with every evaluation.
    private unowned let program: RegexProgram
    private let states: [RegexState]
    private var subject = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var n = 0
    private var reach: RegexReach! = nil
    /// Capture slots: `2 * g` is where group `g` last began, `2 * g + 1` where it last ended
    /// (-1: never; a group counts as matched once it has ended).
    private let slots: Int

    // Loop counters of libstdc++'s `_M_rep_count`: the position of the last entry into a
    // loop's body and how many entries were made there, along the current path.
    private let counterPosition: UnsafeMutablePointer<Int>
    private let counterCount: UnsafeMutablePointer<Int>
    private let repeatIndex: [Int32]
    private let repeatWords: Int
    /// Loops entered once / twice at the current position, along the current path.
    private let active1: UnsafeMutablePointer<UInt64>
    private let active2: UnsafeMutablePointer<UInt64>
    /// Per state, the loops whose counters matter to it (`RegexGraph.relevantLoops`).
    private let relevant: [UInt64]
    private let hasRepeats: Bool

    // Per-position bookkeeping.
    private var stamp = 0
    private let visitStamp: UnsafeMutablePointer<Int>
    /// The loop counters of the first exploration of each state at this position, and of
    /// later ones with other counters.
    private let firstSignatures: UnsafeMutablePointer<UInt64>
    private var visitSignatures: [[UInt64]]
    private var visitsThisPosition = 0
    private let visitBudget: Int
    private let nextStamp: UnsafeMutablePointer<Int>

    // Threads: a state and its capture slots, in exploration order.
    private var threadStates = RegexBuffer<Int32>()
    private var threadSlots = RegexBuffer<Int>()
    private var nextStates = RegexBuffer<Int32>()
    private var nextSlots = RegexBuffer<Int>()
    private let work: UnsafeMutablePointer<Int>
    private var stack = RegexBuffer<Action>(capacity: 64)
    private let nonEmptyRow: UnsafeMutablePointer<UInt64>
    /// The first accept at the furthest position so far, during `run`.
    private var best: [Int]? = nil
    private var bestPosition = -1

    private struct Action {
        enum Kind: UInt8 { case visit, restoreSlot, restoreCounter }
        var kind: Kind
        var a: Int32
        var b: Int
        var c: Int = 0
    }

    init(_ program: RegexProgram) {
        self.program = program
        states = program.states
        slots = 2 * program.groupCount
        let count = states.count
        let graph = program.graph
        repeatIndex = graph.repeatIndex
        repeatWords = graph.repeatWords
        hasRepeats = graph.repeatCount > 0
        relevant = graph.relevantLoops
        func buffer<T>(_ n: Int, _ value: T) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(n, 1))
            p.initialize(repeating: value, count: max(n, 1))
            return p
        }
        active1 = buffer(repeatWords, 0)
        active2 = buffer(repeatWords, 0)
        counterPosition = buffer(count, -1)
        counterCount = buffer(count, 0)
        visitStamp = buffer(count, 0)
        visitSignatures = Array(repeating: [], count: count)
        firstSignatures = buffer(count * 2 * repeatWords, 0)
        visitBudget = 16 * count + 64
        nextStamp = buffer(count, 0)
        work = buffer(slots, -1)
        nonEmptyRow = .allocate(capacity: (count + 63) / 64)
        nonEmptyRow.initialize(repeating: 0, count: (count + 63) / 64)
    }

    deinit {
        nonEmptyRow.deallocate()
        for p in [counterPosition, counterCount, visitStamp, nextStamp, work] { p.deallocate() }
        for p in [active1, active2, firstSignatures] { p.deallocate() }
        for b in [threadSlots, nextSlots] { b.deallocate() }
        threadStates.deallocate()
        nextStates.deallocate()
        stack.deallocate()
    }

    /// Drops the subject and its rows once matching is over.
    func finish() {
        subject = UnsafeBufferPointer(start: nil, count: 0)
        n = 0
        reach = nil
    }

    /// Prepares for matching in `subject`, whose reachability rows are `reach`.
    func prepare(_ subject: UnsafeBufferPointer<UInt8>, _ reach: RegexReach) {
        self.subject = subject
        n = subject.count
        self.reach = reach
    }

    /// The leftmost match starting at or after `from` (libstdc++'s `regex_search` without
    /// `match_not_null`): capture slots, or nil.
    func search(from: Int) -> [Int]? {
        var b = from
        while b <= n {
            if RegexReach.test(reach.row(b), program.start) { return run(from: b, nonEmpty: false) }
            b += 1
        }
        return nil
    }

    /// The match found from exactly `b`; with `nonEmpty`, an empty match does not count
    /// (`match_continuous | match_not_null`).
    func run(from b: Int, nonEmpty: Bool) -> [Int]? {
        best = nil
        bestPosition = -1
        threadStates.removeAll()
        threadSlots.removeAll()
        threadStates.append(program.start)
        for _ in 0..<slots { threadSlots.append(-1) }
        var p = b
        while true {
            stamp += 1
            visitsThisPosition = 0
            let base = reach.row(p)
            let nextRow = p < n ? base + reach.words : nil
            nextStates.removeAll()
            nextSlots.removeAll()
            if nonEmpty && p == b {
                // Only matches that go past `b` count: the row without accepting at `b`.
                reach.computeRow(p, next: nextRow, acceptHere: false, into: nonEmptyRow)
                exploreThreads(at: p, row: UnsafePointer(nonEmptyRow), nextRow: nextRow)
            } else {
                exploreThreads(at: p, row: base, nextRow: nextRow)
            }
            if nextStates.count == 0 || p == n { break }
            swap(&threadStates, &nextStates)
            swap(&threadSlots, &nextSlots)
            p += 1
        }
        let result = best
        best = nil
        return result
    }

    private func exploreThreads(at p: Int, row: UnsafePointer<UInt64>, nextRow: UnsafePointer<UInt64>?) {
        for t in 0..<threadStates.count {
            work.update(from: threadSlots.base + t * slots, count: slots)
            explore(threadStates[t], at: p, row: row, nextRow: nextRow)
        }
    }

    /// libstdc++'s `_M_dfs` from one thread, within position `p`.
    private func explore(_ origin: Int32, at p: Int, row: UnsafePointer<UInt64>, nextRow: UnsafePointer<UInt64>?) {
        let states = self.states, sets = program.sets
        stack.append(Action(kind: .visit, a: origin, b: 0))
        while let action = stack.popLast() {
            switch action.kind {
            case .restoreSlot:
                work[Int(action.a)] = action.b
                continue
            case .restoreCounter:
                let s = Int(action.a)
                counterPosition[s] = action.b
                counterCount[s] = action.c
                setActive(s, count: action.b == p ? action.c : 0)
                continue
            case .visit:
                break
            }
            let s = action.a
            // Nothing reachable from here can succeed: libstdc++ finds nothing in this subtree.
            guard RegexReach.test(row, s), firstVisit(s) else { continue }
            let st = states[Int(s)]
            switch st.opcode {
            case .match:
                guard p < n, sets[Int(st.argument)].contains(subject[p]), let nextRow else { continue }
                let t = st.next
                if nextStamp[Int(t)] != stamp && RegexReach.test(nextRow, t) {
                    nextStamp[Int(t)] = stamp
                    nextStates.append(t)
                    nextSlots.append(from: work, count: slots)
                }
            case .accept:
                // The row only holds the accepting state where an accept counts.
                if best == nil || p > bestPosition {
                    best = Array(UnsafeBufferPointer(start: work, count: slots))
                    bestPosition = p
                }
            case .alternative:
                stack.append(Action(kind: .visit, a: st.next, b: 0))
                stack.append(Action(kind: .visit, a: st.alternative, b: 0))
            case .repeatLoop:
                let i = Int(s)
                let position = counterPosition[i], count = counterCount[i]
                let fresh = count == 0 || position != p
                let permitted = fresh || count < 2
                // A greedy loop is left only when going round again found no match.
                if !permitted || !RegexReach.test(row, st.alternative) {
                    stack.append(Action(kind: .visit, a: st.next, b: 0))
                }
                if permitted {
                    stack.append(Action(kind: .restoreCounter, a: s, b: position, c: count))
                    counterPosition[i] = p
                    counterCount[i] = fresh ? 1 : count + 1
                    setActive(i, count: counterCount[i])
                    stack.append(Action(kind: .visit, a: st.alternative, b: 0))
                }
            case .groupBegin, .groupEnd:
                let slot = 2 * Int(st.argument) + (st.opcode == .groupEnd ? 1 : 0)
                stack.append(Action(kind: .restoreSlot, a: Int32(slot), b: work[slot]))
                work[slot] = p
                stack.append(Action(kind: .visit, a: st.next, b: 0))
            case .lineBegin:
                if p == 0 { stack.append(Action(kind: .visit, a: st.next, b: 0)) }
            case .lineEnd:
                if p == n { stack.append(Action(kind: .visit, a: st.next, b: 0)) }
            case .dummy:
                stack.append(Action(kind: .visit, a: st.next, b: 0))
            }
        }
    }

    private func setActive(_ state: Int, count: Int) {
        let r = Int(repeatIndex[state])
        let w = r >> 6, bit = UInt64(1) << UInt64(r & 63)
        if count >= 1 { active1[w] |= bit } else { active1[w] &= ~bit }
        if count >= 2 { active2[w] |= bit } else { active2[w] &= ~bit }
    }

    /// Whether `s` has not been explored yet at this position with the same relevant loop
    /// counters (an exploration with equal counters finds the same threads, later).
    private func firstVisit(_ s: Int32) -> Bool {
        let i = Int(s)
        guard hasRepeats else {
            if visitStamp[i] == stamp { return false }
            visitStamp[i] = stamp
            return true
        }
        let width = 2 * repeatWords
        let base = i * width
        if visitStamp[i] != stamp {
            visitStamp[i] = stamp
            for k in 0..<width { firstSignatures[base + k] = signatureWord(i, k) }
            if !visitSignatures[i].isEmpty { visitSignatures[i].removeAll(keepingCapacity: true) }
            visitsThisPosition += 1
            return true
        }
        // The same loop counters as an earlier exploration: nothing new to find.
        if signatureEquals(i, firstSignatures, at: base) { return false }
        // Past the budget, later explorations of an explored state are dropped.
        if visitsThisPosition >= visitBudget { return false }
        var k = 0
        while k < visitSignatures[i].count {
            if signatureEquals(i, visitSignatures[i], at: k) { return false }
            k += width
        }
        let end = visitSignatures[i].count
        visitSignatures[i].append(contentsOf: repeatElement(0, count: width))
        writeSignature(i, into: &visitSignatures[i], at: end)
        visitsThisPosition += 1
        return true
    }

    /// The counters that matter to state `i`: entered-once and entered-twice loop masks.
    @inline(__always) private func signatureWord(_ i: Int, _ k: Int) -> UInt64 {
        let w = k >> 1
        let mask = relevant[i * repeatWords + w]
        return (k & 1 == 0 ? active1[w] : active2[w]) & mask
    }

    private func writeSignature(_ i: Int, into list: inout [UInt64], at offset: Int) {
        for k in 0..<(2 * repeatWords) { list[offset + k] = signatureWord(i, k) }
    }

    private func signatureEquals(_ i: Int, _ list: [UInt64], at offset: Int) -> Bool {
        for k in 0..<(2 * repeatWords) where list[offset + k] != signatureWord(i, k) { return false }
        return true
    }

    @inline(__always) private func signatureEquals(_ i: Int, _ list: UnsafeMutablePointer<UInt64>, at offset: Int) -> Bool {
        for k in 0..<(2 * repeatWords) where list[offset + k] != signatureWord(i, k) { return false }
        return true
    }
}

extension RegexProgram {
    /// `std::regex_match`: the capture slots of a match of the whole subject, or nil.
    func matchWhole(_ subject: UnsafeBufferPointer<UInt8>, fullTableWords: Int = 1 << 22) -> [Int]? {
        let reach = RegexReach(self, subject: subject, acceptAnywhere: false, fullTableWords: fullTableWords)
        guard RegexReach.test(reach.row(0), start) else { return nil }
        matcher.prepare(subject, reach)
        defer { matcher.finish() }
        return matcher.run(from: 0, nonEmpty: false)
    }

    /// The matches `std::cregex_iterator` visits: after an empty match it first looks for a
    /// non-empty one at the same place, then searches from the next byte.
    func allMatches(_ subject: UnsafeBufferPointer<UInt8>, fullTableWords: Int = 1 << 22) -> [[Int]] {
        let reach = RegexReach(self, subject: subject, acceptAnywhere: true, fullTableWords: fullTableWords)
        matcher.prepare(subject, reach)
        defer { matcher.finish() }
        var result: [[Int]] = []
        var current = matcher.search(from: 0)
        while let m = current {
            result.append(m)
            let (start, end) = (m[0], m[1])
            if start == end {
                if end == subject.count { break }
                if let again = matcher.run(from: end, nonEmpty: true) {
                    current = again
                    continue
                }
                current = matcher.search(from: end + 1)
            } else {
                current = matcher.search(from: end)
            }
        }
        return result
    }
}
