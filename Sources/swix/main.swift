// The `swix` executable: runs the command line and writes its output.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SwixCLI

/// Writes all bytes to a file descriptor.
func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            return
        }
        offset += n
    }
}

let result = SwixCommandLine.run(Invocation.current())
writeAll(1, result.stdout)
writeAll(2, result.stderr)
exit(result.exitCode)
