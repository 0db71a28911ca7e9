// One run of the command-line tool as plain data: arguments, environment and I/O, so commands are testable in-process.

import NixEval

/// Everything a command reads from its process: arguments, environment, directory and stdin.
public struct Invocation: Sendable {
    /// Arguments after the program name, e.g. `["instantiate", "--parse", "-"]`.
    public var arguments: [String]
    public var environment: [String: String]
    /// Absolute path of the working directory.
    public var currentDirectory: String
    /// Reads standard input when a command needs it.
    public var readStandardInput: @Sendable () -> [UInt8]
    /// Keep large objects alive instead of freeing them (the process exits right after the run).
    public var processExitsAfterRun = false

    public init(arguments: [String], environment: [String: String], currentDirectory: String,
                readStandardInput: @escaping @Sendable () -> [UInt8], processExitsAfterRun: Bool = false) {
        self.arguments = arguments
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.readStandardInput = readStandardInput
        self.processExitsAfterRun = processExitsAfterRun
    }

    /// The invocation of the running process.
    public static func current() -> Invocation {
        Invocation(
            arguments: Array(CommandLine.arguments.dropFirst()),
            environment: SystemIO.processEnvironment(),
            currentDirectory: SystemIO.currentDirectory(),
            readStandardInput: { (try? SystemIO.readAll(0, path: "/dev/stdin")) ?? [] },
            processExitsAfterRun: true)
    }
}

/// What a command produced.
public struct InvocationResult: Sendable {
    public var exitCode: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public init(exitCode: Int32 = 0, stdout: [UInt8] = [], stderr: [UInt8] = []) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Collects output of a command.
struct OutputSink {
    var stdout: [UInt8] = []
    var stderr: [UInt8] = []

    mutating func out(_ s: String) { stdout.append(contentsOf: s.utf8) }
    mutating func out(_ bytes: [UInt8]) { stdout.append(contentsOf: bytes) }
    /// One message to standard error, filtered as C++ Nix filters its messages.
    mutating func err(_ s: String) { stderr.append(contentsOf: ANSIFilter.filter(Array(s.utf8))) }
}
