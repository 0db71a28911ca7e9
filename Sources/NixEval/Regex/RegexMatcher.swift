// Matching that gives the results of libstdc++'s depth-first POSIX executor in time linear in
// the subject: a Pike VM whose threads are kept in libstdc++'s exploration order, with the
// loop-exit decisions and dead-thread pruning read from `RegexReach`. See Documentation/Regex.md.

/// One run of a program over one subject (libstdc++'s `_Executor`, breadth-first).
final class RegexMatcher {
    private let program: RegexProgram
    private let states: [RegexState]
    private let subject: UnsafeBufferPointer<UInt8>
    private let n: Int
    private let reach: RegexReach
    /// Capture slots: `2 * g` is where group `g` last began, `2 * g + 1` where it last ended
    /// (-1: never; a group counts as matched once it has ended).
    private let slots: Int

    // Loop counters of libstdc++'s `_M_rep_count`: the position of the last entry into a
    // loop's body and how many entries were made there, along the current path.
    private var counterPosition: [Int]
    private var counterCount: [Int]
    private let repeatIndex: [Int32]
    private let repeatWords: Int
    /// Loops entered once / twice at the current position, along the current path.
    private var active1: [UInt64]
    private var active2: [UInt64]
    /// Per state, the loops reachable from it without consuming input (whose counters can
    /// change what its exploration finds); nil when every loop is assumed relevant.
    private let relevant: [UInt64]?
    private let hasRepeats: Bool

    // Per-position bookkeeping.
    private var stamp = 0
    private var visitStamp: [Int]
    private var visitSignatures: [[UInt64]]
    private var visitsThisPosition = 0
    private let visitBudget: Int
    private var nextStamp: [Int]

    // Threads: a state and its capture slots, in exploration order.
    private var threadStates: [Int32] = []
    private var threadSlots: [Int] = []
    private var nextStates: [Int32] = []
    private var nextSlots: [Int] = []
    private var work: [Int]
    private var stack: [Action] = []
    private var nonEmptyRow: [UInt64]

    private struct Action {
        enum Kind: UInt8 { case visit, restoreSlot, restoreCounter }
        var kind: Kind
        var a: Int32
        var b: Int
        var c: Int = 0
    }

    init(_ program: RegexProgram, subject: UnsafeBufferPointer<UInt8>, reach: RegexReach) {
        self.program = program
        states = program.states
        self.subject = subject
        n = subject.count
        self.reach = reach
        slots = 2 * program.groupCount
        let count = states.count
        var index = Array(repeating: Int32(-1), count: count)
        var repeats = 0
        for (i, s) in states.enumerated() where s.opcode == .repeatLoop {
            index[i] = Int32(repeats)
            repeats += 1
        }
        repeatIndex = index
        repeatWords = max(1, (repeats + 63) / 64)
        active1 = Array(repeating: 0, count: repeatWords)
        active2 = Array(repeating: 0, count: repeatWords)
        counterPosition = Array(repeating: -1, count: count)
        counterCount = Array(repeating: 0, count: count)
        hasRepeats = repeats > 0
        relevant = repeats == 0 ? nil : RegexMatcher.reachableLoops(states, index, repeatWords)
        visitStamp = Array(repeating: 0, count: count)
        visitSignatures = Array(repeating: [], count: count)
        visitBudget = 16 * count + 64
        nextStamp = Array(repeating: 0, count: count)
        work = Array(repeating: -1, count: slots)
        nonEmptyRow = Array(repeating: 0, count: reach.words)
    }

