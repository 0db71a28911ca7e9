// How C++ Nix 2.26 computes store paths from content (libstore/store-dir-config.cc):
// `makeStorePath` hashes `TYPE:sha256:HEX:STOREDIR:NAME` and folds it to 20 bytes; the
// type names the kind of object and its references (`makeType`).

/// How file content is turned into the bytes that are hashed for a fixed-output path.
public enum FileIngestionMethod: Hashable, Sendable {
    /// The bytes of a single regular file.
    case flat
    /// The NAR serialisation of a file system object ("recursive").
    case nixArchive
    /// Git's tree/blob hashing (experimental in C++ Nix; SHA-1 only).
    case git

    /// The prefix of the method in a fixed-output path's fingerprint
    /// (C++ Nix's `makeFileIngestionPrefix`).
    public var fingerprintPrefix: String {
        switch self {
        case .flat: return ""
        case .nixArchive: return "r:"
        case .git: return "git:"
        }
    }
}

/// How a content-addressed store object is addressed (C++ Nix's `ContentAddressMethod`).
public enum ContentAddressMethod: Hashable, Sendable {
    /// `builtins.toFile` and `.drv` files: a flat file hashed with SHA-256, `text:` paths.
    case text
    /// A fixed-output object ingested with the given method.
    case fixed(FileIngestionMethod)
}

/// The references of a store object: other store paths, and whether it refers to itself.
public struct StoreReferences: Hashable, Sendable {
    /// The referenced paths, in any order (they are sorted when hashed).
    public var others: Set<StorePath>
    /// Whether the object refers to its own path.
    public var hasSelfReference: Bool

    public init(others: Set<StorePath> = [], hasSelfReference: Bool = false) {
        self.others = others
        self.hasSelfReference = hasSelfReference
    }

    public static let none = StoreReferences()

    public var isEmpty: Bool { others.isEmpty && !hasSelfReference }
}

extension StoreDirectory {
    /// The store path of `name` with the digest `hashText` under the given type
    /// (C++ Nix's `makeStorePath(type, string hash, name)`): the SHA-256 of
    /// `TYPE:HASH:STOREDIR:NAME`, compressed to 20 bytes. Throws if `name` is not valid.
    public func makeStorePath(type: String, hashText: String, name: String) throws -> StorePath {
        let fingerprint = type + ":" + hashText + ":" + path + ":" + name
        let digest = Hash.of(string: fingerprint, algorithm: .sha256).compressed(to: 20)
        return try StorePath(digest: digest, name: name)
    }

    /// `makeStorePath` with the hash printed as `ALGO:BASE16`.
    public func makeStorePath(type: String, hash: Hash, name: String) throws -> StorePath {
        try makeStorePath(type: type, hashText: hash.encoded(.base16, includeAlgorithm: true), name: name)
    }

    /// `TYPE:STOREDIR/REF1:…:self` with the references sorted (C++ Nix's `makeType`).
    public func makeType(_ type: String, references: StoreReferences) -> String {
        var t = type
        for r in references.others.sorted() {
            t += ":" + print(r)
        }
        if references.hasSelfReference { t += ":self" }
        return t
    }

    /// The path of a derivation output (C++ Nix's `makeOutputPath`): type `output:ID`, named
    /// `NAME` for output `out` and `NAME-ID` otherwise.
    public func makeOutputPath(id: String, hash: Hash, name: String) throws -> StorePath {
        try makeStorePath(type: "output:" + id, hash: hash, name: StoreDirectory.outputPathName(name, id))
    }

    /// A derivation output's store path name: `NAME`, or `NAME-OUTPUT` unless the output is `out`.
    public static func outputPathName(_ drvName: String, _ outputName: String) -> String {
        outputName == "out" ? drvName : drvName + "-" + outputName
    }

    /// The path of a text object (C++ Nix's `makeTextPath`; `builtins.toFile`): type
    /// `text:REFS…` with the SHA-256 of the contents. Self-references are not allowed and ignored.
    public func makeTextPath(name: String, hash: Hash, references: Set<StorePath>) throws -> StorePath {
        guard hash.algorithm == .sha256 else { throw StoreError("text paths must be hashed with SHA-256") }
        return try makeStorePath(
            type: makeType("text", references: StoreReferences(others: references)), hash: hash, name: name)
    }

    /// The text path of `contents` (the hash computed here).
    public func makeTextPath(name: String, contents: [UInt8], references: Set<StorePath>) throws -> StorePath {
        try makeTextPath(name: name, hash: Hash.of(contents, algorithm: .sha256), references: references)
    }

    /// The path of a fixed-output object (C++ Nix's `makeFixedOutputPath`). A SHA-256 NAR hash
    /// gives a `source` path with references; anything else gives an `output:out` path over
    /// `fixed:out:PREFIX ALGO:HEX:`, which allows no references.
    public func makeFixedOutputPath(
        name: String, method: FileIngestionMethod, hash: Hash, references: StoreReferences = .none
    ) throws -> StorePath {
        if method == .git && hash.algorithm != .sha1 {
            throw StoreError("Git file ingestion must use SHA-1 hash")
        }
        if hash.algorithm == .sha256 && method == .nixArchive {
            return try makeStorePath(type: makeType("source", references: references), hash: hash, name: name)
        }
        guard references.isEmpty else {
            throw StoreError(
                "fixed output derivation '\(name)' is not allowed to refer to other store paths.\nYou may need to use the 'unsafeDiscardReferences' derivation attribute, see the manual for more details."
            )
        }
        let payload = "fixed:out:" + method.fingerprintPrefix + hash.encoded(.base16, includeAlgorithm: true) + ":"
        return try makeStorePath(type: "output:out", hash: Hash.of(string: payload, algorithm: .sha256), name: name)
    }

    /// The path of a content-addressed object (C++ Nix's `makeFixedOutputPathFromCA`).
    public func makeFixedOutputPathFromCA(
        name: String, method: ContentAddressMethod, hash: Hash, references: StoreReferences = .none
    ) throws -> StorePath {
        switch method {
        case .text:
            return try makeTextPath(name: name, hash: hash, references: references.others)
        case .fixed(let m):
            return try makeFixedOutputPath(name: name, method: m, hash: hash, references: references)
        }
    }
}
