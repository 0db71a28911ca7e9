// libFuzzer harness: bytes -> `swix instantiate --parse -` (a syntax tree or a located error).

import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzRun.instantiate(["--parse", "-"], input: FuzzRun.bytes(data, size))
    return 0
}
