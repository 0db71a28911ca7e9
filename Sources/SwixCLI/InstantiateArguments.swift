// The command line of `swix instantiate`, parsed as C++ Nix 2.26 parses nix-instantiate's:
// flags in order, `-abc` as `-a -b -c`, flags with a fixed number of values (which may look
// like flags: `--arg x -1`), every Nix setting as `--NAME VALUE` / `--NAME` / `--no-NAME`, and
// C++ Nix's messages for unknown flags and missing values. The help text comes from the same
// table as the parser.

/// A command-line mistake; rendered as `error: MESSAGE` and a hint to `--help`, exit status 1.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Everything `swix instantiate` was asked to do.
struct InstantiateArguments {
    enum AutoArg {
        case expression(String)
        case string(String)
        case file(String)
        case standardInput
    }

    /// How `--eval` prints: the last of `--json`, `--xml`, `--raw` given wins, as in C++ Nix.
    enum OutputKind { case plain, json, xml, raw }

    var eval = false
    var parse = false
    var strict = false
    var output = OutputKind.plain
    var json: Bool { output == .json }
    var xml: Bool { output == .xml }
    var raw: Bool { output == .raw }
    var noLocation = false
    var expr = false
    var readStandardInput = false
    var findFile = false
    var readWriteMode = false
    /// `--readonly-mode` or `--dry-run`: derivations are not written to the store.
    var readOnly = false
    var noGCWarning = false
    /// `--store URI`.
    var storeURI: String?
    /// `--add-root PATH` (not supported when instantiating).
    var addRoot: String?
    var impure = false
    var help = false
    var version = false
    var attr: [String] = []
    var include: [String] = []
    var files: [String] = []
    var autoArgs: [(name: String, value: AutoArg)] = []
    /// Settings in the order given (`--option NAME VALUE`, `--NAME VALUE`, `--no-NAME`, …), as
    /// (name, value); `--extra-NAME V` is kept as ("extra-NAME", V).
    var settings: [(name: String, value: String)] = []
    /// `--option` with a name Nix does not know: C++ Nix warns and goes on.
    var unknownSettings: [String] = []

    /// The last value given for a setting (`extra-` values are not included).
    func setting(_ name: String) -> String? { settings.last { $0.name == name }?.value }

    /// The values given for a list setting, `NAME` and `extra-NAME` together, in order.
    func listSetting(_ name: String) -> [String] {
        var values: [String] = []
        for (n, v) in settings {
            let words = v.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
            if n == name { values = words } else if n == "extra-" + name { values += words }
        }
        return values
    }

    /// `--max-heap SIZE`: the evaluator's heap limit in bytes (Swix only; C++ Nix has none).
    var maxHeap: Int?

    var showTrace: Bool { (setting("show-trace")).map { $0 == "true" } ?? false }
    var maxCallDepth: Int? { setting("max-call-depth").flatMap { Int($0) } }
}

/// One flag of the command line.
struct FlagSpec {
    let names: [String]
    /// Values taken after the flag.
    let arity: Int
    /// Shown in `--help`; nil hides the flag (accepted for compatibility only).
    let help: String?
    let apply: (inout InstantiateArguments, [String]) throws -> Void

    init(_ names: [String], _ arity: Int, _ help: String?, _ apply: @escaping (inout InstantiateArguments, [String]) throws -> Void) {
        self.names = names
        self.arity = arity
        self.help = help
        self.apply = apply
    }

    /// A flag without values.
    init(_ names: [String], _ help: String?, _ apply: @escaping (inout InstantiateArguments, [String]) throws -> Void) {
        self.init(names, 0, help, apply)
    }
}

