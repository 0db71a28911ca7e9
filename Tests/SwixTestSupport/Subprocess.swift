// Running a command as a subprocess with a time limit, for tests that drive the built `swix`
// (and shell scripts that call it) the way a user would.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What a finished subprocess did.
public struct SubprocessResult {
    public var exitStatus: Int32 = 0
    /// Killed by a signal (`exitStatus` is then the signal number).
    public var signaled = false
    public var timedOut = false
    public var stdout = ""
    public var stderr = ""
    /// Set when the process could not be started; the other fields are then meaningless.
    public var launchError: String? = nil

    public init() {}

    /// A short description of how it ended: "exit status 1", "killed by signal 11", …
    public var outcome: String {
        launchError ?? (timedOut ? "timed out (killed)" : signaled ? "killed by signal \(exitStatus)" : "exit status \(exitStatus)")
    }
}

public enum Subprocess {
    /// Runs `executable` with `arguments` in `directory`; stdin from `standardInput` (or /dev/null);
    /// stdout and stderr are collected through temporary files in `scratch`. A run longer than
    /// `timeout` seconds is killed with SIGKILL.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String,
        standardInput: String? = nil, scratch: String, timeout: TimeInterval
    ) -> SubprocessResult {
        var result = SubprocessResult()
        let token = UUID().uuidString
        let outPath = scratch + "/\(token).out"
        let errPath = scratch + "/\(token).err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        guard let outHandle = FileHandle(forWritingAtPath: outPath),
              let errHandle = FileHandle(forWritingAtPath: errPath),
              let inHandle = FileHandle(forReadingAtPath: standardInput ?? "/dev/null")
        else {
            result.launchError = "cannot open the files for stdin/stdout/stderr"
            return result
        }
        defer {
            try? outHandle.close()
            try? errHandle.close()
            try? inHandle.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = inHandle
        process.standardOutput = outHandle
        process.standardError = errHandle
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            result.launchError = "cannot run \(executable): \(error)"
            return result
        }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            result.timedOut = true
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
        }
        process.waitUntilExit()
        result.exitStatus = process.terminationStatus
        result.signaled = process.terminationReason == .uncaughtSignal
        result.stdout = TestData.readText(outPath) ?? ""
        result.stderr = TestData.readText(errPath) ?? ""
        return result
    }

    /// A fresh scratch directory under the system's temporary directory.
    public static func makeScratchDirectory(_ prefix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(getpid())-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
