// `swix instantiate`: nix-instantiate's behaviour for --parse and --eval (instantiating
// derivations without --eval is in Instantiation.swift).

import NixEval
import NixStore
import NixSyntax

/// Implements `swix instantiate` / `swix eval`.
enum InstantiateCommand {
    static func run(arguments: [String], invocation: Invocation, forceEval: Bool) -> InvocationResult {
        var sink = OutputSink()
        let parsed: InstantiateArguments
        do {
            parsed = try InstantiateArguments.parse(arguments)
        } catch let e as UsageError {
            sink.err("error: \(e.message)\nTry 'swix instantiate --help' for more information.\n")
            return InvocationResult(exitCode: 1, stderr: sink.stderr)
        } catch {
            sink.err("error: \(error)\n")
            return InvocationResult(exitCode: 1, stderr: sink.stderr)
        }
        if parsed.help { return InvocationResult(exitCode: 0, stdout: Array(InstantiateArguments.helpText.utf8)) }
        if parsed.version { return InvocationResult(exitCode: 0, stdout: Array("swix instantiate (Swix) \(SwixVersion.string)\n".utf8)) }
        for name in parsed.unknownSettings { sink.err("warning: unknown setting '\(name)'\n") }
        let context = CommandContext(invocation: invocation, arguments: parsed)
        let code: Int32
        if parsed.findFile {
            code = runFindFile(context, &sink)
        } else if parsed.parse {
            code = runParse(context, &sink)
        } else {
            code = runEvaluation(context, forceEval: forceEval, &sink)
        }
        return InvocationResult(exitCode: code, stdout: sink.stdout, stderr: sink.stderr)
    }

    /// `--parse`: print each input's AST in C++ Nix's format.
    static func runParse(_ context: CommandContext, _ sink: inout OutputSink) -> Int32 {
        let symbols = SymbolTable()
        for input in context.inputs() {
            do {
                let source = try input.load()
                let tree = try NixFrontEnd.parse(source, symbols: symbols, options: context.parseOptions)
                // Printing recurses along the tree, which may be deep: use a large stack.
                var printed = withLargeStack { ASTPrinter.print(tree) }
                printed.append(10)
                if context.invocation.processExitsAfterRun { ExitArena.keep(tree) }
                // The first output is taken as it is (no copy of a large buffer).
                if sink.stdout.isEmpty { sink.stdout = printed } else { sink.out(printed) }
            } catch let d as Diagnostic {
                sink.err(DiagnosticRenderer.render(d))
                return 1
            } catch let e as InputError {
                sink.err("error: \(e.message)\n")
                return 1
            } catch {
                sink.err("error: \(error)\n")
                return 1
            }
        }
        return 0
    }

    /// `swix bytecode [-E] FILE…`: the prototypes each input compiles to.
    static func runBytecode(arguments: [String], invocation: Invocation) -> InvocationResult {
        var sink = OutputSink()
        let parsed: InstantiateArguments
        do {
            parsed = try InstantiateArguments.parse(arguments)
        } catch {
            sink.err("error: \((error as? UsageError)?.message ?? "\(error)")\n")
            return InvocationResult(exitCode: 1, stderr: sink.stderr)
        }
        let context = CommandContext(invocation: invocation, arguments: parsed)
        let outcome: Result<[UInt8], Error> = withLargeStack {
            let evaluator = Evaluator(settings: context.evalSettings)
            return Result {
                var text = ""
                for input in context.inputs() { text += try evaluator.disassemble(try input.load()) }
                return Array(text.utf8)
            }
        }
        let code = finish(outcome, showTrace: false, &sink)
        return InvocationResult(exitCode: code, stdout: sink.stdout, stderr: sink.stderr)
    }

    /// `--find-file`: each argument looked up in the search path, as `<NAME>` would be.
    static func runFindFile(_ context: CommandContext, _ sink: inout OutputSink) -> Int32 {
        let outcome: Result<[UInt8], Error> = withLargeStack {
            let evaluator = Evaluator(settings: context.evalSettings)
            return Result {
                var output: [UInt8] = []
                for name in context.arguments.files {
                    let lookup = SourceFile(origin: .string, text: "<\(name)>", baseDirectory: context.invocation.currentDirectory)
                    output += try evaluator.print(try evaluator.force(try evaluator.load(lookup)))
                    output.append(10)
                }
                return output
            }
        }
        return finish(outcome, showTrace: context.arguments.showTrace, &sink)
    }

