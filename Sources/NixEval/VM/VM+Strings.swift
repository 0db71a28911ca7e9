// String coercion and concatenation with string contexts.

import NixSyntax

/// How a value is being turned into a string.
enum CoercionMode {
    /// `"${v}"` and `+`: strings, paths, and sets with `__toString` or `outPath`.
    case interpolation
    /// `toString v`: also numbers, Booleans, null and lists.
    case toString
}

extension VM {
    /// Coerces without evaluation when possible; nil when a frame is needed
    /// (`__toString` calls, unevaluated `outPath`s or list elements).
    func coerceSimple(_ v: Value, forInterpolation: Bool, span: @autoclosure () -> Span?) throws -> Value? {
        if v.isObject(.string) { return v }
        if v.isObject(.path) {
            if forInterpolation {
                throw EvalError(.other, "copying the path '\(v.asPath.text)' to the store is not supported yet", span: span())
            }
            return heap.string(Array(v.asPath.bytes))
        }
        if v.isObject(.attrs) {
            let attrs = v.asAttrs
            if attrs.index(of: program.names.toStringAttr) != nil { return nil }
            if let out = attrs[program.names.outPath] {
                if out.isThunk { return out.asThunk.state == .evaluated ? try coerceSimple(out.asThunk.result, forInterpolation: forInterpolation, span: span()) : nil }
                return try coerceSimple(out, forInterpolation: forInterpolation, span: span())
            }
        }
        throw EvalError(.other, "cannot coerce \(describe(v)) to a string: \(try printForError(v))", span: span())
    }

    /// Concatenates the `count` forced strings (or, for a path, a path and strings) on top of the stack.
    func concatStrings(count n: Int, isPath: Bool, span: @autoclosure () -> Span?) throws -> Value {
        var total = 0
        var contextParts: [Value] = []
        for i in (sp - n)..<sp {
            let v = stack[i]
            if v.isObject(.string) {
                total += v.asString.count
                if let c = v.asString.context { contextParts.append(c.value) }
            } else if v.isObject(.path) {
                total += v.asPath.count
            }
        }
        if isPath {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(total)
            for i in (sp - n)..<sp {
                let v = stack[i]
                if v.isObject(.path) {
                    bytes += v.asPath.bytes
                } else {
                    if v.asString.context != nil {
                        throw EvalError(.other, "a string that refers to a store path cannot be appended to a path", span: span())
                    }
                    bytes += v.asString.bytes
                }
            }
            return heap.path(PathUtilities.canonical(bytes))
        }
        let context = contextParts.isEmpty ? nil : mergeContexts(contextParts)
        if n == 1 && contextParts.count <= 1 { return stack[sp - 1] }
        let first = stack[sp - n].asString
        var offset = 0
        var start = 0
        let block: UnsafeMutableRawPointer
        let dst: UnsafeMutablePointer<UInt8>
        if let b = first.block, let firstBytes = first.bytes.baseAddress,
           firstBytes + first.count == (b + 16 + b.load(fromByteOffset: 8, as: Int.self)).assumingMemoryBound(to: UInt8.self),
           b.load(fromByteOffset: 8, as: Int.self) + (total - first.count) <= b.load(as: Int.self) {
            // Extend the first string's block in place.
            block = b
            dst = UnsafeMutablePointer(mutating: firstBytes)
            offset = first.count
            start = 1
        } else if total >= 256 {
            // Large results get a block with room to grow.
            block = heap.stringBlock(capacity: total * 2)
            dst = (block + 16).assumingMemoryBound(to: UInt8.self)
        } else {
            let (result, out) = heap.uninitialisedString(count: total, context: context)
            for i in (sp - n)..<sp {
                let b = stack[i].asString.bytes
                if let base = b.baseAddress { (out + offset).update(from: base, count: b.count) }
                offset += b.count
            }
            return result
        }
        for i in (sp - n + start)..<sp {
            let b = stack[i].asString.bytes
            if let base = b.baseAddress { (dst + offset).update(from: base, count: b.count) }
            offset += b.count
        }
        let used = (dst + total) - (block + 16).assumingMemoryBound(to: UInt8.self)
        block.storeBytes(of: used, toByteOffset: 8, as: Int.self)
        return heap.stringHeader(count: total, bytes: dst, block: block, context: context)
    }

