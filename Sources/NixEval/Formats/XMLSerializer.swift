// The one XML serialiser of Swix (`builtins.toXML` and `nix-instantiate --eval --xml`): C++
// Nix's value-to-xml.cc as a resumable frame with an explicit work stack, forcing values
// through the VM in C++'s order.

import NixSyntax

/// Renders a value as the `<expr>` document C++ Nix's `printValueAsXML` writes. The frame
/// finishes with the document as a string whose context is that of the strings it contains.
///
/// With `strict`, every value is forced as it is reached (in printing order, attributes by
/// name), as C++ Nix does; without it, values not yet evaluated print as `<unevaluated />`.
/// Builtins and partially applied builtins always print as `<unevaluated />`. A set whose
/// `type` is `"derivation"` (`type` is forced even without `strict`) prints as
/// `<derivation drvPath=… outPath=…>`, with its attributes only the first time its `drvPath`
/// is seen (later ones, and those without a string `drvPath`, contain `<repeated />`).
/// `showLocation` adds lambda positions (`--xml` without `--no-location`; never `toXML`).
final class XMLSerializer: NativeFrame {
    /// Deeper nesting fails like C++ Nix does when it runs out of stack (cyclic values).
    static let maxDepth = 10_000

    private enum Item {
        case value(Value)
        /// `<attr name=…>`, the attribute's value, then `</attr>`; the attribute's position index.
        case attr(Symbol, Value, UInt32)
        case close(StaticString)
    }

    let strict: Bool
    let showLocation: Bool
    let span: Span?
    private var w = XMLWriter()
    private var work: [Item]
    private var drvsSeen = Set<[UInt8]>()
    private var contexts: [Value] = []

    init(_ root: Value, strict: Bool, showLocation: Bool, span: Span?) {
        self.strict = strict
        self.showLocation = showLocation
        self.span = span
        w.emit("<?xml version='1.0' encoding='utf-8'?>\n")
        w.open("expr")
        work = [.close("expr"), .value(root)]
    }

    func resume(_ vm: VM, _ input: Value?) throws -> NativeStep {
        // An input is a value forced for an item that was pushed again: it now finds it evaluated.
        let names = vm.program.names
        while let item = work.popLast() {
            let raw: Value
            switch item {
            case .close(let name):
                w.close(name)
                continue
            case .attr(let name, let value, let position):
                w.open("attr", attributeAttrs(vm, name, position))
                work.append(.close("attr"))
                work.append(.value(value))
                continue
            case .value(let v):
                raw = v
            }
            if w.level > XMLSerializer.maxDepth {
                throw EvalError(.other, "stack overflow (possible infinite recursion)", span: span)
            }
            guard let v = vm.readyValue(raw) else {
                if strict {
                    work.append(item)
                    return .force(raw)
                }
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
            case .string:
                let s = v.asString
                if let c = s.context { contexts.append(c.value) }
                w.empty("string", [("value", Array(s.bytes))])
            case .path: w.empty("path", [("value", Array(v.asPath.bytes))])
            case .list:
                let l = v.asList
                w.open("list")
                work.append(.close("list"))
                for i in stride(from: l.count - 1, through: 0, by: -1) { work.append(.value(l[i])) }
            case .set:
                let s = v.asAttrs
                // C++ `isDerivation` forces `type`; then `drvPath` and `outPath` when strict.
                for name in [names.type, names.drvPath, names.outPath] {
                    if let a = s[name], vm.readyValue(a) == nil, name == names.type || strict && isDerivation(vm, s) {
                        work.append(item)
                        return .force(a)
                    }
                }
                if isDerivation(vm, s) {
                    var attrs: XMLAttributes = []
                    var drvPath: [UInt8] = []
                    if let d = s[names.drvPath].flatMap(vm.readyValue), d.isObject(.string) {
                        drvPath = Array(d.asString.bytes)
                        attrs.append(("drvPath", drvPath))
                    }
                    if let o = s[names.outPath].flatMap(vm.readyValue), o.isObject(.string) {
                        attrs.append(("outPath", Array(o.asString.bytes)))
                    }
                    w.open("derivation", attrs)
                    work.append(.close("derivation"))
                    if !drvPath.isEmpty && drvsSeen.insert(drvPath).inserted {
                        pushAttrs(vm, s)
                    } else {
                        w.empty("repeated")
                    }
                } else {
                    w.open("attrs")
                    work.append(.close("attrs"))
                    pushAttrs(vm, s)
                }
            case .lambda:
                writeFunction(vm, v)
            }
        }
        let context = contexts.isEmpty ? nil : vm.mergeContexts(contexts)
        return .done(vm.heap.string(w.out, context: context))
    }

    /// What C++ Nix has written when the serialisation fails now: the document so far, with
    /// the open elements closed (its XML writer closes them while the error unwinds).
    var partialOutput: [UInt8] {
        var writer = w
        for case .close(let name) in work.reversed() { writer.close(name) }
        return writer.out
    }

    /// Whether `type` is (already evaluated to) the string "derivation".
    private func isDerivation(_ vm: VM, _ s: NixAttrs) -> Bool {
        guard let t = s[vm.program.names.type].flatMap(vm.readyValue), t.isObject(.string) else { return false }
        return t.asString.bytes.elementsEqual("derivation".utf8)
    }

    private func pushAttrs(_ vm: VM, _ s: NixAttrs) {
        for i in vm.nameOrder(s).reversed() {
            work.append(.attr(s.symbol(at: i), s.value(at: i), s.position(at: i)))
        }
    }

    /// `<function>` with its argument pattern; builtins are `<unevaluated />` (C++: "FIXME").
    private func writeFunction(_ vm: VM, _ v: Value) {
        guard v.isObject(.closure) else {
            w.empty("unevaluated")
            return
        }
        let symbols = vm.program.symbols
        let proto = vm.program.protos[v.asClosure.protoIndex]
        w.open("function", showLocation ? location(proto) : [])
        if let info = proto.formals.first {
            var attrs: XMLAttributes = []
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

    /// An `<attr>` element's attributes: its name and, with `showLocation`, where it was
    /// defined (when known), in the order C++ Nix writes them.
    private func attributeAttrs(_ vm: VM, _ name: Symbol, _ position: UInt32) -> XMLAttributes {
        let nameAttr: (StaticString, [UInt8]) = ("name", Array(vm.program.symbols.bytes(name)))
        let positions = vm.program.attrPositions
        guard showLocation, position != 0, Int(position) < positions.count else { return [nameAttr] }
        let span = positions[Int(position)]
        let loc = span.startLocation
        var attrs: XMLAttributes = [("column", Array(String(loc.column).utf8)), ("line", Array(String(loc.line).utf8)), nameAttr]
        if let path = span.file.origin.positionPath { attrs.append(("path", Array(path.utf8))) }
        return attrs
    }

    /// `column`, `line` and (for files) `path` of a lambda, in the order C++ Nix writes them.
    private func location(_ proto: Proto) -> XMLAttributes {
        let loc = proto.source.location(of: Int(proto.span.start))
        var attrs: XMLAttributes = [("column", Array(String(loc.column).utf8)), ("line", Array(String(loc.line).utf8))]
        if let path = proto.source.origin.positionPath { attrs.append(("path", Array(path.utf8))) }
        return attrs
    }
}