    static func runEvaluation(_ context: CommandContext, forceEval: Bool, _ sink: inout OutputSink) -> Int32 {
        let args = context.arguments
        let settings = context.evalSettings
        let showTrace = args.showTrace
        var stderr: [UInt8] = []
        // Written even when a later part fails, as nix-instantiate writes each result as it goes.
        var output: [UInt8] = []
        let outcome: Result<[UInt8], Error> = withLargeStack {
            let instantiating = !(forceEval || args.eval)
            var evalSettings = settings
            evalSettings.recordStoreObjects = instantiating && !args.readOnly
            let evaluator = Evaluator(settings: evalSettings, diagnostics: { stderr += ANSIFilter.filter(Array($0.utf8)) })
            if context.invocation.processExitsAfterRun { ExitArena.keep(evaluator) }
            var warnAboutRoots = !args.noGCWarning
            return Result {
                let store = StoreWriter(
                    storeDirectory: StoreDirectory(settings.storeDir), storeURI: args.storeURI,
                    environment: context.invocation.environment, readOnly: args.readOnly)
                store.log = { stderr += ANSIFilter.filter(Array(($0 + "\n").utf8)) }
                var roots = args.addRoot.map {
                    GCRoots(base: String(decoding: PathUtilities.absolute(Array($0.utf8), base: context.invocation.currentDirectory), as: UTF8.self))
                }
                var autoArgs: [(String, Value)] = []
                for (name, value) in args.autoArgs {
                    switch value {
                    case .string(let s): autoArgs.append((name, evaluator.string(s)))
                    case .expression(let e):
                        let source = SourceFile(origin: .string, text: e, baseDirectory: context.invocation.currentDirectory)
                        autoArgs.append((name, try evaluator.load(source)))
                    case .file(let path):
                        autoArgs.append((name, evaluator.string(bytes: try Input.file(path, cwd: context.invocation.currentDirectory).contents())))
                    case .standardInput:
                        autoArgs.append((name, evaluator.string(bytes: context.invocation.readStandardInput())))
                    }
                }
                for input in context.inputs() {
                    if case .file(let name, let cwd) = input {
                        try evaluator.checkAccess(String(decoding: PathUtilities.absolute(Array(name.utf8), base: cwd), as: UTF8.self))
                    }
                    let root = try evaluator.load(try input.load())
                    for path in args.attr.isEmpty ? [""] : args.attr {
                        // As nix-instantiate: functions along the path are auto-called, the result
                        // only when there are automatic arguments.
                        var value = try findAlongAttrPath(evaluator, root, path, autoArgs)
                        if instantiating {
                            try instantiate(
                                evaluator, value, autoArgs: autoArgs, store: store, roots: &roots, warn: &warnAboutRoots,
                                output: &output, stderr: &stderr)
                            continue
                        }
                        if !autoArgs.isEmpty { value = try evaluator.autoCall(value, arguments: autoArgs) }
                        if args.raw {
                            output += try evaluator.coerceToString(value)
                            continue
                        }
                        if args.xml {
                            // Forced while printing, as C++ does; the document ends in a newline.
                            try evaluator.printXML(try evaluator.force(value), showLocation: !args.noLocation, strict: args.strict, into: &output)
                            continue
                        }
                        if args.json {
                            try evaluator.printJSON(try evaluator.force(value), strict: args.strict, into: &output)
                            output.append(10)
                            continue
                        }
                        value = args.strict ? try evaluator.forceDeep(value) : try evaluator.force(value)
                        output += evaluator.print(value)
                        output.append(10)
                    }
                }
                return output
            }
        }
        sink.stderr += stderr
        if case .failure = outcome { sink.out(output) }
        return finish(outcome, showTrace: showTrace, &sink)
    }

    /// Writes the output, or the error, of a run; returns the exit status.
    static func finish(_ outcome: Result<[UInt8], Error>, showTrace: Bool, _ sink: inout OutputSink) -> Int32 {
        switch outcome {
        case .success(let output):
            sink.out(output)
            return 0
        case .failure(let e as EvalError):
            sink.err(DiagnosticRenderer.render(e.diagnostic(showTrace: showTrace)))
        case .failure(let d as Diagnostic):
            sink.err(DiagnosticRenderer.render(d))
        case .failure(let e as InputError):
            sink.err("error: \(e.message)\n")
        case .failure(let e):
            sink.err("error: \(e)\n")
        }
        return 1
    }

    /// The names of an attribute path as C++ Nix's `parseAttrPath` splits it: at dots outside
    /// double quotes (`a."b.c".d` is `a`, `b.c`, `d`); a trailing dot is ignored, other empty
    /// names are an error.
    static func attrPathComponents(_ path: String) throws -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for ch in path {
            if ch == "\"" {
                quoted.toggle()
            } else if ch == "." && !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        if quoted { throw EvalError(.other, "missing closing quote in selection path '\(path)'") }
        if !current.isEmpty { parts.append(current) }
        if parts.contains("") { throw EvalError(.other, "empty attribute name in selection path '\(path)'") }
        return parts
    }

    /// `-A a.b.0.c`: attribute names and list indices; each value on the way is auto-called.
    static func findAlongAttrPath(_ evaluator: Evaluator, _ root: Value, _ path: String, _ autoArgs: [(String, Value)]) throws -> Value {
        var value = root
        for part in try attrPathComponents(path) {
            value = try evaluator.autoCall(value, arguments: autoArgs)
            if let index = Int(part), let element = try evaluator.element(value, index) {
                value = element
            } else if let v = try evaluator.select(value, String(part)) {
                value = v
            } else {
                throw EvalError(.other, "attribute '\(part)' in selection path '\(path)' not found")
            }
        }
        return value
    }
}

