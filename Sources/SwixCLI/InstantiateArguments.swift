// The flags of `swix instantiate`, named as nix-instantiate names them.

import ArgumentParser

/// Options of `swix instantiate` (and `swix eval`). Two-value options (`--arg`, `--argstr`,
/// `--option`) are taken out of argv before this parser sees it; see `PairedOptions`.
struct InstantiateArguments: ParsableArguments {
    @Flag(name: .customLong("eval"), help: "Evaluate the expressions instead of instantiating derivations.")
    var eval = false
    @Flag(name: .customLong("parse"), help: "Print the parsed expressions instead of evaluating them.")
    var parse = false
    @Flag(name: .customLong("strict"), help: "Evaluate the result deeply.")
    var strict = false
    @Flag(name: .customLong("json"), help: "Print the result as JSON.")
    var json = false
    @Flag(name: .customLong("xml"), help: "Print the result as XML.")
    var xml = false
    @Flag(name: .customLong("no-location"), help: "Omit source locations from XML output.")
    var noLocation = false
    @Flag(name: [.customShort("E"), .customLong("expr")], help: "Interpret the arguments as Nix expressions.")
    var expr = false
    @Flag(name: .customLong("show-trace"), help: "Show the trace of an evaluation error.")
    var showTrace = false
    @Flag(name: .customLong("no-show-trace"), help: "Do not show the trace of an evaluation error.")
    var noShowTrace = false
    @Flag(name: .customLong("read-write-mode"), help: "Accepted for compatibility.")
    var readWriteMode = false
    @Flag(name: .customLong("impure"), help: "Allow impure builtins.")
    var impure = false
    @Option(name: [.customShort("A"), .customLong("attr")], help: "Select an attribute of the result.")
    var attr: [String] = []
    @Option(name: [.customShort("I"), .customLong("include")], help: "Add a search path entry (PATH or NAME=PATH).")
    var include: [String] = []
    @Option(name: .customLong("max-call-depth"), help: "Maximum depth of nested calls before an error.")
    var maxCallDepth: Int?
    @Option(name: .customLong("extra-experimental-features"), help: "Enable experimental features.")
    var extraExperimentalFeatures: [String] = []
    @Option(name: .customLong("experimental-features"), help: "Set the experimental features.")
    var experimentalFeatures: [String] = []
    @Argument(help: "Files to evaluate (`-` for standard input), or expressions with -E.")
    var files: [String] = []
}

/// `--arg NAME EXPR`, `--argstr NAME VALUE` and `--option NAME VALUE`, whose values may look like flags.
struct PairedOptions {
    enum AutoArg {
        case expression(String)
        case string(String)
    }
    var autoArgs: [(name: String, value: AutoArg)] = []
    var options: [(name: String, value: String)] = []

    /// Removes the paired options from `arguments`, or returns an error message.
    static func extract(_ arguments: [String]) -> Result<(PairedOptions, [String]), PairedOptionError> {
        var paired = PairedOptions()
        var rest: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" {
                rest.append(contentsOf: arguments[i...])
                break
            }
            if a == "--arg" || a == "--argstr" || a == "--option" {
                guard i + 2 < arguments.count else {
                    return .failure(PairedOptionError(message: "flag '\(a)' requires 2 arguments"))
                }
                let name = arguments[i + 1], value = arguments[i + 2]
                switch a {
                case "--arg": paired.autoArgs.append((name, .expression(value)))
                case "--argstr": paired.autoArgs.append((name, .string(value)))
                default: paired.options.append((name, value))
                }
                i += 3
                continue
            }
            rest.append(a)
            i += 1
        }
        return .success((paired, rest))
    }
}

struct PairedOptionError: Error {
    var message: String
}
