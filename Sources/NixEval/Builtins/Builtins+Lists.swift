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
        .frame("map", 2, strict: [1]) { c, a in MapFrame(function: a[0], list: try c.list(a[1]), site: c.site) },
        .strict("genList", 2) { c, a in
            // As C++ Nix: the length is checked before the function.
            let n = try c.int(a[1])
            guard n >= 0 else { throw c.error("cannot create list of size \(n)") }
            _ = try c.callable(a[0])
            // Each element is a 32-byte thunk besides its slot: reserve both before filling.
            if c.heap.maxBytes != Int.max { try c.heap.reserve(n > Int64(Int.max / 40) ? Int.max : Int(n) * 40) }
            let r = try c.heap.checkedList(count: Int(n))
            for i in 0..<Int(n) { r[i] = c.heap.applyThunk(a[0], .smallInt(Int64(i)), site: c.site) }
            return r.value
        },
        .frame("concatLists", 1, strict: [0]) { c, a in
            ConcatListsFrame(outer: try c.list(a[0]), context: c)
        },
        .frame("filter", 2, strict: [0, 1]) { c, a -> FilterFrame in
            // The list first; the function is checked only when there is an element.
            let list = try c.list(a[1])
            return FilterFrame(function: list.count == 0 ? a[0] : try c.callable(a[0]), list: list, context: c)
        },
        .direct("foldl'", 3, strict: [0, 2]) { c, a in
            try c.vm.startFold(function: try c.callable(a[0]), initial: a[1], list: try c.list(a[2]), site: c.site)
        },
        .frame("elem", 2, strict: [1]) { c, a in
            ElemFrame(needle: a[0], list: try c.list(a[1]))
        },
    ]
}

/// `builtins.map f list`: lazy applications; like C++ Nix, `f` is forced (and must be a
/// function) only when the list is not empty.
final class MapFrame: TracingFrame {
    var ownErrorContext: String { "while evaluating the first argument passed to builtins.map" }
    let function: Value
    let list: NixList
    let site: Site?

    init(function: Value, list: NixList, site: Site?) {
        self.function = function
        self.list = list
        self.site = site
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if list.count == 0 { return .done(list.value) }
        guard let f = input else { return .force(function) }
        guard vm.isCallable(f) else {
            throw EvalError(.other, "expected a function but found \(vm.describe(f)): \(try vm.printForError(f))", span: vm.span(site))
        }
        let r = vm.heap.list(count: list.count)
        for i in 0..<list.count { r[i] = vm.heap.applyThunk(f, list[i], site: site) }
        return .done(r.value)
    }
}


/// `builtins.concatLists lists`: each element is forced (in order) and must be a list.
final class ConcatListsFrame: TracingFrame {
    var ownErrorContext: String { "while evaluating a value of the list passed to builtins.concatLists" }
    let outer: NixList
    let context: BuiltinContext
    var parts: [NixList] = []
    var total = 0
    var index = 0

    init(outer: NixList, context: BuiltinContext) {
        self.outer = outer
        self.context = context
        parts.reserveCapacity(outer.count)
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input { try take(input) }
        while index < outer.count {
            let e = outer[index]
            index += 1
            guard let v = vm.readyValue(e) else { return .force(e) }
            try take(v)
        }
        let r = try vm.heap.checkedList(count: total)
        var k = 0
        for l in parts {
            for i in 0..<l.count { r[k] = l[i]; k += 1 }
        }
        return .done(r.value)
    }

    private func take(_ e: Value) throws {
        let l = try context.list(e)
        total += l.count
        parts.append(l)
    }
}

/// `builtins.filter f list`.
final class FilterFrame: TracingFrame {
    var ownErrorContext: String { "while evaluating the return value of the filtering function passed to builtins.filter" }
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
