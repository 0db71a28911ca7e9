// libFuzzer harness: bytes -> `swix instantiate --parse -` (a syntax tree or a located error).

import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzRun.instantiate(["--parse", "-"], input: FuzzRun.bytes(data, size))
    return 0
}

/// The entry point SwiftPM links as `main` (-parse-as-library leaves no top-level code).
@_cdecl("FuzzParser_main")
public func fuzzParserMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzRun.main { data, size in fuzzParser(data, size) }
}
