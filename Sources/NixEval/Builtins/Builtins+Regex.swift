// `builtins.match` and `builtins.split`: POSIX extended regular expressions with the results
// of C++ Nix's `std::regex` (see Documentation/Regex.md).

import NixSyntax
#if canImport(Glibc)
import Glibc
#endif

extension Builtins {
    static let regex: [BuiltinDefinition] = [
        .valueOrFrame("match", 2, strict: [0]) { c, a in
            // The pattern is compiled before the subject is forced.
            let program = try c.regexProgram(a[0])
            if let s = c.vm.readyValue(a[1]) { return .value(try c.regexMatch(program, s)) }
            return .frame(RegexFrame(program: program, subject: a[1], split: false, context: c))
        },
        .valueOrFrame("split", 2, strict: [0]) { c, a in
            let program = try c.regexProgram(a[0])
            if let s = c.vm.readyValue(a[1]) { return .value(try c.regexSplit(program, s)) }
            return .frame(RegexFrame(program: program, subject: a[1], split: true, context: c))
        },
    ]
}

/// Forces the subject of `match`/`split`, then matches.
final class RegexFrame: NativeFrame {
    let program: RegexProgram
    let subject: Value
    let split: Bool
    let context: BuiltinContext

    init(program: RegexProgram, subject: Value, split: Bool, context: BuiltinContext) {
        self.program = program
        self.subject = subject
        self.split = split
        self.context = context
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        guard let s = input else { return .force(subject) }
        return .done(split ? try context.regexSplit(program, s) : try context.regexMatch(program, s))
    }
}

extension BuiltinContext {
    /// The first argument of `match`/`split`: a string without context, compiled (and cached
    /// for the evaluation) as `std::regex(…, std::regex::extended)`.
    func regexProgram(_ v: Value) throws -> RegexProgram {
        let pattern = try stringNoContext(v)
        // Loops usually match one pattern over and over: compare with the last one (a memcmp)
        // before hashing the pattern for the cache.
        if let last = program.lastRegex, last.key.count == pattern.bytes.count,
           last.key.withUnsafeBufferPointer({ key in
               guard let a = key.baseAddress, let b = pattern.bytes.baseAddress else { return key.isEmpty }
               return memcmp(a, b, key.count) == 0
           }) {
            return last.program
        }
        let key = Array(pattern.bytes)
        if let cached = program.regexCache[key] {
            program.lastRegex = (key, cached)
            return cached
        }
        do {
            let compiled = try RegexProgram.compile(key)
            program.regexCache[key] = compiled
            program.lastRegex = (key, compiled)
            return compiled
        } catch RegexError.tooManyStates {
            throw error("memory limit exceeded by regular expression '\(pattern.text)'")
        } catch {
            throw self.error("invalid regular expression '\(pattern.text)'")
        }
    }

    /// The captures of a group as a string, or null when the group did not take part.
    private func capture(_ slots: [Int], _ group: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Value {
        let start = slots[2 * group], end = slots[2 * group + 1]
        guard end >= 0 else { return .null }
        return heap.string(bytes[start..<end])
    }

    private func captureList(_ slots: [Int], _ groups: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Value {
        let list = heap.list(count: groups - 1)
        for g in 1..<groups { list[g - 1] = capture(slots, g, bytes) }
        return list.value
    }

    /// `builtins.match`: null, or the list of groups (without context).
    func regexMatch(_ regex: RegexProgram, _ v: Value) throws -> Value {
        let s = try string(v)
        guard let slots = regex.matchWhole(s.bytes) else { return .null }
        return captureList(slots, regex.groupCount, s.bytes)
    }

    /// `builtins.split`: the text between matches alternating with the matches' groups; the
    /// subject itself (with its context) when nothing matches.
    func regexSplit(_ regex: RegexProgram, _ v: Value) throws -> Value {
        let s = try string(v)
        let bytes = s.bytes
        let matches = regex.allMatches(bytes)
        if matches.isEmpty { return heap.list([v]) }
        let list = heap.list(count: 2 * matches.count + 1)
        var previous = 0
        for (i, m) in matches.enumerated() {
            list[2 * i] = heap.string(bytes[previous..<m[0]])
            list[2 * i + 1] = captureList(m, regex.groupCount, bytes)
            previous = m[1]
        }
        list[2 * matches.count] = heap.string(bytes[previous..<bytes.count])
        return list.value
    }
}
