// For every position of a subject and every NFA state: can an accepting state still be reached?
// Computed backwards over the subject; libstdc++'s search order depends on it (a greedy loop
// is left only when continuing it cannot succeed), and it lets the matcher drop dead threads.

/// The reachability rows of one subject, as bit sets over the program's states.
final class RegexReach {
    private let program: RegexProgram
    private let subject: UnsafeBufferPointer<UInt8>
    /// Whether an accept counts anywhere (searching) or only at the end (whole-string match).
    private let acceptAnywhere: Bool
    let words: Int
    private let n: Int
    /// Rows of a block are materialised from checkpoints when the whole table is too large.
    private let blockSize: Int
    private var checkpoints: [Int: [UInt64]] = [:]
    private let block: UnsafeMutablePointer<UInt64>
    private var blockIndex = -1
    private var scratch = RegexBuffer<Int32>(capacity: 64)
    private let graph: RegexGraph

    /// Rows are all kept when they take at most `fullTableWords` words, else only checkpoints.
    init(_ program: RegexProgram, subject: UnsafeBufferPointer<UInt8>, acceptAnywhere: Bool, fullTableWords: Int = 1 << 22) {
        self.program = program
        self.subject = subject
        self.acceptAnywhere = acceptAnywhere
        let count = program.states.count
        words = (count + 63) / 64
        n = subject.count
        if (n + 1) * words <= fullTableWords {
            blockSize = n + 1
        } else {
            var b = 4
            while b * b < n + 1 { b *= 2 }
            blockSize = b
        }
        let rows = (min(blockSize, n) + 1) * words
        block = .allocate(capacity: rows)
        block.initialize(repeating: 0, count: rows)
        graph = program.graph
        computeAll()
    }

    deinit {
        block.deallocate()
        scratch.deallocate()
    }

    @inline(__always) static func test(_ row: UnsafePointer<UInt64>, _ s: Int32) -> Bool {
        row[Int(s) >> 6] & (1 << UInt64(s & 63)) != 0
    }

    /// Fills `out` with the row of position `p`; `next` is the row of `p + 1` (nil at the end).
    /// `acceptHere` tells whether the accepting state counts at `p`.
    func computeRow(_ p: Int, next: UnsafePointer<UInt64>?, acceptHere: Bool, into out: UnsafeMutablePointer<UInt64>) {
        out.initialize(repeating: 0, count: words)
        scratch.removeAll()
        @inline(__always) func mark(_ s: Int32) {
            let w = Int(s) >> 6, bit = UInt64(1) << UInt64(s & 63)
            if out[w] & bit == 0 {
                out[w] |= bit
                scratch.append(s)
            }
        }
        let graph = self.graph
        if acceptHere && graph.acceptState >= 0 { mark(graph.acceptState) }
        let predecessorStart = graph.predecessorStart, predecessors = graph.predecessors
        if let next, p < n {
            let byte = Int(subject[p])
            let byteStates = graph.byteStates, matchNext = graph.matchNext
            for k in Int(graph.byteStart[byte])..<Int(graph.byteStart[byte + 1]) {
                let m = byteStates[k]
                let target = matchNext[Int(m)]
                if target >= 0 && Self.test(next, target) { mark(m) }
            }
        }
        while let t = scratch.popLast() {
            for k in Int(predecessorStart[Int(t)])..<Int(predecessorStart[Int(t) + 1]) {
                let e = predecessors[k]
                switch e & 3 {
                case RegexGraph.atStart: if p != 0 { continue }
                case RegexGraph.atEnd: if p != n { continue }
                default: break
                }
                mark(e >> 2)
            }
        }
    }

    private func acceptCounts(at p: Int) -> Bool { acceptAnywhere || p == n }

    private func computeAll() {
        var upper = [UInt64](repeating: 0, count: words)
        var row = [UInt64](repeating: 0, count: words)
        if blockSize > n {
            for p in stride(from: n, through: 0, by: -1) {
                computeRow(p, next: p < n ? UnsafePointer(block + (p + 1) * words) : nil, acceptHere: acceptCounts(at: p), into: block + p * words)
            }
            blockIndex = 0
            return
        }
        for p in stride(from: n, through: 0, by: -1) {
            row.withUnsafeMutableBufferPointer { r in
                upper.withUnsafeBufferPointer { u in
                    computeRow(p, next: p < n ? u.baseAddress! : nil, acceptHere: acceptCounts(at: p), into: r.baseAddress!)
                }
            }
            if p == n || p % blockSize == 0 { checkpoints[p] = row }
            swap(&row, &upper)
        }
    }

