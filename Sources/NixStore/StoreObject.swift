// A content-addressed store object to be added to a store: its path (already computed), how
// it is addressed, its references and where its contents come from. The evaluator describes
// what it put into the store this way; a store client (`DaemonStore`) writes it.

/// A store object to add: a text or flat file held in memory, or a file system object read
/// from disk (as a NAR, or flat for a single file).
public struct StoreObject {
    /// Where the contents come from.
    public enum Contents {
        /// The bytes of a single file (`toFile`, `.drv` files).
        case bytes([UInt8])
        /// The object at `path` (resolved), read through `fileSystem`; `filter` (given full
        /// paths) selects the directory entries of a recursive copy.
        case file(path: String, fileSystem: any FileSystemSource, filter: ((String) throws -> Bool)?)
    }

    /// The path the object gets (computed by the evaluator; the store must agree).
    public var path: StorePath
    /// How the object is addressed: `.text` or `.fixed(method)`, always with SHA-256.
    public var method: ContentAddressMethod
    /// The store paths it refers to.
    public var references: Set<StorePath>
    public var contents: Contents

    public init(path: StorePath, method: ContentAddressMethod, references: Set<StorePath> = [], contents: Contents) {
        self.path = path
        self.method = method
        self.references = references
        self.contents = contents
    }

    /// The name of the object (its path without the hash).
    public var name: String { path.name }

    /// The content-address method and hash algorithm as the worker protocol writes them
    /// (C++ Nix's `ContentAddressMethod::renderWithAlgo`): `text:sha256`, `fixed:r:sha256`,
    /// `fixed:sha256`.
    public var renderedMethod: String {
        switch method {
        case .text: return "text:sha256"
        case .fixed(let m): return "fixed:" + m.fingerprintPrefix + "sha256"
        }
    }

    /// Writes the serialisation the store ingests: the file's bytes for text and flat
    /// objects, the NAR for recursive ones.
    public func serialise<Sink: ByteSink>(into sink: inout Sink) throws {
        switch contents {
        case .bytes(let b):
            if case .fixed(.nixArchive) = method {
                NAR.dumpRegularFile(b, into: &sink)
            } else {
                sink.write(b)
            }
        case .file(let path, let fs, let filter):
            if case .fixed(.flat) = method {
                try fs.readChunks(path) { sink.write($0) }
            } else {
                try NAR.dump(path, from: fs, into: &sink, filter: filter)
            }
        }
    }
}
