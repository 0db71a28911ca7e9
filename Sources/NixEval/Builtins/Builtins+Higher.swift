// Higher-order list and set builtins: `any`, `all`, `concatMap`, `partition`, `groupBy`, `sort`,
// `genericClosure`, `zipAttrsWith`, and `catAttrs`. Arguments are forced and checked in the
// order C++ Nix 2.26 forces them.

import NixSyntax

extension Builtins {
    static let higherOrder: [BuiltinDefinition] = [
        .frame("any", 2, strict: [0, 1]) { c, a in
            AnyAllFrame(any: true, function: try c.callable(a[0]), list: try c.list(a[1]), span: c.span)
        },
        .frame("all", 2, strict: [0, 1]) { c, a in
            AnyAllFrame(any: false, function: try c.callable(a[0]), list: try c.list(a[1]), span: c.span)
        },
        .frame("concatMap", 2, strict: [0, 1]) { c, a in
            ConcatMapFrame(function: try c.callable(a[0]), list: try c.list(a[1]), span: c.span)
        },
        .frame("partition", 2, strict: [0, 1]) { c, a in
            PartitionFrame(function: try c.callable(a[0]), list: try c.list(a[1]), context: c)
        },
        .frame("groupBy", 2, strict: [0, 1]) { c, a in
            GroupByFrame(function: try c.callable(a[0]), list: try c.list(a[1]), context: c)
        },
        // The list is forced first; the function only when the list is not empty.
        .frame("sort", 2, strict: [1]) { c, a in
            SortFrame(function: a[0], list: try c.list(a[1]), context: c)
        },
        .frame("genericClosure", 1, strict: [0]) { c, a in
            GenericClosureFrame(arguments: try c.attrs(a[0]), context: c)
        },
        .frame("zipAttrsWith", 2, strict: [0, 1]) { c, a in
            ZipAttrsWithFrame(function: try c.callable(a[0]), list: try c.list(a[1]), context: c)
        },
        .frame("catAttrs", 2, strict: [0, 1]) { c, a in
            let name = try c.stringNoContext(a[0])
            return CatAttrsFrame(name: c.symbols.intern(UnsafeBufferPointer(rebasing: name.bytes[...])),
                                 list: try c.list(a[1]), context: c)
        },
    ]
}

extension VM {
    /// "expected T but found …" at `span`.
    func typeError(expected: String, found v: Value, span: Span?) -> EvalError {
        let shown = (try? printForError(v)) ?? ""
        return EvalError(.other, "expected \(expected) but found \(describe(v)): \(shown)", span: span)
    }

    func expectBool(_ v: Value, span: Span?) throws -> Bool {
        guard v.isBool else { throw typeError(expected: "a Boolean", found: v, span: span) }
        return v == .true
    }
}

/// `builtins.any f list` / `builtins.all f list`: stops at the first decisive answer.
final class AnyAllFrame: TracingFrame {
    var ownErrorContext: String { "while evaluating the return value of the function passed to builtins.\(any ? "any" : "all")" }
    let any: Bool
    let function: Value
    let list: NixList
    let span: Span?
    var index = 0

    init(any: Bool, function: Value, list: NixList, span: Span?) {
        self.any = any
        self.function = function
        self.list = list
        self.span = span
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input, try vm.expectBool(input, span: span) == any { return .done(.bool(any)) }
        if index == list.count { return .done(.bool(!any)) }
        index += 1
        return .call(function, list[index - 1])
    }
}

/// `builtins.concatMap f list`: each result must be a list.
final class ConcatMapFrame: TracingFrame {
    var ownErrorContext: String { "while evaluating the return value of the function passed to builtins.concatMap" }
    func ownErrorSpan(_ vm: VM) -> Span? { vm.lambdaSpan(function) }
    let function: Value
    let list: NixList
    let span: Span?
    var parts: [NixList] = []
    var total = 0
    var index = 0

    init(function: Value, list: NixList, span: Span?) {
        self.function = function
        self.list = list
        self.span = span
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input {
            guard input.isObject(.list) else { throw vm.typeError(expected: "a list", found: input, span: span) }
            parts.append(input.asList)
            total += input.asList.count
        }
        if index < list.count {
            index += 1
            return .call(function, list[index - 1])
        }
        let r = try vm.heap.checkedList(count: total)
        var k = 0
        for l in parts {
            for i in 0..<l.count { r[k] = l[i]; k += 1 }
        }
        return .done(r.value)
    }
}

