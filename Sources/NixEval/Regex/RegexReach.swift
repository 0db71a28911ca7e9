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
    private var scratch: [Int32] = []
    /// Epsilon predecessors: `predecessors[predecessorStart[t]..<predecessorStart[t+1]]` are the
    /// states with an edge to `t`, tagged with the condition in the two low bits.
    private var predecessorStart: [Int32]
    private var predecessors: [Int32]
    private var matchStates: [Int32] = []
    private let acceptState: Int32

    private static let always: Int32 = 0, atStart: Int32 = 1, atEnd: Int32 = 2

    init(_ program: RegexProgram, subject: UnsafeBufferPointer<UInt8>, acceptAnywhere: Bool) {
        self.program = program
        self.subject = subject
        self.acceptAnywhere = acceptAnywhere
        let count = program.states.count
        words = (count + 63) / 64
        n = subject.count
        if (n + 1) * words <= 1 << 22 {
            blockSize = n + 1
        } else {
            var b = 256
            while b * b < n + 1 { b *= 2 }
            blockSize = b
        }
        let rows = (min(blockSize, n) + 1) * words
        block = .allocate(capacity: rows)
        block.initialize(repeating: 0, count: rows)
        // Edges, reversed.
        var edges: [(from: Int32, to: Int32, condition: Int32)] = []
        var accept: Int32 = -1
        for (i, s) in program.states.enumerated() {
            let from = Int32(i)
            switch s.opcode {
            case .match: matchStates.append(from)
            case .accept: accept = from
            case .alternative, .repeatLoop:
                edges.append((from, s.alternative, Self.always))
                edges.append((from, s.next, Self.always))
            case .groupBegin, .groupEnd, .dummy: edges.append((from, s.next, Self.always))
            case .lineBegin: edges.append((from, s.next, Self.atStart))
            case .lineEnd: edges.append((from, s.next, Self.atEnd))
            }
        }
        acceptState = accept
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
        computeAll()
    }

    deinit { block.deallocate() }

    @inline(__always) static func test(_ row: UnsafePointer<UInt64>, _ s: Int32) -> Bool {
        row[Int(s) >> 6] & (1 << UInt64(s & 63)) != 0
    }

    /// Fills `out` with the row of position `p`; `next` is the row of `p + 1` (nil at the end).
    /// `acceptHere` tells whether the accepting state counts at `p`.
    func computeRow(_ p: Int, next: UnsafePointer<UInt64>?, acceptHere: Bool, into out: UnsafeMutablePointer<UInt64>) {
        out.initialize(repeating: 0, count: words)
        scratch.removeAll(keepingCapacity: true)
        @inline(__always) func mark(_ s: Int32) {
            let w = Int(s) >> 6, bit = UInt64(1) << UInt64(s & 63)
            if out[w] & bit == 0 {
                out[w] |= bit
                scratch.append(s)
            }
        }
        if acceptHere && acceptState >= 0 { mark(acceptState) }
        if let next, p < n {
            let byte = subject[p]
            for m in matchStates {
                let s = program.states[Int(m)]
                if program.sets[Int(s.argument)].contains(byte) && s.next >= 0 && Self.test(next, s.next) { mark(m) }
            }
        }
        while let t = scratch.popLast() {
            for k in Int(predecessorStart[Int(t)])..<Int(predecessorStart[Int(t) + 1]) {
                let e = predecessors[k]
                switch e & 3 {
                case Self.atStart: if p != 0 { continue }
                case Self.atEnd: if p != n { continue }
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
