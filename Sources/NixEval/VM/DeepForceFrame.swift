// Deep forcing (`deepSeq`, `--strict`) with an explicit work list; each list or set is visited once.

import NixSyntax

/// Forces a value and everything inside it.
final class DeepForceFrame: AnnotatingFrame {
    var work: [Value]
    /// The value whose forcing was asked for last (to locate a failure inside the structure).
    var forcing: Value = .null
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
                if t.state != .evaluated {
                    forcing = v
                    return .force(v)
                }
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

extension DeepForceFrame {
    /// The error path only: C++ Nix's `forceValueDeep` adds "while evaluating the attribute 'x'"
    /// at each attribute on the way to the value that failed. The way is found again by walking
    /// the already evaluated part of the structure in the order of the forcing walk.
    func annotate(_ error: inout EvalError, vm: VM) {
        guard forcing.isThunk else { return }
        let target = forcing.bits
        var stack: [(Value, [(Symbol, UInt32)])] = [(root, [])]
        var seen = Set<UInt64>()
        while let (raw, path) = stack.popLast() {
            if raw.bits == target {
                for (name, position) in path.reversed() {
                    error.addTrace("while evaluating the attribute '\(vm.program.symbols.name(name))'", vm.program.attrPosition(position))
                }
                return
            }
            var v = raw
            if v.isThunk {
                guard v.asThunk.state == .evaluated else { continue }
                v = v.asThunk.result
            }
            if v.isObject(.list) {
                guard seen.insert(v.bits).inserted else { continue }
                let l = v.asList
                for i in stride(from: l.count - 1, through: 0, by: -1) { stack.append((l[i], path)) }
            } else if v.isObject(.attrs) {
                guard seen.insert(v.bits).inserted else { continue }
                let s = v.asAttrs
                for i in stride(from: s.count - 1, through: 0, by: -1) {
                    stack.append((s.value(at: i), path + [(s.symbol(at: i), s.position(at: i))]))
                }
            }
        }
    }
}
