// Deep forcing (`deepSeq`, `--strict`) with an explicit work list; each list or set is visited once.

/// Forces a value and everything inside it.
final class DeepForceFrame: NativeFrame {
    var work: [Value]
    var visited = Set<UInt64>()
    let root: Value
    let result: Value?

    /// Forces `v` deeply; finishes with `result` (or the forced `v` when nil).
    init(_ v: Value, result: Value? = nil) {
        work = [v]
        root = v
        self.result = result
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input { work.append(input) }
        while let raw = work.popLast() {
            var v = raw
            if v.isThunk {
                let t = v.asThunk
                if t.state != .evaluated { return .force(v) }
                v = t.result
            }
            if v.isObject(.list) {
                guard visited.insert(v.bits).inserted else { continue }
                let l = v.asList
                for i in stride(from: l.count - 1, through: 0, by: -1) { work.append(l[i]) }
            } else if v.isObject(.attrs) {
                guard visited.insert(v.bits).inserted else { continue }
                let s = v.asAttrs
                for i in stride(from: s.count - 1, through: 0, by: -1) { work.append(s.value(at: i)) }
            }
        }
        return .done(result ?? (root.isThunk ? root.asThunk.result : root))
    }
}