    /// The row of position `p`, valid until a row of another block is asked for; the row of
    /// `p + 1` follows it in memory when `p < n`.
    func row(_ p: Int) -> UnsafePointer<UInt64> {
        let k = blockSize > n ? 0 : p / blockSize
        if k != blockIndex { materialise(k) }
        let offset = (p - k * blockSize) * words
        return UnsafePointer(block + offset)
    }

    private func materialise(_ k: Int) {
        let low = k * blockSize, high = min(low + blockSize, n)
        let top = checkpoints[high]!
        for w in 0..<words { block[(high - low) * words + w] = top[w] }
        var p = high - 1
        while p >= low {
            computeRow(p, next: UnsafePointer(block + (p + 1 - low) * words), acceptHere: acceptCounts(at: p), into: block + (p - low) * words)
            p -= 1
        }
        blockIndex = k
    }
}

/// What matching needs to know about a program's shape, computed once per program.
final class RegexGraph {
    /// Epsilon predecessors: `predecessors[predecessorStart[t]..<predecessorStart[t+1]]` are the
    /// states with an edge to `t`, shifted left by two, with the edge's condition in the low bits.
    let predecessorStart: [Int32]
    let predecessors: [Int32]
    let matchStates: [Int32]
    /// The match states that accept byte b: `byteStates[byteStart[b]..<byteStart[b+1]]`.
    let byteStart: [Int32]
    let byteStates: [Int32]
    /// Per state, the `next` of a match state (-1 for others).
    let matchNext: [Int32]
    let acceptState: Int32
    /// The dense index of each loop state among the loops (-1 for other states).
    let repeatIndex: [Int32]
    let repeatCount: Int
    let repeatWords: Int
    /// Per state, `repeatWords` words: the loops reachable from it without consuming input
    /// (whose counters can change what exploring it finds); all loops for large programs.
    let relevantLoops: [UInt64]

    static let always: Int32 = 0, atStart: Int32 = 1, atEnd: Int32 = 2

    init(_ states: [RegexState], sets: [ByteSet]) {
        var edges: [(from: Int32, to: Int32, condition: Int32)] = []
        var accept: Int32 = -1
        var matches: [Int32] = []
        var index = Array(repeating: Int32(-1), count: states.count)
        var repeats = 0
        for (i, s) in states.enumerated() {
            let from = Int32(i)
            switch s.opcode {
            case .match: matches.append(from)
            case .accept: accept = from
            case .alternative, .repeatLoop:
                edges.append((from, s.alternative, Self.always))
                edges.append((from, s.next, Self.always))
                if s.opcode == .repeatLoop {
                    index[i] = Int32(repeats)
                    repeats += 1
                }
            case .groupBegin, .groupEnd, .dummy: edges.append((from, s.next, Self.always))
            case .lineBegin: edges.append((from, s.next, Self.atStart))
            case .lineEnd: edges.append((from, s.next, Self.atEnd))
            }
        }
        let count = states.count
        var start = Array(repeating: Int32(0), count: count + 1)
        for e in edges where e.to >= 0 { start[Int(e.to) + 1] += 1 }
        for i in 0..<count { start[i + 1] += start[i] }
        var fill = start
        var preds = Array(repeating: Int32(0), count: Int(start[count]))
        for e in edges where e.to >= 0 {
            preds[Int(fill[Int(e.to)])] = e.from << 2 | e.condition
            fill[Int(e.to)] += 1
        }
        predecessorStart = start
        predecessors = preds
        matchStates = matches
        var byteStart = Array(repeating: Int32(0), count: 257)
        var byteStates: [Int32] = []
        var matchNext = Array(repeating: Int32(-1), count: count)
        for m in matches { matchNext[Int(m)] = states[Int(m)].next }
        for b in 0..<256 {
            for m in matches where sets[Int(states[Int(m)].argument)].contains(UInt8(b)) { byteStates.append(m) }
            byteStart[b + 1] = Int32(byteStates.count)
        }
        self.byteStart = byteStart
        self.byteStates = byteStates
        self.matchNext = matchNext
        acceptState = accept
        repeatIndex = index
        repeatCount = repeats
        let words = max(1, (repeats + 63) / 64)
        repeatWords = words
        relevantLoops = Self.reachableLoops(states, index, words)
    }

    private static func reachableLoops(_ states: [RegexState], _ index: [Int32], _ words: Int) -> [UInt64] {
        guard states.count <= 4000 else { return Array(repeating: ~0, count: states.count * words) }
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
                func follow(_ t: Int32) {
                    if t >= 0 && seen[Int(t)] != origin {
                        seen[Int(t)] = origin
                        pending.append(t)
                    }
                }
                switch st.opcode {
                case .alternative, .repeatLoop:
                    follow(st.alternative)
                    follow(st.next)
                case .groupBegin, .groupEnd, .lineBegin, .lineEnd, .dummy: follow(st.next)
                case .match, .accept: break
                }
            }
        }
        return result
    }
}
