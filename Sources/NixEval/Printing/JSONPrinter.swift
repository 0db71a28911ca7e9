// Prints values as JSON, as `nix-instantiate --eval --json` does: forcing as it goes, sets with
// `__toString` or `outPath` as strings. It runs at the top level (never inside a builtin), so it
// may use the evaluator's `force` and run coercion frames.

import NixStore
import NixSyntax

struct JSONPrinter {
    let vm: VM
    /// With `--strict` values are forced while printing; otherwise an unevaluated part is an error.
    var strict = true

    func print(_ root: Value) throws -> [UInt8] {
        enum Item { case value(Value), text(String) }
        var out: [UInt8] = []
        var work: [Item] = [.value(root)]
        while let item = work.popLast() {
            switch item {
            case .text(let t):
                out += t.utf8
            case .value(let raw):
                if !strict && raw.isThunk && raw.asThunk.state != .evaluated {
                    throw EvalError(.other, "cannot convert a thunk to JSON")
                }
                let v = try vm.force(raw)
                if let n = v.intValue { out += String(n).utf8; continue }
                switch v.type {
                case .null: out += "null".utf8
                case .bool: out += (v == .true ? "true" : "false").utf8
                case .float: out += jsonFloat(v.floatValue).utf8
                case .string: appendJSONString(v.asString.bytes, &out)
                case .path:
                    let p = try vm.copyPathToStore(Array(v.asPath.bytes), span: nil)
                    appendJSONString(Array(vm.program.storeDirectory.print(p).utf8), &out)
                case .list:
                    let l = v.asList
                    out += "[".utf8
                    work.append(.text("]"))
                    for i in stride(from: l.count - 1, through: 0, by: -1) {
                        work.append(.value(l[i]))
                        if i > 0 { work.append(.text(",")) }
                    }
                case .set:
                    let s = v.asAttrs
                    if s.index(of: vm.program.names.toStringAttr) != nil {
                        let string = try vm.runNative(CoerceToStringFrame(v, span: nil, mode: .interpolation))
                        appendJSONString(string.asString.bytes, &out)
                        continue
                    }
                    if let o = s[vm.program.names.outPath] {
                        work.append(.value(o))
                        continue
                    }
                    out += "{".utf8
                    work.append(.text("}"))
                    let order = vm.nameOrder(s)
                    for (k, i) in order.enumerated().reversed() {
                        work.append(.value(s.value(at: i)))
                        var key: [UInt8] = []
                        appendJSONString(vm.program.symbols.bytes(s.symbol(at: i)), &key)
                        work.append(.text((k > 0 ? "," : "") + String(decoding: key, as: UTF8.self) + ":"))
                    }
                case .lambda:
                    throw EvalError(.other, "cannot convert a function to JSON")
                case .int: break
                }
            }
        }
        return out
    }

    /// A float as nlohmann::json (used by C++ Nix) writes it: the shortest round-trip digits,
    /// in fixed notation while the decimal point is within 15 digits, else `d.ddde+XX`.
    func jsonFloat(_ d: Double) -> String {
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        if !d.isFinite { return "null" }
        // Shortest digits and decimal-point position from Swift's round-trip description.
        let text = d.magnitude.description
        let parts = text.split(separator: "e")
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(mantissa[0]), fraction = mantissa.count > 1 ? String(mantissa[1]) : ""
        var digits = Array(whole + fraction)
        var point = whole.count + exponent
        while digits.count > 1 && digits.last == "0" { digits.removeLast() }
        while digits.count > 1 && digits.first == "0" { digits.removeFirst(); point -= 1 }
        let k = digits.count, n = point
        var out = d < 0 ? "-" : ""
        if k <= n && n <= 15 {
            out += String(digits) + String(repeating: "0", count: n - k) + ".0"
        } else if 0 < n && n <= 15 {
            out += String(digits[..<n]) + "." + String(digits[n...])
        } else if -4 < n && n <= 0 {
            out += "0." + String(repeating: "0", count: -n) + String(digits)
        } else {
            out += String(digits[0])
            if k > 1 { out += "." + String(digits[1...]) }
            let e = n - 1
            out += "e" + (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
        }
        return out
    }

    func appendJSONString<C: Collection>(_ s: C, _ out: inout [UInt8]) where C.Element == UInt8 {
        out.append(34)
        for c in s {
            switch c {
            case 34: out += [92, 34]
            case 92: out += [92, 92]
            case 10: out += [92, 110]
            case 13: out += [92, 114]
            case 9: out += [92, 116]
            case 8: out += [92, 98]
            case 12: out += [92, 102]
            case 0..<32:
                let hex = Array("0123456789abcdef".utf8)
                out += [92, 117, 48, 48, hex[Int(c >> 4)], hex[Int(c & 15)]]
            default: out.append(c)
            }
        }
        out.append(34)
    }
}

extension String {
    init(format6Trimmed d: Double) {
        self = NumberFormatting.format("%.1f", d)
    }
}