extension InstantiateArguments {
    /// The flags of nix-instantiate (its own, the legacy common ones, and the evaluation ones).
    static let flags: [FlagSpec] = [
        FlagSpec(["--eval", "--eval-only"], "Evaluate the expressions and print their values") { a, _ in a.eval = true },
        FlagSpec(["--parse", "--parse-only"], "Parse the expressions and print their syntax trees") { a, _ in a.parse = true; a.eval = true },
        FlagSpec(["--strict"], "Evaluate the result deeply") { a, _ in a.strict = true },
        FlagSpec(["--json"], "Print the value as JSON") { a, _ in a.output = .json },
        FlagSpec(["--xml"], "Print the value as XML") { a, _ in a.output = .xml },
        FlagSpec(["--raw"], "Print a string value as it is, without quotes or a newline") { a, _ in a.output = .raw },
        FlagSpec(["--no-location"], "Leave source locations out of XML output") { a, _ in a.noLocation = true },
        FlagSpec(["--expr", "-E"], "Take the arguments as Nix expressions, not files") { a, _ in a.expr = true },
        FlagSpec(["--attr", "-A"], 1, "Select an attribute path of the value") { a, v in a.attr.append(v[0]) },
        FlagSpec(["--arg"], 2, "Pass NAME = EXPR to a function's formal arguments") { a, v in a.autoArgs.append((v[0], .expression(v[1]))) },
        FlagSpec(["--argstr"], 2, "Pass NAME = the string VALUE") { a, v in a.autoArgs.append((v[0], .string(v[1]))) },
        FlagSpec(["--arg-from-file"], 2, "Pass NAME = the contents of FILE") { a, v in a.autoArgs.append((v[0], .file(v[1]))) },
        FlagSpec(["--arg-from-stdin"], 1, "Pass NAME = the contents of standard input") { a, v in a.autoArgs.append((v[0], .standardInput)) },
        FlagSpec(["--include", "-I"], 1, "Add a search path entry (PATH or NAME=PATH)") { a, v in a.include.append(v[0]) },
        FlagSpec(["--find-file"], "Look the arguments up in the search path and print their paths") { a, _ in a.findFile = true },
        FlagSpec(["--impure"], "Allow access to mutable paths and the environment") { a, _ in a.impure = true },
        FlagSpec(["--read-write-mode"], "Accepted for compatibility (Swix writes to the store only when instantiating)") { a, _ in a.readWriteMode = true },
        FlagSpec(["--max-heap"], 1, "Stop with 'out of memory' when the heap would grow past SIZE bytes (suffix K, M, G or T)") { a, v in a.maxHeap = try parseByteSize(v[0]) },
        FlagSpec(["--option"], 2, "Set the Nix setting NAME to VALUE") { a, v in try a.setOption(v[0], v[1]) },
        FlagSpec(["--help"], "Show this help") { a, _ in a.help = true },
        FlagSpec(["--version"], "Show the version") { a, _ in a.version = true },
        // Accepted as C++ Nix accepts them; they only concern building and the store.
        FlagSpec(["--store"], 1, nil) { a, v in a.storeURI = v[0] },
        FlagSpec(["--add-root"], 1, nil) { a, v in a.addRoot = v[0] },
        FlagSpec(["--readonly-mode", "--dry-run"], "Print the .drv paths without writing to the store") { a, _ in a.readOnly = true },
        FlagSpec(["--no-gc-warning"], "Do not warn that the printed paths are not garbage-collector roots") { a, _ in a.noGCWarning = true },
        FlagSpec(["--eval-store", "--override-flake", "--log-format"], 1, nil) { _, _ in },
        FlagSpec(["--max-jobs", "-j"], 1, nil) { a, v in a.settings.append(("max-jobs", v[0])) },
        FlagSpec(["--cores"], 1, nil) { a, v in a.settings.append(("cores", v[0])) },
        FlagSpec(["--max-silent-time"], 1, nil) { a, v in a.settings.append(("max-silent-time", v[0])) },
        FlagSpec(["--timeout"], 1, nil) { a, v in a.settings.append(("timeout", v[0])) },
        FlagSpec(["--indirect", "--repair", "--verbose", "-v",
                  "--quiet", "--debug", "--no-build-output", "-Q", "--print-build-logs", "-L", "--keep-going", "-k",
                  "--keep-failed", "-K", "--fallback", "--no-build-hook"], nil) { _, _ in },
    ]

    static let flagsByName: [String: FlagSpec] = {
        var table: [String: FlagSpec] = [:]
        for f in flags { for n in f.names { table[n] = f } }
        return table
    }()

