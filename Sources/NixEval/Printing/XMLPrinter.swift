// Prints values as XML, as `nix-instantiate --eval --xml` does (C++ Nix's value-to-xml.cc
// with its indenting XMLWriter), with an explicit work stack (no recursion).

import NixSyntax

/// Renders a value as the `<expr>` document of `nix-instantiate --eval --xml`.
///
/// With `strict`, every value is forced as it is reached (in printing order, attributes by
/// name), as C++ Nix does; without it, values not yet evaluated print as `<unevaluated />`.
/// Builtins and partially applied builtins always print as `<unevaluated />`. A set whose
/// `type` is `"derivation"` prints as `<derivation drvPath=… outPath=…>`, with its attributes
/// only the first time its `drvPath` is seen (later ones, and those without a string
/// `drvPath`, contain `<repeated />`).
struct XMLPrinter {
    let vm: VM
    let showLocation: Bool
    var strict: Bool = true

    /// Deeper nesting fails like C++ Nix does when it runs out of stack (cyclic values).
    static let maxDepth = 10_000

    init(vm: VM, showLocation: Bool, strict: Bool = true) {
        self.vm = vm
        self.showLocation = showLocation
        self.strict = strict
    }

    private enum Item {
        case value(Value)
        /// `<attr name=…>`, the attribute's value, then `</attr>`.
        case attr(Symbol, Value)
        case close(StaticString)
    }

    /// The value's XML attributes, in name order (C++ keeps them in a `std::map`).
    private typealias XMLAttrs = [(StaticString, [UInt8])]

    private struct Writer {
        var out: [UInt8] = []
        var level = 0

        mutating func emit(_ s: StaticString) {
            out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
        }

        mutating func indent() {
            out.append(contentsOf: repeatElement(32, count: 2 * level))
        }

        mutating func writeAttrs(_ attrs: XMLAttrs) {
            for (name, value) in attrs {
                out.append(32)
                emit(name)
                emit("=\"")
                for c in value {
                    switch c {
                    case 34: emit("&quot;")
                    case 60: emit("&lt;")
                    case 62: emit("&gt;")
                    case 38: emit("&amp;")
                    case 10: emit("&#xA;")
                    default: out.append(c)
                    }
                }
                out.append(34)
            }
        }

        mutating func open(_ name: StaticString, _ attrs: XMLAttrs = []) {
            indent()
            out.append(60)
            emit(name)
            writeAttrs(attrs)
            emit(">\n")
            level += 1
        }

        mutating func close(_ name: StaticString) {
            level -= 1
            indent()
            emit("</")
            emit(name)
            emit(">\n")
        }

        mutating func empty(_ name: StaticString, _ attrs: XMLAttrs = []) {
            indent()
            out.append(60)
            emit(name)
            writeAttrs(attrs)
            emit(" />\n")
        }
    }

