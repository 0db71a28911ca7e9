// List builtins.

extension Builtins {
    static let lists: [BuiltinDefinition] = [
        .strict("length", 1) { c, a in .smallInt(Int64(try c.list(a[0]).count)) },
        .strict("head", 1) { c, a in
            let l = try c.list(a[0])
            guard l.count > 0 else { throw c.error("'builtins.head' called on an empty list") }
            return l[0]
        },
        .strict("tail", 1) { c, a in
            let l = try c.list(a[0])
            guard l.count > 0 else { throw c.error("'builtins.tail' called on an empty list") }
            let r = c.heap.list(count: l.count - 1)
            for i in 1..<l.count { r[i - 1] = l[i] }
            return r.value
        },
        .strict("elemAt", 2) { c, a in
            let l = try c.list(a[0])
            let n = try c.int(a[1])
            guard n >= 0 && n < l.count else {
                throw c.error("'builtins.elemAt' called with index \(n) on a list of size \(l.count)")
            }
            return l[Int(n)]
        },
        .lazy("map", 2, strict: [1]) { c, a in
            let l = try c.list(a[1])
            let r = c.heap.list(count: l.count)
            for i in 0..<l.count { r[i] = c.heap.applyThunk(a[0], l[i]) }
            return r.value
        },
        .lazy("genList", 2, strict: [1]) { c, a in
            let n = try c.int(a[1])
            guard n >= 0 else { throw c.error("cannot create list of size \(n)") }
            let r = c.heap.list(count: Int(n))
            for i in 0..<Int(n) { r[i] = c.heap.applyThunk(a[0], .smallInt(Int64(i))) }
            return r.value
        },
        .strict("concatLists", 1) { c, a in
            let outer = try c.list(a[0])
            var total = 0
            var parts: [NixList] = []
            for i in 0..<outer.count {
                let e = try c.vm.force(outer[i])
                let l = try c.list(e)
                total += l.count
                parts.append(l)
            }
            let r = c.heap.list(count: total)
            var k = 0
            for l in parts {
                for i in 0..<l.count { r[k] = l[i]; k += 1 }
            }
            return r.value
        },
        .frame("filter", 2, strict: [0, 1]) { c, a in
            FilterFrame(function: try c.function(a[0]), list: try c.list(a[1]), context: c)
        },
        .frame("foldl'", 3, strict: [0, 2]) { c, a in
            FoldFrame(function: try c.function(a[0]), initial: a[1], list: try c.list(a[2]))
        },
        .frame("elem", 2, strict: [1]) { c, a in
            ElemFrame(needle: a[0], list: try c.list(a[1]))
        },
    ]
}

/// `builtins.foldl' op nul list`: the accumulator is forced after each step.
final class FoldFrame: NativeFrame {
    let function: Value
    var accumulator: Value
    let list: NixList
    var index = 0

    init(function: Value, initial: Value, list: NixList) {
        self.function = function
        self.accumulator = initial
        self.list = list
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input { accumulator = input }
        if index == list.count { return .done(accumulator) }
        index += 1
        return .call2(function, accumulator, list[index - 1])
    }
}

/// `builtins.filter f list`.
final class FilterFrame: NativeFrame {
    let function: Value
    let list: NixList
    var kept: [Value] = []
    var index = 0
    let span: Span?

    init(function: Value, list: NixList, context: BuiltinContext) {
        self.function = function
        self.list = list
        self.span = context.span
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input {
            guard input.isBool else {
                throw EvalError(.other, "expected a Boolean but found \(vm.describe(input)): \(try vm.printForError(input))", span: span)
            }
            if input == .true { kept.append(list[index - 1]) }
        }
        if index == list.count {
            if kept.count == list.count { return .done(list.value) }
            return .done(vm.heap.list(kept))
        }
        index += 1
        return .call(function, list[index - 1])
    }
}

/// `builtins.elem x list`: deep equality against each element.
final class ElemFrame: NativeFrame {
    let needle: Value
    let list: NixList
    var index = 0

    init(needle: Value, list: NixList) {
        self.needle = needle
        self.list = list
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if input == .true { return .done(.true) }
        if index == list.count { return .done(.false) }
        index += 1
        return .run(EqualityFrame(needle, list[index - 1], negate: false))
    }
}

import NixSyntax