    /// A size such as `1000`, `512K`, `64M`, `1G` or `2T` (powers of 1024), as bytes.
    static func parseByteSize(_ text: String) throws -> Int {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = Substring(text)
        var unit = 1
        if let last = digits.last, let u = units[Character(last.uppercased())] {
            unit = u
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let n = Int(digits) else {
            throw UsageError("invalid size '\(text)' for '--max-heap' (expected e.g. 512M or 2G)")
        }
        let (bytes, overflow) = n.multipliedReportingOverflow(by: unit)
        return overflow ? Int.max : bytes
    }

    /// `--option NAME VALUE` (also `extra-NAME`); an unknown name is kept for a warning.
    mutating func setOption(_ name: String, _ value: String) throws {
        let base = name.hasPrefix("extra-") ? String(name.dropFirst(6)) : name
        guard let kind = NixSettings.kinds[base], kind == .list || base == name else {
            unknownSettings.append(name)
            return
        }
        if kind == .boolean { settings.append((name, try NixSettings.parseBoolean(name, value) ? "true" : "false")) } else { settings.append((name, value)) }
    }

    /// Parses the arguments after `instantiate`.
    static func parse(_ argv: [String]) throws -> InstantiateArguments {
        var result = InstantiateArguments()
        // `-abc` is `-a -b -c`, as C++ Nix's argument parser expands it.
        var args: [String] = []
        var dashDash = false
        for a in argv {
            if !dashDash, a.count > 2, a.hasPrefix("-"), !a.hasPrefix("--"), let c = a.dropFirst().first, c.isLetter {
                args += a.dropFirst().map { "-" + String($0) }
            } else {
                if a == "--" { dashDash = true }
                args.append(a)
            }
        }
        var i = 0
        dashDash = false
        while i < args.count {
            let a = args[i]
            i += 1
            if dashDash || a.isEmpty || !a.hasPrefix("-") {
                result.files.append(a)
                continue
            }
            if a == "--" { dashDash = true; continue }
            if a == "-" { result.readStandardInput = true; continue }
            let (arity, apply) = try handler(for: a)
            guard i + arity <= args.count else {
                throw UsageError("flag '\(a)' requires \(arity) argument(s), but only \(args.count - i) were given")
            }
            try apply(&result, Array(args[i..<(i + arity)]))
            i += arity
        }
        return result
    }

    /// What a flag does: one of the table, or a setting as `--NAME`, `--no-NAME`, `--extra-NAME`.
    private static func handler(for flag: String) throws -> (Int, (inout InstantiateArguments, [String]) throws -> Void) {
        if let f = flagsByName[flag] { return (f.arity, f.apply) }
        let name = String(flag.dropFirst(2))
        if flag.hasPrefix("--"), let kind = NixSettings.kinds[name] {
            if kind == .boolean { return (0, { a, _ in a.settings.append((name, "true")) }) }
            return (1, { a, v in a.settings.append((name, v[0])) })
        }
        if flag.hasPrefix("--no-"), NixSettings.kinds[String(name.dropFirst(3))] == .boolean {
            return (0, { a, _ in a.settings.append((String(name.dropFirst(3)), "false")) })
        }
        if flag.hasPrefix("--extra-"), NixSettings.kinds[String(name.dropFirst(6))] == .list {
            return (1, { a, v in a.settings.append((name, v[0])) })
        }
        throw UsageError("unrecognised flag '\(flag)'")
    }

    /// `swix instantiate --help`.
    static var helpText: String {
        var out = """
            Usage: swix instantiate [options] [FILE | -E EXPR | -]...

            Evaluates Nix expressions as nix-instantiate (Nix 2.26) does: with --eval or --parse
            it prints values or syntax trees; without, it finds the derivations of the value,
            writes their .drv files and sources to the store through the Nix daemon
            (NIX_DAEMON_SOCKET_PATH, default /nix/var/nix/daemon-socket/socket) and prints
            the .drv paths.

            Options:

            """
        for f in flags {
            guard let help = f.help else { continue }
            let values = f.arity == 0 ? "" : f.arity == 1 ? " VALUE" : " NAME VALUE"
            let name = f.names.joined(separator: ", ") + values
            out += "  " + name + String(repeating: " ", count: max(2, 30 - name.count)) + help + "\n"
        }
        out += """

            Every Nix setting is also a flag: --NAME VALUE, --NAME / --no-NAME for Booleans, and
            --extra-NAME VALUE for lists (e.g. --max-call-depth 100, --pure-eval, --show-trace).

            """
        return out
    }
}