    /// The union of several context objects, as a new sorted context object.
    func mergeContexts(_ contexts: [Value]) -> Value {
        if contexts.count == 1 { return contexts[0] }
        var seen = Set<[UInt8]>()
        var elements: [[UInt8]] = []
        for c in contexts {
            let ctx = StringContext(c)
            for i in 0..<ctx.count {
                let e = Array(ctx[i].bytes)
                if seen.insert(e).inserted { elements.append(e) }
            }
        }
        elements.sort { $0.lexicographicallyPrecedes($1) }
        return heap.context(elements.map { heap.string($0) })
    }
}

/// Coerces a value to a string, calling `__toString` and forcing `outPath`s and list
/// elements as needed, with an explicit work list.
final class CoerceToStringFrame: NativeFrame {
    enum Work {
        case value(Value)
        case separator
    }
    let span: Span?
    let mode: CoercionMode
    var work: [Work]
    var parts: [Value] = []
    var pendingToString = false

    init(_ v: Value, span: Span?, mode: CoercionMode) {
        self.span = span
        self.mode = mode
        self.work = [.value(v)]
    }

    /// The set whose `__toString` is being forced (the forced function is then called with it).
    var toStringOwner: Value? = nil

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input {
            if let owner = toStringOwner {
                toStringOwner = nil
                return .call(input, owner)
            }
            work.append(.value(input))
        }
        while let item = work.popLast() {
            guard case .value(let raw) = item else {
                parts.append(vm.heap.string([32]))
                continue
            }
            if raw.isThunk {
                let t = raw.asThunk
                if t.state != .evaluated { return .force(raw) }
                work.append(.value(t.result))
                continue
            }
            let v = raw
            if v.isObject(.string) {
                parts.append(v)
                continue
            }
            if v.isObject(.attrs) {
                let attrs = v.asAttrs
                if let f = attrs[vm.program.names.toStringAttr] {
                    // `__toString self`; the result is coerced again.
                    if f.isThunk && f.asThunk.state != .evaluated {
                        toStringOwner = v
                        return .force(f)
                    }
                    let fn = f.isThunk ? f.asThunk.result : f
                    return .call(fn, v)
                }
                if let out = attrs[vm.program.names.outPath] {
                    work.append(.value(out))
                    continue
                }
            }
            if mode == .toString {
                if let n = v.intValue { parts.append(vm.heap.decimalString(n)); continue }
                if v.isObject(.float) { parts.append(vm.heap.string(formatToStringFloat(v.floatValue))); continue }
                if v == .true { parts.append(vm.heap.string([49])); continue }
                if v == .false || v.isNull { parts.append(vm.heap.string([])); continue }
                if v.isObject(.list) {
                    let l = v.asList
                    // Elements joined by single spaces; pushed in reverse for the work list.
                    for i in stride(from: l.count - 1, through: 0, by: -1) {
                        work.append(.value(l[i]))
                        if i > 0 { work.append(.separator) }
                    }
                    continue
                }
            }
            if let s = try vm.coerceSimple(v, forInterpolation: mode == .interpolation, span: span) {
                parts.append(s)
                continue
            }
            throw EvalError(.other, "cannot coerce \(vm.describe(v)) to a string: \(try vm.printForError(v))", span: span)
        }
        for p in parts { vm.push(p) }
        let result = try vm.concatStrings(count: parts.count, isPath: false, span: span)
        vm.sp -= parts.count
        return .done(parts.isEmpty ? vm.heap.string([]) : result)
    }
}

/// `toString 1.5` is `"1.500000"` (C++ `std::to_string`, i.e. `%f`).
func formatToStringFloat(_ d: Double) -> String {
    NumberFormatting.format("%f", d)
}
