// libFuzzer harness for the data formats: the first byte picks `builtins.fromJSON`,
// `builtins.fromTOML`, `builtins.match` or `builtins.split`; the rest is the text (for the
// regular expressions: pattern, a NUL byte, then the subject).

import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormats(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = FuzzRun.bytes(data, size)
    let rest = Array(bytes.dropFirst())
    let eval = FuzzRun.limits + ["--eval", "--strict"]
    switch bytes[0] % 4 {
    case 0:
        FuzzRun.instantiate(eval + ["--arg-from-stdin", "s", "-E", "{ s }: builtins.fromJSON s"], input: rest)
    case 1:
        FuzzRun.instantiate(eval + ["--arg-from-stdin", "s", "-E", "{ s }: builtins.fromTOML s"], input: rest)
    default:
        let cut = rest.firstIndex(of: 0) ?? rest.count
        let pattern = String(decoding: rest[..<cut], as: UTF8.self)
        let subject = Array(rest[min(cut + 1, rest.count)...])
        let builtin = bytes[0] % 4 == 2 ? "match" : "split"
        FuzzRun.instantiate(eval + ["--argstr", "p", pattern, "--arg-from-stdin", "s", "-E", "{ p, s }: builtins.\(builtin) p s"],
                            input: subject)
    }
    return 0
}

/// The entry point SwiftPM links as `main` (-parse-as-library leaves no top-level code).
@_cdecl("FuzzFormats_main")
public func fuzzFormatsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzRun.main { data, size in fuzzFormats(data, size) }
}
