// `<` on lists (and the `lessThan` builtin) without native recursion: nested lists are walked
// with an explicit stack of list pairs.

import NixSyntax

/// `a < b` as C++ Nix's `CompareValues`: lists compare lexicographically; for each index the
/// two elements are forced and, when they are not equal by the rules of `==` (`eqValues`, which
/// counts an element compared with itself as equal), the result is the comparison of those two
/// elements (numbers, strings and paths by `<`; lists again lexicographically; anything else is
/// an error). When one list is a prefix of the other, the shorter is less.
///
/// C++ Nix checks each element pair with a full `==` first and then compares it again with `<`,
/// which is quadratic on nested lists. The same result comes from one walk: a pair of lists of
/// the same length is equal exactly when all its element pairs are, so such a pair is entered
/// (its parent resumed at the next index when it turns out equal) and the first unequal element
/// pair inside it is the one the comparison goes on with. Lists of different lengths are never
/// equal, so the comparison continues with them as the new outermost pair. Sets are compared
/// with an `EqualityFrame` (an unequal pair of sets is an error). Elements are forced in the
/// order C++ Nix forces them.
final class CompareFrame: TracingFrame {
    /// Only element comparisons have a context line (an empty line is not printed).
    var ownErrorContext: String { scalars == nil ? "while comparing two list elements" : "" }
    var ownErrorRepeats: Int { lists.count }
    private enum Phase {
        /// Look at the element pair at the current index.
        case next
        /// The left element is being forced.
        case forcingLeft
        /// The right element is being forced; `left` holds the forced left element.
        case forcingRight
        /// Two sets are being compared with `==`; `left`/`right` hold them.
        case setEquality
    }

    private let negate: Bool
    private let span: Span?
    /// The list pairs being walked with the index of the element pair under examination. The
    /// first entry is the outermost pair; the ones above it have the same length and all their
    /// earlier element pairs were equal.
    private var lists: [(NixList, NixList, Int)] = []
    private var phase = Phase.next
    private var left: Value = .null
    private var right: Value = .null
    /// Operands that are not both lists.
    private var scalars: (Value, Value)?

    /// Computes `a < b` (or its negation) for forced `a` and `b`; `span` is where errors point.
    init(_ a: Value, _ b: Value, negate: Bool, span: Span?) {
        self.negate = negate
        self.span = span
        if a.isObject(.list) && b.isObject(.list) {
            lists = [(a.asList, b.asList, 0)]
        } else {
            scalars = (a, b)
        }
    }

    private func result(_ r: Bool) -> NativeStep { .done(.bool(r != negate)) }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let (a, b) = scalars {
            return result(try vm.lessThan(a, b, span: span))
        }
        switch phase {
        case .next:
            break
        case .forcingLeft:
            left = input!
            let (l1, l2, i) = lists[lists.count - 1]
            if let step = try forceRight(vm, raw: l2[i], rawLeft: l1[i]) { return step }
        case .forcingRight:
            right = input!
            if let step = try examine(vm) { return step }
        case .setEquality:
            if input != .true { return result(try vm.lessThan(left, right, span: span)) }
            advance()
        }
        phase = .next
        while true {
            let (l1, l2, i) = lists[lists.count - 1]
            if lists.count == 1 {
                if i == l2.count { return result(false) }
                if i == l1.count { return result(true) }
            } else if i == l1.count {
                // A nested pair of equal lists: the parent goes on with its next element.
                lists.removeLast()
                advance()
                continue
            }
            let x = l1[i]
            if x.isThunk {
                let t = x.asThunk
                if t.state != .evaluated {
                    phase = .forcingLeft
                    return .force(x)
                }
                left = t.result
            } else {
                left = x
            }
            if let step = try forceRight(vm, raw: l2[i], rawLeft: x) { return step }
            phase = .next
        }
    }

    /// With the left element forced: an element compared with itself is equal (C++ Nix compares
    /// the addresses of the two values); otherwise forces the right one and examines the pair.
    /// Returns nil to go on with the next element pair.
    private func forceRight(_ vm: VM, raw y: Value, rawLeft x: Value) throws -> NativeStep? {
        if x == y {
            advance()
            return nil
        }
        if y.isThunk {
            let t = y.asThunk
            if t.state != .evaluated {
                phase = .forcingRight
                return .force(y)
            }
            right = t.result
        } else {
            right = y
        }
        return try examine(vm)
    }

    /// Both elements forced (`left`, `right`): skip them when equal, enter them when they are lists
    /// of the same length, or finish with their comparison. Returns nil to go on.
    private func examine(_ vm: VM) throws -> NativeStep? {
        switch try vm.shallowEqual(left, right) {
        case true?:
            advance()
            return nil
        case false?:
            if left.isObject(.list) && right.isObject(.list) {
                // Lists of different lengths: compared from their first elements, and what
                // surrounds them no longer matters.
                lists.removeAll(keepingCapacity: true)
                lists.append((left.asList, right.asList, 0))
                return nil
            }
            return result(try vm.lessThan(left, right, span: span))
        case nil:
            if left.isObject(.list) {
                lists.append((left.asList, right.asList, 0))
                return nil
            }
            // Two non-empty sets: equal ones are skipped, unequal ones cannot be compared.
            phase = .setEquality
            return .run(EqualityFrame(left, right, negate: false))
        }
    }

    private func advance() {
        lists[lists.count - 1].2 += 1
    }
}
