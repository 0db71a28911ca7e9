// Source files and byte spans: the positions every AST node and diagnostic carries.

/// Where a piece of source text came from, as C++ Nix names it in messages.
public enum SourceOrigin: Sendable, Hashable {
    /// A file on disk, by absolute path.
    case file(path: String)
    /// Standard input (`«stdin»`).
    case stdin
    /// A `-E` expression or a string given to the library (`«string»`).
    case string
    /// Something built into the evaluator (`«nix-internal»`).
    case `internal`
    /// A Nix file built into the evaluator, such as `derivation-internal.nix`: shown as
    /// `<nix/NAME>` in messages, with the path `/NAME` in positions (as C++ Nix has them).
    case builtinFile(name: String)

    /// The name used in `at NAME:LINE:COL` lines.
    public var displayName: String {
        switch self {
        case .file(let path): return path
        case .stdin: return "«stdin»"
        case .string: return "«string»"
        case .`internal`: return "«nix-internal»"
        case .builtinFile(let name): return "<nix/\(name)>"
        }
    }

    /// The path of the source in positions (`unsafeGetAttrPos`, `--xml`), nil when it has none.
    public var positionPath: String? {
        switch self {
        case .file(let path): return path
        case .builtinFile(let name): return "/" + name
        default: return nil
        }
    }
}

/// One unit of source text: its bytes, its origin, and a table of line starts.
public final class SourceFile: @unchecked Sendable {
    public let origin: SourceOrigin
    /// The raw bytes (UTF-8 is expected but not required).
    public let bytes: [UInt8]
    /// The directory that relative paths in this source resolve against (absolute).
    public let baseDirectory: String
    /// Byte offsets at which each line starts (line 1 starts at 0). Lines end at `\n`, `\r\n` or `\r`.
    public private(set) lazy var lineStarts: [Int] = SourceFile.computeLineStarts(bytes)

    public init(origin: SourceOrigin, bytes: [UInt8], baseDirectory: String) {
        self.origin = origin
        self.bytes = bytes
        self.baseDirectory = baseDirectory
    }

    public convenience init(origin: SourceOrigin, text: String, baseDirectory: String) {
        self.init(origin: origin, bytes: Array(text.utf8), baseDirectory: baseDirectory)
    }

    static func computeLineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") {
                starts.append(i + 1)
            } else if b == UInt8(ascii: "\r") {
                if i + 1 < n && bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                starts.append(i + 1)
            }
            i += 1
        }
        return starts
    }

    /// The 1-based line and column of a byte offset (columns count bytes, like C++ Nix).
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let starts = lineStarts
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return (lo + 1, offset - starts[lo] + 1)
    }

    /// The text of a 1-based line without its line terminator, or nil past the end.
    public func lineText(_ line: Int) -> [UInt8]? {
        let starts = lineStarts
        guard line >= 1 && line <= starts.count else { return nil }
        let start = starts[line - 1]
        var end = line < starts.count ? starts[line] : bytes.count
        while end > start && (bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r")) {
            end -= 1
        }
        return Array(bytes[start..<end])
    }
}

/// A byte range in a source file.
public struct Span: Sendable, Hashable {
    public let file: SourceFile
    public let start: Int32
    public let end: Int32

    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        self.start = Int32(truncatingIfNeeded: start)
        self.end = Int32(truncatingIfNeeded: end)
    }

    public static func == (a: Span, b: Span) -> Bool {
        a.file === b.file && a.start == b.start && a.end == b.end
    }

    public func hash(into h: inout Hasher) {
        h.combine(ObjectIdentifier(file))
        h.combine(start)
        h.combine(end)
    }

    /// Line and column of the first byte.
    public var startLocation: (line: Int, column: Int) { file.location(of: Int(start)) }

    /// `NAME:LINE:COL`, as in C++ Nix's `at …` lines.
    public var description: String {
        let loc = startLocation
        return "\(file.origin.displayName):\(loc.line):\(loc.column)"
    }
}

/// A byte range inside a known source file (the compact form stored per AST node).
public struct SourceRange: Sendable, Hashable {
    public var start: Int32
    public var end: Int32
    @inlinable public init(start: Int32, end: Int32) {
        self.start = start
        self.end = end
    }
    /// The range of a span (dropping its file).
    public init(_ span: Span) {
        self.start = span.start
        self.end = span.end
    }
    @inlinable public init(_ start: Int, _ end: Int) {
        self.start = Int32(truncatingIfNeeded: start)
        self.end = Int32(truncatingIfNeeded: end)
    }
}