/// `builtins.partition pred list`: each element is forced, then `pred` is called on it.
final class PartitionFrame: TracingFrame {
    var ownErrorContext: String { "while evaluating the return value of the partition function passed to builtins.partition" }
    let function: Value
    let list: NixList
    let span: Span?
    let rightSymbol: Symbol, wrongSymbol: Symbol
    var right: [Value] = []
    var wrong: [Value] = []
    var index = 0
    /// Whether the element at `index - 1` is forced and the call is pending.
    var calling = false

    init(function: Value, list: NixList, context: BuiltinContext) {
        self.function = function
        self.list = list
        self.span = context.span
        rightSymbol = context.symbols.intern("right")
        wrongSymbol = context.symbols.intern("wrong")
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input {
            if calling {
                calling = false
                if try vm.expectBool(input, span: span) { right.append(list[index - 1]) } else { wrong.append(list[index - 1]) }
            } else {
                calling = true
                return .call(function, list[index - 1])
            }
        }
        if index < list.count {
            index += 1
            return .force(list[index - 1])
        }
        return .done(vm.heap.attrs([(rightSymbol, vm.heap.list(right)), (wrongSymbol, vm.heap.list(wrong))]))
    }
}

/// `builtins.groupBy f list`: `f` must return strings without context.
final class GroupByFrame: TracingFrame {
    var ownErrorContext: String { "while evaluating the return value of the grouping function passed to builtins.groupBy" }
    let function: Value
    let list: NixList
    let context: BuiltinContext
    var groups: [Symbol: [Value]] = [:]
    var index = 0

    init(function: Value, list: NixList, context: BuiltinContext) {
        self.function = function
        self.list = list
        self.context = context
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input {
            let name = try context.stringNoContext(input)
            let sym = context.symbols.intern(UnsafeBufferPointer(rebasing: name.bytes[...]))
            groups[sym, default: []].append(list[index - 1])
        }
        if index < list.count {
            index += 1
            return .call(function, list[index - 1])
        }
        return .done(vm.heap.attrs(groups.map { ($0.key, vm.heap.list($0.value)) }))
    }
}

/// `builtins.sort cmp list`: all elements are forced in order, then sorted with the comparison
/// sequence of libstdc++'s `std::stable_sort` (see `StableSortMachine`). `lessThan` as the
/// comparator is applied directly, as C++ Nix does.
final class SortFrame: TracingFrame {
    var ownErrorContext: String { "" }
    func ownErrorContext(for error: EvalError) -> String {
        error.message.hasPrefix("expected a function") ? "while evaluating the first argument passed to builtins.sort" : ""
    }
    private enum Phase {
        case function, elements, comparing
    }

    let function: Value
    let list: NixList
    let span: Span?
    let lessThanBuiltin: Value?
    private var phase = Phase.function
    private var forced: [Value] = []
    private var machine = StableSortMachine([])
    private var callable: Value = .null

    init(function: Value, list: NixList, context: BuiltinContext) {
        self.function = function
        self.list = list
        self.span = context.span
        lessThanBuiltin = context.program.builtins.indexByName["lessThan"].map { Value.builtin($0) }
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        switch phase {
        case .function:
            if list.count == 0 { return .done(list.value) }
            guard let f = input else { return .force(function) }
            guard vm.isCallable(f) else { throw vm.typeError(expected: "a function", found: f, span: span) }
            callable = f
            phase = .elements
            forced.reserveCapacity(list.count)
            return .force(list[0])
        case .elements:
            forced.append(input!)
            if forced.count < list.count { return .force(list[forced.count]) }
            machine = StableSortMachine(forced)
            forced = []
            phase = .comparing
            return try ask(vm, machine.next(nil))
        case .comparing:
            let answer = try vm.expectBool(input!, span: span)
            return try ask(vm, machine.next(answer))
        }
    }

    private func ask(_ vm: VM, _ pair: (Value, Value)?) throws -> NativeStep {
        var pair = pair
        while let (x, y) = pair {
            if callable == lessThanBuiltin {
                if x.isObject(.list) && y.isObject(.list) {
                    return .run(CompareFrame(x, y, negate: false, span: span))
                }
                pair = machine.next(try vm.lessThan(x, y, span: span))
                continue
            }
            return .call2(callable, x, y)
        }
        return .done(vm.heap.list(machine.elements))
    }
}

/// `builtins.genericClosure { startSet; operator; }`: a breadth-first walk that keeps the first
/// element for each `key`. Keys are kept in a red-black tree with the shape of libstdc++'s
/// `std::set` (what C++ Nix uses), so that the same pairs of keys are compared (comparing
/// incomparable keys is an error, so which pairs meet is visible).
final class GenericClosureFrame: NativeFrame {
    private enum Phase {
        case start, startSet, op, element, key, compare, call, newElements
    }

