// Formats doubles like C's `%g` (six significant digits), which is how C++ Nix prints floats.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Number formatting shared by the AST printer and the value printers.
public enum NumberFormatting {
    /// `printf("%g", d)`: `1`, `0.1`, `1e+20`, `1.23457e+08`, `inf`, `-nan`.
    public static func formatG(_ d: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBufferPointer { p -> Int32 in
            withVaList([d]) { vsnprintf(p.baseAddress, 64, "%g", $0) }
        }
        let bytes = buffer[0..<Int(max(0, min(n, 63)))].map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension NumberFormatting {
    /// `printf(spec, d)` for a single floating-point conversion such as `%f`.
    public static func format(_ spec: String, _ d: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 400)
        let n = buffer.withUnsafeMutableBufferPointer { p -> Int32 in
            withVaList([d]) { vsnprintf(p.baseAddress, 400, spec, $0) }
        }
        let bytes = buffer[0..<Int(max(0, min(n, 399)))].map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
