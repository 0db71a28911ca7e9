// Explains a failed `assert a == b` as C++ Nix 2.26's `assertEqValues` does: which values
// differ, and where (attribute names and positions, list indices, derivation outPaths).

import NixSyntax

/// Runs only after `a == b` was false in an assertion: walks both values in the order that the
/// equality test used and throws the first difference as a catchable error with trace lines
/// ("while comparing attribute 'x'", "where left hand side is", …) under "while evaluating the
/// condition of the assertion '…'". Never finishes normally.
final class AssertEqualityFrame: NativeFrame {
    struct Item {
        var a: Value, b: Value
        var nested: Bool
        /// Trace lines for a difference inside this pair, innermost first.
        var notes: [DiagnosticNote]
    }
    var work: [Item]
    var pending: Item? = nil
    var forcingSecond = false
    var forcingType = false
    let assertion: String
    let assertSpan: Span

    init(_ a: Value, _ b: Value, assertion: String, assertSpan: Span) {
        work = [Item(a: a, b: b, nested: false, notes: [])]
        self.assertion = assertion
        self.assertSpan = assertSpan
    }

    func fail(_ message: String, _ item: Item) -> EvalError {
        var e = EvalError(.catchable, message, span: nil)
        e.positionFinal = true
        e.trace = item.notes
        e.addTrace("while evaluating the condition of the assertion '\(assertion)'", assertSpan)
        return e
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if forcingType {
            forcingType = false
        } else if let input, var p = pending {
            if forcingSecond { p.b = input } else { p.a = input }
            p.nested = false
            work.append(p)
            pending = nil
        }
        while let item = work.popLast() {
            if item.a.isThunk && item.a.asThunk.state != .evaluated {
                pending = item; forcingSecond = false
                return .force(item.a)
            }
            if item.b.isThunk && item.b.asThunk.state != .evaluated {
                pending = item; forcingSecond = true
                return .force(item.b)
            }
            if item.nested && item.a == item.b { continue }
            let a = item.a.isThunk ? item.a.asThunk.result : item.a
            let b = item.b.isThunk ? item.b.asThunk.result : item.b
            let shownA = try vm.printForError(a), shownB = try vm.printForError(b)
            let ta = a.type, tb = b.type
            let numeric = (ta == .int || ta == .float) && (tb == .int || tb == .float)
            if ta == .bool && tb == .bool {
                if a == b { continue }
                throw fail("boolean '\(shownA)' is not equal to boolean '\(shownB)'", item)
            }
            if numeric {
                if try vm.shallowEqual(a, b) == true { continue }
                throw fail("\(vm.describe(a)) with value '\(shownA)' is not equal to \(vm.describe(b)) with value '\(shownB)'", item)
            }
            if ta != tb {
                throw fail("\(vm.describe(a)) of value '\(shownA)' is not equal to \(vm.describe(b)) of value '\(shownB)'", item)
            }
            switch ta {
            case .null:
                continue
            case .string:
                if try vm.shallowEqual(a, b) == true { continue }
                throw fail("string '\(shownA)' is not equal to string '\(shownB)'", item)
            case .path:
                if try vm.shallowEqual(a, b) == true { continue }
                throw fail("path '\(shownA)' is not equal to path '\(shownB)'", item)
            case .lambda:
                throw fail("distinct functions and immediate comparisons of identical functions compare as unequal", item)
            case .list:
                let l1 = a.asList, l2 = b.asList
                if l1.count != l2.count {
                    throw fail("list of size '\(l1.count)' is not equal to list of size '\(l2.count)', left hand side is '\(shownA)', right hand side is '\(shownB)'", item)
                }
                for i in stride(from: l1.count - 1, through: 0, by: -1) {
                    var notes = item.notes
                    notes.insert(DiagnosticNote(message: "while comparing list element \(i)", span: nil), at: 0)
                    work.append(Item(a: l1[i], b: l2[i], nested: true, notes: notes))
                }
            case .set:
                let s1 = a.asAttrs, s2 = b.asAttrs
                let typeName = vm.program.names.type
                if let t1 = s1[typeName], let t2 = s2[typeName] {
                    for t in [t1, t2] where t.isThunk && t.asThunk.state != .evaluated {
                        work.append(item)
                        forcingType = true
                        return .force(t)
                    }
                }
                if vm.isDerivation(s1) && vm.isDerivation(s2),
                   let o1 = s1[vm.program.names.outPath], let o2 = s2[vm.program.names.outPath] {
                    var notes = item.notes
                    notes.insert(DiagnosticNote(message: "while comparing a derivation by its 'outPath' attribute", span: nil), at: 0)
                    work.append(Item(a: o1, b: o2, nested: true, notes: notes))
                    continue
                }
                let names = "attribute names of attribute set '\(shownA)' differs from attribute set '\(shownB)'"
                if s1.count != s2.count { throw fail(names, item) }
                for i in 0..<s1.count where s1.symbol(at: i) != s2.symbol(at: i) { throw fail(names, item) }
                for i in stride(from: s1.count - 1, through: 0, by: -1) {
                    var notes = item.notes
                    var inner: [DiagnosticNote] = []
                    if let p = vm.program.attrPosition(s2.position(at: i)) { inner.append(DiagnosticNote(message: "where right hand side is", span: p)) }
                    if let p = vm.program.attrPosition(s1.position(at: i)) { inner.append(DiagnosticNote(message: "where left hand side is", span: p)) }
                    inner.append(DiagnosticNote(message: "while comparing attribute '\(vm.program.symbols.name(s1.symbol(at: i)))'", span: nil))
                    notes.insert(contentsOf: inner, at: 0)
                    work.append(Item(a: s1.value(at: i), b: s2.value(at: i), nested: true, notes: notes))
                }
            default:
                throw fail("assertion '\(assertion)' failed", item)
            }
        }
        // The walk found no difference (it follows `==`, so this is not expected).
        throw EvalError(.catchable, "assertion '\(assertion)' failed", span: assertSpan)
    }
}

extension Program {
    /// The source position of an attribute by its position index (nil when unknown).
    func attrPosition(_ index: UInt32) -> Span? {
        guard index != 0, Int(index) < attrPositions.count else { return nil }
        return attrPositions[Int(index)]
    }
}
