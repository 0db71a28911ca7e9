// Prints deeply forced values as JSON, as `nix-instantiate --eval --json` does.

import NixSyntax

struct JSONPrinter {
    let vm: VM

    func print(_ root: Value) throws -> [UInt8] {
        enum Item { case value(Value), text(String) }
        var out: [UInt8] = []
        var work: [Item] = [.value(root)]
        while let item = work.popLast() {
            switch item {
            case .text(let t):
                out += t.utf8
            case .value(let raw):
                var v = raw
                if v.isThunk { v = v.asThunk.result }
                if let n = v.intValue { out += String(n).utf8; continue }
                switch v.type {
                case .null: out += "null".utf8
                case .bool: out += (v == .true ? "true" : "false").utf8
                case .float: out += jsonFloat(v.floatValue).utf8
                case .string: appendJSONString(v.asString.bytes, &out)
                case .path:
                    throw EvalError(.other, "copying the path '\(v.asPath.text)' to the store is not supported yet")
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

    func jsonFloat(_ d: Double) -> String {
        // nlohmann::json prints the shortest representation that round-trips.
        if d == d.rounded() && abs(d) < 1e16 { return String(format6Trimmed: d) }
        return "\(d)"
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