    func print(_ root: Value) throws -> [UInt8] {
        var w = Writer()
        w.emit("<?xml version='1.0' encoding='utf-8'?>\n")
        w.open("expr")
        var work: [Item] = [.close("expr"), .value(root)]
        var drvsSeen = Set<[UInt8]>()
        let symbols = vm.program.symbols
        let names = vm.program.names
        while let item = work.popLast() {
            switch item {
            case .close(let name):
                w.close(name)
            case .attr(let name, let value):
                w.open("attr", [("name", Array(symbols.bytes(name)))])
                work.append(.close("attr"))
                work.append(.value(value))
            case .value(let raw):
                if w.level > XMLPrinter.maxDepth {
                    throw EvalError(.other, "stack overflow (possible infinite recursion)")
                }
                guard let v = try resolve(raw, force: strict) else {
                    w.empty("unevaluated")
                    continue
                }
                if let n = v.intValue {
                    w.empty("int", [("value", Array(String(n).utf8))])
                    continue
                }
                switch v.type {
                case .int: break
                case .null: w.empty("null")
                case .bool: w.empty("bool", [("value", Array((v == .true ? "true" : "false").utf8))])
                case .float: w.empty("float", [("value", Array(NumberFormatting.formatG(v.floatValue).utf8))])
                case .string: w.empty("string", [("value", Array(v.asString.bytes))])
                case .path: w.empty("path", [("value", Array(v.asPath.bytes))])
                case .list:
                    let l = v.asList
                    w.open("list")
                    work.append(.close("list"))
                    for i in stride(from: l.count - 1, through: 0, by: -1) { work.append(.value(l[i])) }
                case .set:
                    let s = v.asAttrs
                    if try isDerivation(s) {
                        var attrs: XMLAttrs = []
                        var drvPath: [UInt8] = []
                        if let d = s[names.drvPath], let dv = try resolve(d, force: strict), dv.type == .string {
                            drvPath = Array(dv.asString.bytes)
                            attrs.append(("drvPath", drvPath))
                        }
                        if let o = s[names.outPath], let ov = try resolve(o, force: strict), ov.type == .string {
                            attrs.append(("outPath", Array(ov.asString.bytes)))
                        }
                        w.open("derivation", attrs)
                        work.append(.close("derivation"))
                        if !drvPath.isEmpty && drvsSeen.insert(drvPath).inserted {
                            pushAttrs(s, &work)
                        } else {
                            w.empty("repeated")
                        }
                    } else {
                        w.open("attrs")
                        work.append(.close("attrs"))
                        pushAttrs(s, &work)
                    }
                case .lambda:
                    guard v.isObject(.closure) else {
                        // Builtins and partial applications of builtins (C++: "FIXME").
                        w.empty("unevaluated")
                        continue
                    }
                    let proto = vm.program.protos[v.asClosure.protoIndex]
                    w.open("function", showLocation ? location(proto) : [])
                    if let info = proto.formals.first {
                        var attrs: XMLAttrs = []
                        if info.ellipsis { attrs.append(("ellipsis", Array("1".utf8))) }
                        if let arg = proto.argName { attrs.append(("name", Array(symbols.bytes(arg)))) }
                        w.open("attrspat", attrs)
                        let sorted = info.names.sorted { symbols.lexicographicallyPrecedes($0, $1) }
                        for name in sorted { w.empty("attr", [("name", Array(symbols.bytes(name)))]) }
                        w.close("attrspat")
                    } else {
                        w.empty("varpat", [("name", proto.argName.map { Array(symbols.bytes($0)) } ?? [])])
                    }
                    w.close("function")
                }
            }
        }
        return w.out
    }

    /// The value in weak head normal form, forcing it if asked; nil for an unevaluated thunk.
    private func resolve(_ v: Value, force: Bool) throws -> Value? {
        guard v.isThunk else { return v }
        if force { return try vm.force(v) }
        let t = v.asThunk
        return t.state == .evaluated ? t.result : nil
    }

    /// C++ `EvalState::isDerivation`: forces `type` (even without `--strict`).
    private func isDerivation(_ s: NixAttrs) throws -> Bool {
        guard let t = s[vm.program.names.type] else { return false }
        let v = try vm.force(t)
        return v.type == .string && v.asString.bytes.elementsEqual("derivation".utf8)
    }

    private func pushAttrs(_ s: NixAttrs, _ work: inout [Item]) {
        for i in vm.nameOrder(s).reversed() {
            work.append(.attr(s.symbol(at: i), s.value(at: i)))
        }
    }

    /// `column`, `line` and (for files) `path` of a lambda, in the order C++ Nix writes them.
    private func location(_ proto: Proto) -> XMLAttrs {
        let loc = proto.source.location(of: Int(proto.span.start))
        var attrs: XMLAttrs = [("column", Array(String(loc.column).utf8)), ("line", Array(String(loc.line).utf8))]
        if case .file(let path) = proto.source.origin { attrs.append(("path", Array(path.utf8))) }
        return attrs
    }
}
