// libFuzzer harness: bytes -> `swix instantiate --eval --strict -` under limits (heap, call
// depth, call budget, no file access): a value or a located error, never a crash or a hang.

import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEval(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzRun.instantiate(FuzzRun.limits + ["--eval", "--strict", "-"], input: FuzzRun.bytes(data, size))
    return 0
}

/// The entry point SwiftPM links as `main` (-parse-as-library leaves no top-level code).
@_cdecl("FuzzEval_main")
public func fuzzEvalMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzRun.main { data, size in fuzzEval(data, size) }
}