    let arguments: NixAttrs
    let context: BuiltinContext
    let span: Span?
    private var phase = Phase.start
    private var startSet: NixList? = nil
    private var op: Value = .null
    private var work: [Value] = []
    private var workHead = 0
    private var result: [Value] = []
    private var element: Value = .null
    private var key: Value = .null
    private var newElements: NixList? = nil
    private var newIndex = 0
    private var tree = KeyTree()
    private var insertion = KeyTree.Insertion()

    init(arguments: NixAttrs, context: BuiltinContext) {
        self.arguments = arguments
        self.context = context
        self.span = context.span
    }

    private func attribute(_ set: NixAttrs, _ name: String) throws -> Value {
        guard let v = set[context.symbols.intern(name)] else { throw context.error("attribute '\(name)' missing") }
        return v
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        var input = input
        while true {
            switch phase {
            case .start:
                phase = .startSet
                return .force(try attribute(arguments, "startSet"))
            case .startSet:
                let l = try context.list(input!)
                if l.count == 0 { return .done(l.value) }
                startSet = l
                for i in 0..<l.count { work.append(l[i]) }
                phase = .op
                return .force(try attribute(arguments, "operator"))
            case .op:
                guard vm.isCallable(input!) else { throw vm.typeError(expected: "a function", found: input!, span: span) }
                op = input!
                input = nil
                phase = .element
            case .element:
                if let e = input {
                    let set = try context.attrs(e)
                    element = e
                    phase = .key
                    return .force(try attribute(set, "key"))
                }
                if workHead == work.count { return .done(vm.heap.list(result)) }
                let next = work[workHead]
                workHead += 1
                if workHead > 4096 && workHead * 2 > work.count {
                    work.removeFirst(workHead)
                    workHead = 0
                }
                return .force(next)
            case .key:
                key = input!
                input = nil
                insertion = tree.beginInsertion()
                phase = .compare
                if let step = try insert(vm, answer: nil) { return step }
            case .compare:
                let answer = input! == .true
                input = nil
                if let step = try insert(vm, answer: answer) { return step }
            case .call:
                let l = try context.list(input!)
                input = nil
                newElements = l
                newIndex = 0
                phase = .newElements
            case .newElements:
                let l = newElements!
                if input != nil {
                    work.append(l[newIndex])
                    newIndex += 1
                    input = nil
                }
                if newIndex < l.count { return .force(l[newIndex]) }
                newElements = nil
                phase = .element
            }
        }
    }

    /// Advances the insertion of `key`: returns a step when a comparison needs the VM, nil when
    /// the phase changed (duplicate key: next element; new key: call the operator).
    private func insert(_ vm: VM, answer: Bool?) throws -> NativeStep? {
        var answer = answer
        while true {
            switch tree.advance(&insertion, key: key, answer: answer) {
            case .compare(let a, let b):
                if a.isObject(.list) && b.isObject(.list) {
                    return .run(CompareFrame(a, b, negate: false, span: span))
                }
                answer = try vm.lessThan(a, b, span: span)
            case .duplicate:
                phase = .element
                return nil
            case .inserted:
                result.append(element)
                phase = .call
                return .call(op, element)
            }
        }
    }
}

/// The shape of libstdc++'s `std::set` (`_Rb_tree::_M_insert_unique` and
/// `_Rb_tree_insert_and_rebalance`) over forced key values, with comparisons answered from outside.
struct KeyTree {
    private var keys: [Value] = []
    private var left: [Int] = []
    private var right: [Int] = []
    private var parent: [Int] = []
    private var red: [Bool] = []
    private var root = -1
    private var leftmost = -1

    /// The progress of one insertion.
    struct Insertion {
        fileprivate enum State {
            /// Walking down: comparing `key < keys[x]`; `y` is the last node visited.
            case descending(x: Int, y: Int)
            /// Comparing `keys[j] < key` to rule out a duplicate; `y` is the parent-to-be.
            case checking(j: Int, y: Int, insertLeft: Bool)
        }
        fileprivate var state = State.descending(x: -1, y: -1)
    }

    enum Request {
        /// Answer whether the first value is less than the second.
        case compare(Value, Value)
        case duplicate
        case inserted
    }

    func beginInsertion() -> Insertion {
        var i = Insertion()
        i.state = .descending(x: root, y: -1)
        return i
    }

    mutating func advance(_ ins: inout Insertion, key: Value, answer: Bool?) -> Request {
        switch ins.state {
        case .descending(let x, let y):
            if x == -1 {
                // Empty tree.
                insert(key, parent: -1, insertLeft: true)
                return .inserted
            }
            guard let less = answer else { return .compare(key, keys[x]) }
            let next = less ? left[x] : right[x]
            if next != -1 {
                ins.state = .descending(x: next, y: x)
                return .compare(key, keys[next])
            }
            // Reached a leaf below `x`.
            var j = x
            if less {
                if j == leftmost {
                    insert(key, parent: x, insertLeft: true)
                    return .inserted
                }
                j = predecessor(j)
            }
            ins.state = .checking(j: j, y: x, insertLeft: less)
            return .compare(keys[j], key)
        case .checking(_, let y, let insertLeft):
            if answer == true {
                insert(key, parent: y, insertLeft: insertLeft)
                return .inserted
            }
            return .duplicate
        }
    }

