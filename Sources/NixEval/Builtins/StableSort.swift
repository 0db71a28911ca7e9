// The comparison sequence of libstdc++'s `std::stable_sort` (what C++ Nix's `builtins.sort`
// uses), as a resumable state machine: the caller answers one comparison at a time.
//
// With a comparator that is not a strict weak ordering the result depends on the exact
// algorithm, and comparators can have visible effects (`trace`, errors), so the order of the
// calls matters. libstdc++ (GCC 12 and later, and older versions whenever the temporary buffer
// is granted) sorts as follows: `middle = first + (n + 1) / 2`; each half is sorted by
// `__merge_sort_with_buffer` (insertion sort of chunks of 7, then rounds of pairwise merges
// into the buffer and back); then the halves are merged by `__merge_adaptive` (forwards through
// a copy of the first half when the halves have the same length, backwards through a copy of
// the second half otherwise). The operations and their ranges depend only on the length, so
// they are planned up front; only the progress inside the current operation depends on the
// answers.

/// A stable sort driven by external comparisons: `next(nil)` starts, then each call answers the
/// previous request `less(x, y)` (true when `x` must come before `y`); nil means finished and
/// `elements` holds the result.
struct StableSortMachine {
    private(set) var elements: [Value]
    private var buffer: [Value]

    private enum Operation {
        /// `__insertion_sort` on `elements[lo..<hi]`.
        case insertion(lo: Int, hi: Int)
        /// `__move_merge` of `[f1, l1)` and `[f2, l2)` from one array into the other at `out`.
        case merge(fromElements: Bool, f1: Int, l1: Int, f2: Int, l2: Int, out: Int)
        /// `__merge_adaptive` of `elements[first..<middle]` and `elements[middle..<last]`.
        case mergeAdaptive(first: Int, middle: Int, last: Int)
    }

    /// Where the running operation stopped to ask for a comparison.
    private enum Waiting {
        case none
        /// `less(elements[i], elements[lo])`.
        case insertionFront(lo: Int, hi: Int, i: Int)
        /// `less(value, elements[j - 1])` in the unguarded linear insertion of position `i`.
        case insertionLinear(lo: Int, hi: Int, i: Int, value: Value, j: Int)
        /// `less(src[i2], src[i1])`.
        case merge(fromElements: Bool, i1: Int, l1: Int, i2: Int, l2: Int, out: Int)
        /// `less(elements[i2], buffer[b1])`, merging the buffered first half forwards.
        case forward(b1: Int, bl1: Int, i2: Int, last: Int, out: Int)
        /// `less(buffer[last2], elements[last1])`, merging the buffered second half backwards.
        case backward(first1: Int, last1: Int, last2: Int, result: Int)
    }

    private var operations: [Operation] = []
    private var nextOperation = 0
    private var waiting = Waiting.none

    init(_ values: [Value]) {
        elements = values
        buffer = [Value](repeating: .null, count: values.count)
        let n = values.count
        guard n > 1 else { return }
        let middle = (n + 1) / 2
        planMergeSortWithBuffer(0, middle)
        planMergeSortWithBuffer(middle, n)
        operations.append(.mergeAdaptive(first: 0, middle: middle, last: n))
    }

    private mutating func planMergeSortWithBuffer(_ first: Int, _ last: Int) {
        let length = last - first
        let chunk = 7
        var f = first
        while last - f >= chunk {
            operations.append(.insertion(lo: f, hi: f + chunk))
            f += chunk
        }
        operations.append(.insertion(lo: f, hi: last))
        var step = chunk
        while step < length {
            planMergeSortLoop(fromElements: true, first, last, out: 0, step: step)
            step *= 2
            planMergeSortLoop(fromElements: false, 0, length, out: first, step: step)
            step *= 2
        }
    }

    private mutating func planMergeSortLoop(fromElements: Bool, _ first: Int, _ last: Int, out: Int, step: Int) {
        let two = 2 * step
        var f = first
        var o = out
        while last - f >= two {
            operations.append(.merge(fromElements: fromElements, f1: f, l1: f + step, f2: f + step, l2: f + two, out: o))
            f += two
            o += two
        }
        let s = min(last - f, step)
        operations.append(.merge(fromElements: fromElements, f1: f, l1: f + s, f2: f + s, l2: last, out: o))
    }

    /// Applies the answer to the pending comparison (nil at the start) and returns the next pair
    /// `(x, y)` to compare as `less(x, y)`, or nil when the sort is complete.
    mutating func next(_ answer: Bool?) -> (Value, Value)? {
        if let answer {
            if let pair = resume(answer) { return pair }
        }
        while nextOperation < operations.count {
            let op = operations[nextOperation]
            nextOperation += 1
            if let pair = start(op) { return pair }
        }
        return nil
    }

