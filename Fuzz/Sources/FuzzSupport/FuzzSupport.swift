// Shared by the libFuzzer harnesses: runs `swix instantiate` in-process on fuzz input and
// checks the outcome (a result, or an `error:` message with exit status 1: never anything else).

import CLibFuzzer
import SwixCLI

#if canImport(Glibc)
import Glibc
#endif

public enum FuzzRun {
    /// Settings that keep one input bounded: a heap limit, a call-depth limit, no file access
    /// (restricted evaluation with an empty search path) and, in fuzzing builds, a call budget.
    public static let limits = ["--max-heap", "256M", "--max-call-depth", "10000", "--restrict-eval"]

    /// Runs `swix instantiate ARGUMENTS` with `input` as standard input and checks the result.
    @discardableResult
    public static func instantiate(_ arguments: [String], input: [UInt8]) -> InvocationResult {
        let r = SwixCommandLine.run(Invocation(arguments: ["instantiate"] + arguments, environment: ["HOME": "/nonexistent"],
                                               currentDirectory: "/nonexistent", readStandardInput: { input }))
        check(r)
        return r
    }

    /// A failure that is not an `error:` message is a bug: abort so that libFuzzer keeps the input.
    static func check(_ r: InvocationResult) {
        let err = r.stderrText
        if r.exitCode == 0 { return }
        if r.exitCode == 1 && (err.hasPrefix("error:") || err.contains("\nerror:")) { return }
        fputs("unexpected outcome: exit \(r.exitCode)\n\(err.prefix(2000))\n", stderr)
        abort()
    }

    /// Runs libFuzzer's driver with the process arguments and `callback` as the fuzz target.
    public static func main(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        return LLVMFuzzerRunDriver(&argc, &argv, callback)
    }

    /// The fuzz input as bytes.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    }
}
