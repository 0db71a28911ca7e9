// C++ Nix's XMLWriter with indentation: elements and escaped attributes.

/// An element's XML attributes, in name order (C++ keeps them in a `std::map`).
typealias XMLAttributes = [(StaticString, [UInt8])]

/// Writes indented XML as C++ Nix's `XMLWriter` does (two spaces per level).
struct XMLWriter {
    var out: [UInt8] = []
    var level = 0

    mutating func emit(_ s: StaticString) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    mutating func indent() {
        out.append(contentsOf: repeatElement(32, count: 2 * level))
    }

    mutating func writeAttrs(_ attrs: XMLAttributes) {
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

    mutating func open(_ name: StaticString, _ attrs: XMLAttributes = []) {
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

    mutating func empty(_ name: StaticString, _ attrs: XMLAttributes = []) {
        indent()
        out.append(60)
        emit(name)
        writeAttrs(attrs)
        emit(" />\n")
    }
}
