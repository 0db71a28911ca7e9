// Dispatches `swix <command> …` to the command implementations and turns argument errors into exit code 1.

/// The entry point of the command-line tool, usable in-process.
public enum SwixCommandLine {
    static let usage = """
        Usage: swix <command> [options]

        Commands:
          instantiate   evaluate or parse Nix expressions (compatible with nix-instantiate)
          eval          short for `instantiate --eval`
          bytecode      compile files (or -E expressions) and print their bytecode

        Run `swix <command> --help` for the options of a command.

        """

    /// Runs one invocation of `swix` and returns its exit code and output.
    public static func run(_ invocation: Invocation) -> InvocationResult {
        var args = invocation.arguments
        guard let command = args.first else {
            return InvocationResult(exitCode: 1, stderr: Array(("error: no command given\n" + usage).utf8))
        }
        args.removeFirst()
        switch command {
        case "instantiate":
            return InstantiateCommand.run(arguments: args, invocation: invocation, forceEval: false)
        case "eval":
            return InstantiateCommand.run(arguments: args, invocation: invocation, forceEval: true)
        case "bytecode":
            return InstantiateCommand.runBytecode(arguments: args, invocation: invocation)
        case "--help", "-h", "help":
            return InvocationResult(exitCode: 0, stdout: Array(usage.utf8))
        case "--version":
            return InvocationResult(exitCode: 0, stdout: Array("swix \(SwixVersion.string)\n".utf8))
        default:
            return InvocationResult(exitCode: 1, stderr: Array("error: unknown command '\(command)'\n\(usage)".utf8))
        }
    }
}

/// The version of Swix.
public enum SwixVersion {
    public static let string = "0.1.0"
}
