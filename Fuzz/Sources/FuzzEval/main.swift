// libFuzzer harness: bytes -> `swix instantiate --eval --strict -` under limits (heap, call
// depth, call budget, no file access): a value or a located error, never a crash or a hang.

import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEval(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzRun.instantiate(FuzzRun.limits + ["--eval", "--strict", "-"], input: FuzzRun.bytes(data, size))
    return 0
}