/// Parsed options plus the process environment, shared by the modes of `instantiate`.
struct CommandContext {
    let invocation: Invocation
    let arguments: InstantiateArguments

    var homeDirectory: String { invocation.environment["HOME"] ?? "/" }

    var parseOptions: ParseOptions { ParseOptions(homeDirectory: homeDirectory) }

    var evalSettings: EvalSettings {
        var settings = EvalSettings()
        settings.homeDirectory = homeDirectory
        settings.currentDirectory = invocation.currentDirectory
        settings.environment = invocation.environment
        settings.io = SystemIO(environment: invocation.environment)
        if let depth = arguments.maxCallDepth { settings.maxCallDepth = depth }
        settings.maxHeapBytes = arguments.maxHeap
        settings.pureEval = arguments.setting("pure-eval") == "true" && !arguments.impure
        settings.restrictEval = arguments.setting("restrict-eval") == "true"
        settings.traceVerbose = arguments.setting("trace-verbose") == "true"
        settings.parseTOMLTimestamps = arguments.listSetting("experimental-features").contains("parse-toml-timestamps")
        settings.abortOnWarn = arguments.setting("abort-on-warn") == "true" || invocation.environment["NIX_ABORT_ON_WARN"] == "1"
        if let system = arguments.setting("system") { settings.currentSystem = system }
        settings.storeDir = StoreDirectory(environment: { invocation.environment[$0] }).path
        // `-I` entries first, then the `nix-path` setting or else NIX_PATH.
        var entries = arguments.include
        if arguments.settings.contains(where: { $0.name == "nix-path" || $0.name == "extra-nix-path" }) {
            entries += arguments.listSetting("nix-path")
        } else if let nixPath = invocation.environment["NIX_PATH"] {
            entries += nixPath.split(separator: ":").map(String.init)
        }
        for e in entries {
            if let eq = e.firstIndex(of: "=") {
                settings.searchPath.append((String(e[..<eq]), String(e[e.index(after: eq)...])))
            } else {
                settings.searchPath.append(("", e))
            }
        }
        return settings
    }

    /// The inputs named on the command line, in order.
    func inputs() -> [Input] {
        let cwd = invocation.currentDirectory
        // As nix-instantiate: standard input (`-`) first, then the files or expressions.
        var inputs: [Input] = arguments.readStandardInput ? [.stdin(invocation.readStandardInput, baseDirectory: cwd)] : []
        if arguments.expr {
            inputs += arguments.files.map { .expression($0, baseDirectory: cwd) }
        } else if arguments.files.isEmpty && !arguments.readStandardInput {
            inputs.append(.file("./default.nix", cwd: cwd))
        } else {
            inputs += arguments.files.map { .file($0, cwd: cwd) }
        }
        return inputs
    }
}

/// A problem reading an input (missing file and the like).
struct InputError: Error {
    var message: String
}

/// Where an expression comes from.
enum Input {
    case expression(String, baseDirectory: String)
    case stdin(@Sendable () -> [UInt8], baseDirectory: String)
    case file(String, cwd: String)

    func load() throws -> SourceFile {
        switch self {
        case .expression(let text, let base):
            return SourceFile(origin: .string, text: text, baseDirectory: base)
        case .stdin(let read, let base):
            return SourceFile(origin: .stdin, bytes: read(), baseDirectory: base)
        case .file(let name, let cwd):
            var path = String(decoding: PathUtilities.absolute(Array(name.utf8), base: cwd), as: UTF8.self)
            let io = SystemIO(environment: [:])
            if io.fileKind(path) == .directory { path += path.hasSuffix("/") ? "default.nix" : "/default.nix" }
            let data = try Input.file(path, cwd: cwd).contents()
            let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
            return SourceFile(origin: .file(path: path), bytes: data, baseDirectory: directory.isEmpty ? "/" : directory)
        }
    }

    /// The bytes of a file input (`--arg-from-file`, files to evaluate).
    func contents() throws -> [UInt8] {
        guard case .file(let name, let cwd) = self else { return [] }
        let path = String(decoding: PathUtilities.absolute(Array(name.utf8), base: cwd), as: UTF8.self)
        let io = SystemIO(environment: [:])
        guard io.fileKind(path) != nil else {
            throw InputError(message: "getting status of '\(path)': No such file or directory")
        }
        do {
            return try io.readFile(path)
        } catch let e as IOError {
            throw InputError(message: e.message)
        }
    }
}

/// Objects the command line keeps until the process exits: freeing a large syntax tree or heap
/// object by object just before exiting only costs time.
enum ExitArena {
    nonisolated(unsafe) static var objects: [AnyObject] = []
    static func keep(_ object: AnyObject) { objects.append(object) }
}
