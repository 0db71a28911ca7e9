// Debugging builtins: `warn` and `break` (without a debugger, `break` returns its argument).

extension Builtins {
    static let debug: [BuiltinDefinition] = [
        .lazy("warn", 2, strict: [0]) { c, a in
            let message = try c.string(a[0])
            c.vm.diagnostics(formatWarning(Array(message.bytes)) + "\n")
            if c.program.settings.abortOnWarn {
                throw c.error("aborting to reveal stack trace of warning, as abort-on-warn is set")
            }
            return a[1]
        },
        .lazy("break", 1, strict: []) { _, a in a[0] },
    ]

    /// A warning from an expression as C++ Nix logs it: "evaluation warning: " before the first
    /// line, continuation lines indented to match, trailing whitespace removed from the message
    /// and from every line.
    static func formatWarning(_ message: [UInt8]) -> String {
        func chomp(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            var end = s.endIndex
            while end > s.startIndex, [32, 10, 13, 9].contains(s[end - 1]) { end -= 1 }
            return s[s.startIndex..<end]
        }
        let prefix = Array("evaluation warning: ".utf8)
        let indent = [UInt8](repeating: 32, count: prefix.count)
        var rest = chomp(message[...])
        var out: [UInt8] = []
        var first = true
        while !rest.isEmpty {
            let end = rest.firstIndex(of: 10)
            if !first { out.append(10) }
            out += chomp(((first ? prefix : indent) + rest[rest.startIndex..<(end ?? rest.endIndex)])[...])
            first = false
            guard let end else { break }
            rest = rest[(end + 1)...]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
