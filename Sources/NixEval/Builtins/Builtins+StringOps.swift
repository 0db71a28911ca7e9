// String rewriting: `replaceStrings`.

import NixSyntax

extension Builtins {
    static let stringOps: [BuiltinDefinition] = [
        .frame("replaceStrings", 3, strict: [0, 1]) { c, a in
            let from = try c.list(a[0]), to = try c.list(a[1])
            guard from.count == to.count else {
                throw c.error("'from' and 'to' arguments passed to builtins.replaceStrings have different lengths")
            }
            return ReplaceStringsFrame(from: from, to: to, subject: a[2], context: c)
        },
    ]
}

/// `builtins.replaceStrings from to s`, as C++ Nix does it: the `from` strings are forced in
/// order (their contexts are ignored), then `s`; at each position the first matching `from`
/// wins (an empty one matches everywhere, including at the end), and its replacement is forced
/// when first used. The result has the context of `s` and of the replacements used.
final class ReplaceStringsFrame: NativeFrame {
    private enum Phase {
        case from, subject, scanning
    }

    let fromList: NixList
    let toList: NixList
    let subjectValue: Value
    let context: BuiltinContext
    private var phase = Phase.from
    private var patterns: [NixString] = []
    private var replacements: [NixString?]
    private var subject: NixString? = nil
    private var contexts: [Value] = []
    private var result: [UInt8] = []
    private var position = 0
    /// The index of the replacement being forced.
    private var pending = -1

    init(from: NixList, to: NixList, subject: Value, context: BuiltinContext) {
        fromList = from
        toList = to
        subjectValue = subject
        self.context = context
        replacements = Array(repeating: nil, count: to.count)
        patterns.reserveCapacity(from.count)
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        switch phase {
        case .from:
            if let input { patterns.append(try context.string(input)) }
            if patterns.count < fromList.count { return .force(fromList[patterns.count]) }
            phase = .subject
            return .force(subjectValue)
        case .subject:
            let s = try context.string(input!)
            subject = s
            if let c = s.context { contexts.append(c.value) }
            result.reserveCapacity(s.count)
            phase = .scanning
        case .scanning:
            let r = try context.string(input!)
            replacements[pending] = r
            if let c = r.context { contexts.append(c.value) }
            apply(pending, r)
        }
        return try scan(vm)
    }

    /// Appends replacement `i` at the current position and moves past the match.
    private func apply(_ i: Int, _ r: NixString) {
        result.append(contentsOf: r.bytes)
        let bytes = subject!.bytes
        if patterns[i].count == 0 {
            if position < bytes.count { result.append(bytes[position]) }
            position += 1
        } else {
            position += patterns[i].count
        }
    }

    private func scan(_ vm: VM) throws -> NativeStep {
        let bytes = subject!.bytes
        let n = bytes.count
        scanning: while position <= n {
            for (i, pattern) in patterns.enumerated() {
                let m = pattern.count
                guard m <= n - position else { continue }
                if m > 0 {
                    let p = pattern.bytes
                    if p[0] != bytes[position] { continue }
                    var k = 1
                    while k < m && p[k] == bytes[position + k] { k += 1 }
                    if k < m { continue }
                }
                if let r = replacements[i] {
                    apply(i, r)
                    continue scanning
                }
                pending = i
                return .force(toList[i])
            }
            if position < n { result.append(bytes[position]) }
            position += 1
        }
        let merged = contexts.isEmpty ? nil : vm.mergeContexts(contexts)
        return .done(vm.heap.string(result, context: merged))
    }
}