    private func predecessor(_ n: Int) -> Int {
        var x = n
        if left[x] != -1 {
            x = left[x]
            while right[x] != -1 { x = right[x] }
            return x
        }
        var p = parent[x]
        while p != -1 && x == left[p] {
            x = p
            p = parent[p]
        }
        return p
    }

    private mutating func insert(_ key: Value, parent p: Int, insertLeft: Bool) {
        let z = keys.count
        keys.append(key)
        left.append(-1)
        right.append(-1)
        parent.append(p)
        red.append(true)
        if p == -1 {
            root = z
            leftmost = z
        } else if insertLeft {
            left[p] = z
            if p == leftmost { leftmost = z }
        } else {
            right[p] = z
        }
        // `_Rb_tree_insert_and_rebalance`.
        var x = z
        while x != root && red[parent[x]] {
            let xp = parent[x]
            let xpp = parent[xp]
            if xp == left[xpp] {
                let y = right[xpp]
                if y != -1 && red[y] {
                    red[xp] = false
                    red[y] = false
                    red[xpp] = true
                    x = xpp
                } else {
                    if x == right[xp] {
                        x = xp
                        rotateLeft(x)
                    }
                    red[parent[x]] = false
                    red[xpp] = true
                    rotateRight(xpp)
                }
            } else {
                let y = left[xpp]
                if y != -1 && red[y] {
                    red[xp] = false
                    red[y] = false
                    red[xpp] = true
                    x = xpp
                } else {
                    if x == left[xp] {
                        x = xp
                        rotateRight(x)
                    }
                    red[parent[x]] = false
                    red[xpp] = true
                    rotateLeft(xpp)
                }
            }
        }
        red[root] = false
    }

    private mutating func rotateLeft(_ x: Int) {
        let y = right[x]
        right[x] = left[y]
        if left[y] != -1 { parent[left[y]] = x }
        parent[y] = parent[x]
        if x == root {
            root = y
        } else if x == left[parent[x]] {
            left[parent[x]] = y
        } else {
            right[parent[x]] = y
        }
        left[y] = x
        parent[x] = y
    }

    private mutating func rotateRight(_ x: Int) {
        let y = left[x]
        left[x] = right[y]
        if right[y] != -1 { parent[right[y]] = x }
        parent[y] = parent[x]
        if x == root {
            root = y
        } else if x == right[parent[x]] {
            right[parent[x]] = y
        } else {
            left[parent[x]] = y
        }
        right[y] = x
        parent[x] = y
    }
}

/// `builtins.zipAttrsWith f sets`: every element is forced to a set; the result maps each name
/// to the lazy application `f name [values in list order]`.
final class ZipAttrsWithFrame: NativeFrame {
    let function: Value
    let list: NixList
    let context: BuiltinContext
    var sets: [NixAttrs] = []
    var index = 0

    init(function: Value, list: NixList, context: BuiltinContext) {
        self.function = function
        self.list = list
        self.context = context
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input { sets.append(try context.attrs(input)) }
        if index < list.count {
            index += 1
            return .force(list[index - 1])
        }
        var values: [Symbol: [Value]] = [:]
        for s in sets {
            for i in 0..<s.count { values[s.symbol(at: i), default: []].append(s.value(at: i)) }
        }
        let site = context.site
        return .done(vm.heap.attrs(values.map { (name, vs) in
            let partial = vm.heap.applyThunk(function, vm.symbolString(name), site: site)
            return (name, vm.heap.applyThunk(partial, vm.heap.list(vs), site: site))
        }))
    }
}

/// `builtins.catAttrs name sets`: every element is forced to a set; values are not forced.
final class CatAttrsFrame: TracingFrame {
    var ownErrorContext: String { "while evaluating an element in the list passed as second argument to builtins.catAttrs" }
    let name: Symbol
    let list: NixList
    let context: BuiltinContext
    var found: [Value] = []
    var index = 0

    init(name: Symbol, list: NixList, context: BuiltinContext) {
        self.name = name
        self.list = list
        self.context = context
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input, let v = try context.attrs(input)[name] { found.append(v) }
        if index < list.count {
            index += 1
            return .force(list[index - 1])
        }
        return .done(vm.heap.list(found))
    }
}
