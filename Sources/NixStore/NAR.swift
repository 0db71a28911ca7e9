// NAR (Nix ARchive) serialisation as C++ Nix's `dumpPath` writes it (libutil/archive.cc,
// source-accessor.cc): a deterministic encoding of a file, executable, symlink or directory
// tree (entries sorted by name), streamed into a sink so that large files are never held whole.
//
// Every token is a string: its length as a 64-bit little-endian integer, its bytes, and zero
// padding to a multiple of 8. An object is `( type regular [executable ""] contents DATA )`,
// `( type symlink target T )` or `( type directory entry ( name N node OBJECT ) … )`, after
// the magic `nix-archive-1`.

/// NAR serialisation.
public enum NAR {
    /// The first token of every NAR.
    public static let magic = "nix-archive-1"

    /// Writes the NAR of the object at `path` into `sink`. `filter`, when given, is asked about
    /// every directory entry (by its full path, in the order C++ Nix asks: sorted, depth first)
    /// and entries it rejects are left out; the root is not filtered. Uses no native recursion.
    public static func dump<Sink: ByteSink>(
        _ path: String, from fs: some FileSystemSource, into sink: inout Sink,
        filter: ((String) throws -> Bool)? = nil
    ) throws {
        var w = TokenWriter(sink: sink)
        defer { sink = w.sink }
        w.token(magic)
        var stack: [PendingDirectory] = []
        var current: String? = path
        while let p = current {
            current = nil
            let st = try fs.status(p)
            w.token("(")
            switch st.type {
            case .regular:
                w.token("type"); w.token("regular")
                if st.isExecutable { w.token("executable"); w.token("") }
                w.token("contents")
                w.integer(st.size)
                var seen: UInt64 = 0
                try fs.readChunks(p) { chunk in
                    seen += UInt64(chunk.count)
                    if seen <= st.size { w.sink.write(chunk) }
                }
                guard seen == st.size else { throw StoreError("file '\(p)' changed while it was being read") }
                w.padding(st.size)
                w.token(")")
            case .symlink:
                w.token("type"); w.token("symlink"); w.token("target")
                w.token(try fs.linkTarget(p))
                w.token(")")
            case .directory:
                w.token("type"); w.token("directory")
                let names = try fs.directoryEntries(p).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                stack.append(PendingDirectory(path: p, names: names))
            case .other:
                throw StoreError("file '\(p)' has an unsupported type")
            }
            // Close what is finished and find the next entry to write.
            while current == nil, !stack.isEmpty {
                let i = stack.count - 1
                if stack[i].entryOpen {
                    w.token(")")
                    stack[i].entryOpen = false
                }
                while current == nil, stack[i].next < stack[i].names.count {
                    let name = stack[i].names[stack[i].next]
                    stack[i].next += 1
                    let dir = stack[i].path
                    let child = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                    if try filter?(child) ?? true {
                        w.token("entry"); w.token("("); w.token("name"); w.token(name); w.token("node")
                        stack[i].entryOpen = true
                        current = child
                    }
                }
                if current == nil {
                    w.token(")")  // closes the directory
                    stack.removeLast()
                }
            }
        }
    }

    /// Writes the NAR of a single regular file with the given contents.
    public static func dumpRegularFile<Sink: ByteSink>(_ contents: [UInt8], executable: Bool = false, into sink: inout Sink) {
        var w = TokenWriter(sink: sink)
        w.token(magic)
        w.token("("); w.token("type"); w.token("regular")
        if executable { w.token("executable"); w.token("") }
        w.token("contents")
        w.token(contents)
        w.token(")")
        sink = w.sink
    }

    /// The hash of the NAR of the object at `path` and the NAR's size.
    public static func hash(
        _ path: String, from fs: some FileSystemSource, algorithm: HashAlgorithm = .sha256,
        filter: ((String) throws -> Bool)? = nil
    ) throws -> (hash: Hash, size: UInt64) {
        var h = HashSink(algorithm)
        try dump(path, from: fs, into: &h, filter: filter)
        return (h.finalize(), h.byteCount)
    }
}

/// A directory `NAR.dump` is writing: its path, its sorted entry names, the next one to
/// consider, and whether the entry written last is still open.
private struct PendingDirectory {
    let path: String
    let names: [String]
    var next = 0
    var entryOpen = false
}

/// A `ByteSink` that collects bytes in memory (for tests and small objects).
public struct ByteBuffer: ByteSink {
    public var bytes: [UInt8] = []
    public init() {}
    public mutating func write(_ b: UnsafeRawBufferPointer) { bytes.append(contentsOf: b) }
}

/// Writes NAR tokens (length-prefixed, padded strings) into a sink.
struct TokenWriter<Sink: ByteSink> {
    var sink: Sink

    mutating func integer(_ n: UInt64) {
        var le = n.littleEndian
        withUnsafeBytes(of: &le) { sink.write($0) }
    }

    mutating func padding(_ length: UInt64) {
        let pad = Int((8 - length % 8) % 8)
        if pad > 0 { sink.write([UInt8](repeating: 0, count: pad)) }
    }

    mutating func token(_ bytes: [UInt8]) {
        integer(UInt64(bytes.count))
        sink.write(bytes)
        padding(UInt64(bytes.count))
    }

    mutating func token(_ s: String) { token(Array(s.utf8)) }
}