    private mutating func start(_ op: Operation) -> (Value, Value)? {
        switch op {
        case .insertion(let lo, let hi):
            if hi - lo < 2 { return nil }
            return askInsertionFront(lo: lo, hi: hi, i: lo + 1)
        case .merge(let fromElements, let f1, let l1, let f2, let l2, let out):
            return runMerge(fromElements: fromElements, i1: f1, l1: l1, i2: f2, l2: l2, out: out)
        case .mergeAdaptive(let first, let middle, let last):
            let len1 = middle - first, len2 = last - middle
            if len1 <= len2 {
                for k in 0..<len1 { buffer[k] = elements[first + k] }
                return runForward(b1: 0, bl1: len1, i2: middle, last: last, out: first)
            }
            for k in 0..<len2 { buffer[k] = elements[middle + k] }
            if len2 == 0 { return nil }
            return askBackward(first1: first, last1: middle - 1, last2: len2 - 1, result: last)
        }
    }

    private mutating func resume(_ answer: Bool) -> (Value, Value)? {
        let w = waiting
        waiting = .none
        switch w {
        case .none:
            return nil
        case .insertionFront(let lo, let hi, let i):
            let value = elements[i]
            if answer {
                var k = i
                while k > lo {
                    elements[k] = elements[k - 1]
                    k -= 1
                }
                elements[lo] = value
                return nextInsertion(lo: lo, hi: hi, i: i)
            }
            waiting = .insertionLinear(lo: lo, hi: hi, i: i, value: value, j: i)
            return (value, elements[i - 1])
        case .insertionLinear(let lo, let hi, let i, let value, var j):
            if answer {
                elements[j] = elements[j - 1]
                j -= 1
                // C++ relies on `less(value, elements[lo])` being false here (it was asked
                // before); a comparator answering differently would run off the range.
                if j - 1 >= lo {
                    waiting = .insertionLinear(lo: lo, hi: hi, i: i, value: value, j: j)
                    return (value, elements[j - 1])
                }
            }
            elements[j] = value
            return nextInsertion(lo: lo, hi: hi, i: i)
        case .merge(let fromElements, var i1, let l1, var i2, let l2, var out):
            if answer {
                store(!fromElements, out, load(fromElements, i2))
                i2 += 1
            } else {
                store(!fromElements, out, load(fromElements, i1))
                i1 += 1
            }
            out += 1
            return runMerge(fromElements: fromElements, i1: i1, l1: l1, i2: i2, l2: l2, out: out)
        case .forward(var b1, let bl1, var i2, let last, var out):
            if answer {
                elements[out] = elements[i2]
                i2 += 1
            } else {
                elements[out] = buffer[b1]
                b1 += 1
            }
            out += 1
            return runForward(b1: b1, bl1: bl1, i2: i2, last: last, out: out)
        case .backward(let first1, var last1, var last2, var result):
            if answer {
                result -= 1
                elements[result] = elements[last1]
                if first1 == last1 {
                    // The rest of the buffer goes in front.
                    var k = last2
                    while k >= 0 {
                        result -= 1
                        elements[result] = buffer[k]
                        k -= 1
                    }
                    return nil
                }
                last1 -= 1
            } else {
                result -= 1
                elements[result] = buffer[last2]
                if last2 == 0 { return nil }
                last2 -= 1
            }
            return askBackward(first1: first1, last1: last1, last2: last2, result: result)
        }
    }

    private mutating func askInsertionFront(lo: Int, hi: Int, i: Int) -> (Value, Value)? {
        waiting = .insertionFront(lo: lo, hi: hi, i: i)
        return (elements[i], elements[lo])
    }

    private mutating func nextInsertion(lo: Int, hi: Int, i: Int) -> (Value, Value)? {
        if i + 1 < hi { return askInsertionFront(lo: lo, hi: hi, i: i + 1) }
        return nil
    }

    private func load(_ fromElements: Bool, _ i: Int) -> Value {
        fromElements ? elements[i] : buffer[i]
    }

    private mutating func store(_ toElements: Bool, _ i: Int, _ v: Value) {
        if toElements { elements[i] = v } else { buffer[i] = v }
    }

    private mutating func runMerge(fromElements: Bool, i1: Int, l1: Int, i2: Int, l2: Int, out: Int) -> (Value, Value)? {
        if i1 < l1 && i2 < l2 {
            waiting = .merge(fromElements: fromElements, i1: i1, l1: l1, i2: i2, l2: l2, out: out)
            return (load(fromElements, i2), load(fromElements, i1))
        }
        var o = out
        for k in i1..<max(i1, l1) { store(!fromElements, o, load(fromElements, k)); o += 1 }
        for k in i2..<max(i2, l2) { store(!fromElements, o, load(fromElements, k)); o += 1 }
        return nil
    }

    private mutating func runForward(b1: Int, bl1: Int, i2: Int, last: Int, out: Int) -> (Value, Value)? {
        if b1 < bl1 && i2 < last {
            waiting = .forward(b1: b1, bl1: bl1, i2: i2, last: last, out: out)
            return (elements[i2], buffer[b1])
        }
        var o = out
        for k in b1..<max(b1, bl1) { elements[o] = buffer[k]; o += 1 }
        return nil
    }

    private mutating func askBackward(first1: Int, last1: Int, last2: Int, result: Int) -> (Value, Value)? {
        waiting = .backward(first1: first1, last1: last1, last2: last2, result: result)
        return (buffer[last2], elements[last1])
    }
}