    /// For small programs, the loops each state reaches through non-consuming edges.
    private static func reachableLoops(_ states: [RegexState], _ index: [Int32], _ words: Int) -> [UInt64]? {
        guard states.count <= 4000 else { return nil }
        var result = Array(repeating: UInt64(0), count: states.count * words)
        var seen = Array(repeating: -1, count: states.count)
        var pending: [Int32] = []
        for origin in states.indices {
            pending.append(Int32(origin))
            seen[origin] = origin
            while let s = pending.popLast() {
                let st = states[Int(s)]
                if index[Int(s)] >= 0 {
                    let r = Int(index[Int(s)])
                    result[origin * words + r >> 6] |= 1 << UInt64(r & 63)
                }
                var targets: [Int32] = []
                switch st.opcode {
                case .alternative, .repeatLoop: targets = [st.alternative, st.next]
                case .groupBegin, .groupEnd, .lineBegin, .lineEnd, .dummy: targets = [st.next]
                case .match, .accept: break
                }
                for t in targets where t >= 0 && seen[Int(t)] != origin {
                    seen[Int(t)] = origin
                    pending.append(t)
                }
            }
        }
        return result
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
        var best: [Int]? = nil
        var bestPosition = -1
        threadStates.removeAll(keepingCapacity: true)
        threadSlots.removeAll(keepingCapacity: true)
        threadStates.append(program.start)
        threadSlots.append(contentsOf: repeatElement(-1, count: slots))
        var p = b
        while true {
            stamp += 1
            visitsThisPosition = 0
            let base = reach.row(p)
            let nextRow = p < n ? base + reach.words : nil
            nextStates.removeAll(keepingCapacity: true)
            nextSlots.removeAll(keepingCapacity: true)
            let explore = { (row: UnsafePointer<UInt64>) in
                for t in 0..<self.threadStates.count {
                    for k in 0..<self.slots { self.work[k] = self.threadSlots[t * self.slots + k] }
                    self.explore(self.threadStates[t], at: p, row: row, nextRow: nextRow, best: &best, bestPosition: &bestPosition)
                }
            }
            if nonEmpty && p == b {
                nonEmptyRow.withUnsafeMutableBufferPointer { r in
                    reach.computeRow(p, next: nextRow, acceptHere: false, into: r.baseAddress!)
                    explore(UnsafePointer(r.baseAddress!))
                }
            } else {
                explore(base)
            }
            if nextStates.isEmpty || p == n { break }
            swap(&threadStates, &nextStates)
            swap(&threadSlots, &nextSlots)
            p += 1
        }
        return best
    }

    /// libstdc++'s `_M_dfs` from one thread, within position `p`.
    private func explore(_ origin: Int32, at p: Int, row: UnsafePointer<UInt64>, nextRow: UnsafePointer<UInt64>?,
                         best: inout [Int]?, bestPosition: inout Int) {
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
                guard p < n, program.sets[Int(st.argument)].contains(subject[p]), let nextRow else { continue }
                let t = st.next
                if nextStamp[Int(t)] != stamp && RegexReach.test(nextRow, t) {
                    nextStamp[Int(t)] = stamp
                    nextStates.append(t)
                    nextSlots.append(contentsOf: work)
                }
            case .accept:
                // The row only holds the accepting state where an accept counts.
                if best == nil || p > bestPosition {
                    best = work
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
        var signature: [UInt64] = []
        signature.reserveCapacity(2 * repeatWords)
        for w in 0..<repeatWords {
            let mask = relevant.map { $0[i * repeatWords + w] } ?? ~0
            signature.append(active1[w] & mask)
            signature.append(active2[w] & mask)
        }
        if visitStamp[i] != stamp {
            visitStamp[i] = stamp
            visitSignatures[i] = signature
            visitsThisPosition += 1
            return true
        }
        // Past the budget, later explorations of an explored state are dropped.
        if visitsThisPosition >= visitBudget { return false }
        let list = visitSignatures[i]
        var k = 0
        while k < list.count {
            if list[k..<(k + signature.count)].elementsEqual(signature) { return false }
            k += signature.count
        }
        visitSignatures[i].append(contentsOf: signature)
        visitsThisPosition += 1
        return true
    }
}

extension RegexProgram {
    /// `std::regex_match`: the capture slots of a match of the whole subject, or nil.
    func matchWhole(_ subject: UnsafeBufferPointer<UInt8>) -> [Int]? {
        let reach = RegexReach(self, subject: subject, acceptAnywhere: false)
        guard RegexReach.test(reach.row(0), start) else { return nil }
        return RegexMatcher(self, subject: subject, reach: reach).run(from: 0, nonEmpty: false)
    }

    /// The matches `std::cregex_iterator` visits: after an empty match it first looks for a
    /// non-empty one at the same place, then searches from the next byte.
    func allMatches(_ subject: UnsafeBufferPointer<UInt8>) -> [[Int]] {
        let reach = RegexReach(self, subject: subject, acceptAnywhere: true)
        let matcher = RegexMatcher(self, subject: subject, reach: reach)
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
