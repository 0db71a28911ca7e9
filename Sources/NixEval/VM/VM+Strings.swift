// String coercion and concatenation with string contexts.

import NixStore
import NixSyntax

/// How a value is being turned into a string (C++ Nix's `coerceToString` flags).
enum CoercionMode {
    /// `"${v}"`, `+` and most builtins: strings, paths (copied to the store), and sets with
    /// `__toString` or `outPath`.
    case interpolation
    /// Like `interpolation`, but a path becomes its own text (`toPath`, path literals).
    case plain
    /// Like `plain`, but a path stays a path value (`coerceToPath`: `import`, `readFile`, …).
    case keepingPaths
    /// `toString v`: paths as text, and also numbers, Booleans, null and lists.
    case toString
    /// Derivation attributes: like `toString`, but paths are copied to the store.
    case derivationAttribute

    /// Whether a path becomes the store path of its copy.
    var copiesPaths: Bool { self == .interpolation || self == .derivationAttribute }
    /// Whether numbers, Booleans, null and lists are accepted (`coerceMore`).
    var coercesMore: Bool { self == .toString || self == .derivationAttribute }
}

extension VM {
    /// Coerces without evaluation when possible; nil when a frame is needed (`__toString`
    /// calls, unevaluated `outPath`s, non-empty lists).
    func coerceSimple(_ v: Value, mode: CoercionMode, span: @autoclosure () -> Span?) throws -> Value? {
        var v = v
        // `outPath` chains are followed in a loop: their length is up to the input (and a
        // cycle ends as C++ Nix's recursion does).
        var hops = 0
        while true {
            hops += 1
            if hops > VM.maxCoercionChain { throw EvalError(.other, "stack overflow (possible infinite recursion)", span: span()) }
            if v.isObject(.string) { return v }
            if v.isObject(.path) {
                if mode.copiesPaths {
                    return storePathString(try copyPathToStore(Array(v.asPath.bytes), span: span()))
                }
                return mode == .keepingPaths ? v : heap.string(Array(v.asPath.bytes))
            }
            guard v.isObject(.attrs) else { break }
            let attrs = v.asAttrs
            if attrs.index(of: program.names.toStringAttr) != nil { return nil }
            guard let out = attrs[program.names.outPath] else { break }
            guard let ready = readyValue(out) else { return nil }
            v = ready
        }
        if mode.coercesMore {
            if let n = v.intValue { return heap.decimalString(n) }
            if v.isObject(.float) { return heap.string(formatToStringFloat(v.floatValue)) }
            if v == .true { return heap.string([49]) }
            if v == .false || v.isNull { return heap.string([]) }
            if v.isObject(.list) { return v.asList.count == 0 ? heap.string([]) : nil }
        }
        throw cannotCoerce(v, span: span())
    }

    /// How many `__toString` results and `outPath`s one coercion follows before it fails like
    /// C++ Nix running out of stack (only cycles get near this).
    static let maxCoercionChain = 100_000

    /// "cannot coerce a set to a string: { … }".
    func cannotCoerce(_ v: Value, span: Span?) -> EvalError {
        var e = EvalError(.other, "cannot coerce \(describe(v)) to a string: \((try? printForError(v)) ?? "")", span: span)
        e.rejectedValue = v.bits
        return e
    }

    /// Concatenates the `count` forced strings (or, for a path, a path and strings) on top of the stack.
    func concatStrings(count n: Int, isPath: Bool, span: @autoclosure () -> Span?) throws -> Value {
        // Nothing to join (`toString []`): the code below reads the first operand.
        if n == 0 { return isPath ? heap.path([]) : heap.string([]) }
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
        guard total <= Heap.maxCount else { throw EvalError(.other, "out of memory", span: span()) }
        if heap.maxBytes != Int.max {
            do { try heap.reserve(total) } catch var e as EvalError { e.span = e.span ?? span(); throw e }
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
        /// A space after this list element, unless it is an empty list (C++ Nix's rule; the
        /// element has been forced by the time this item is reached).
        case separatorAfter(Value)
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
    /// `__toString` calls and `outPath`s followed since the last part was found: a cycle
    /// (`__toString = self: self`) ends as C++ Nix's recursion does.
    var chain = 0

    private func step(_ vm: VM) throws {
        chain += 1
        if chain > VM.maxCoercionChain { throw EvalError(.other, "stack overflow (possible infinite recursion)", span: span) }
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        if let input {
            if let owner = toStringOwner {
                toStringOwner = nil
                return .call(input, owner)
            }
            work.append(.value(input))
        }
        while let item = work.popLast() {
            let raw: Value
            switch item {
            case .value(let v):
                raw = v
            case .separatorAfter(let element):
                let e = vm.readyValue(element) ?? element
                if !(e.isObject(.list) && e.asList.count == 0) { parts.append(vm.heap.string([32])) }
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
                chain = 0
                continue
            }
            if v.isObject(.attrs) {
                let attrs = v.asAttrs
                if let f = attrs[vm.program.names.toStringAttr] {
                    try step(vm)
                    // `__toString self`; the result is coerced again.
                    if f.isThunk && f.asThunk.state != .evaluated {
                        toStringOwner = v
                        return .force(f)
                    }
                    let fn = f.isThunk ? f.asThunk.result : f
                    return .call(fn, v)
                }
                if let out = attrs[vm.program.names.outPath] {
                    try step(vm)
                    work.append(.value(out))
                    continue
                }
            }
            if mode.coercesMore && v.isObject(.list) {
                let l = v.asList
                // Elements joined by single spaces, except after an empty list (as C++ Nix
                // does); pushed in reverse for the work list.
                for i in stride(from: l.count - 1, through: 0, by: -1) {
                    if i < l.count - 1 { work.append(.separatorAfter(l[i])) }
                    work.append(.value(l[i]))
                }
                chain = 0
                continue
            }
            if let s = try vm.coerceSimple(v, mode: mode, span: span) {
                parts.append(s)
                chain = 0
                continue
            }
            throw vm.cannotCoerce(v, span: span)
        }
        for p in parts { vm.push(p) }
        let result = try vm.concatStrings(count: parts.count, isPath: false, span: span)
        vm.sp -= parts.count
        return .done(result)
    }
}

/// `toString 1.5` is `"1.500000"` (C++ `std::to_string`, i.e. `%f`).
func formatToStringFloat(_ d: Double) -> String {
    NumberFormatting.format("%f", d)
}

/// `a + b` where an operand needs evaluation to become a string (`__toString`, an unevaluated
/// `outPath`): coerces the operands in order, then joins them as `VM.add` would.
final class ConcatCoercingFrame: NativeFrame {
    let first: Value, second: Value
    let span: Span?
    var coercedFirst: Value? = nil

    init(_ a: Value, _ b: Value, span: Span?) {
        first = a
        second = b
        self.span = span
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        let (firstMode, secondMode) = VM.concatenationModes(first)
        if coercedFirst == nil {
            if let input {
                coercedFirst = input
            } else if let s = try vm.coerceSimple(first, mode: firstMode, span: span) {
                coercedFirst = s
            } else {
                return .run(CoerceToStringFrame(first, span: span, mode: firstMode))
            }
        } else if let input {
            return .done(try vm.concatenate(coercedFirst ?? input, input, asPath: first.isObject(.path), span: span))
        }
        if let s = try vm.coerceSimple(second, mode: secondMode, span: span) {
            return .done(try vm.concatenate(coercedFirst ?? s, s, asPath: first.isObject(.path), span: span))
        }
        return .run(CoerceToStringFrame(second, span: span, mode: secondMode))
    }
}
