// Store paths as C++ Nix 2.26 defines them (libstore/path.cc, store-dir-config): a base name
// `HASH-NAME` of a 32-character nix32 digest and a name of restricted characters, under a
// store directory.

/// The base name of a store object: `<32 nix32 characters>-<name>`, e.g.
/// `lfngsssysp6h1v4ccqg23c52s9sjl779-x`. Ordered by the base name, as C++ Nix's `StorePath`.
public struct StorePath: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The length of the digest part (20 bytes in nix32).
    public static let hashLength = 32
    /// The longest allowed name (C++ Nix's `StorePath::MaxPathLen`).
    public static let maxNameLength = 211

    /// `HASH-NAME`.
    public let baseName: String

    /// A store path from its base name, checked as C++ Nix's `StorePath(std::string_view)`.
    public init(baseName: String) throws {
        let bytes = Array(baseName.utf8)
        guard bytes.count >= StorePath.hashLength + 1 else {
            throw StoreError("'\(baseName)' is too short to be a valid store path")
        }
        for c in bytes[0..<StorePath.hashLength] {
            let isDigitOrLower = (c >= 48 && c <= 57) || (c >= 97 && c <= 122)
            if !isDigitOrLower || c == UInt8(ascii: "e") || c == UInt8(ascii: "o") || c == UInt8(ascii: "u")
                || c == UInt8(ascii: "t")
            {
                throw StoreError(
                    "store path '\(baseName)' contains illegal base-32 character '\(String(decoding: [c], as: UTF8.self))'")
            }
        }
        self.baseName = baseName
        try StorePath.checkPathName(baseName, name)
    }

    /// The store path of a 20-byte digest and a name (C++ Nix's `StorePath(Hash, name)`).
    public init(digest: Hash, name: String) throws {
        baseName = digest.nix32 + "-" + name
        try StorePath.checkPathName(baseName, name)
    }

    /// The 32-character digest part.
    public var hashPart: String {
        String(decoding: baseName.utf8.prefix(StorePath.hashLength), as: UTF8.self)
    }

    /// The name after `HASH-`.
    public var name: String {
        String(decoding: baseName.utf8.dropFirst(StorePath.hashLength + 1), as: UTF8.self)
    }

    /// Whether the name ends in `.drv`.
    public var isDerivation: Bool { baseName.hasSuffix(".drv") }

    public var description: String { baseName }

    public static func < (a: StorePath, b: StorePath) -> Bool {
        a.baseName.utf8.lexicographicallyPrecedes(b.baseName.utf8)
    }

    /// Checks a store path name as C++ Nix's `checkName`, with its messages.
    public static func checkName(_ name: String) throws {
        let bytes = Array(name.utf8)
        if bytes.isEmpty { throw StoreError("name must not be empty") }
        if bytes.count > maxNameLength {
            throw StoreError("name '\(name)' must be no longer than \(maxNameLength) characters")
        }
        let dot = UInt8(ascii: "."), dash = UInt8(ascii: "-")
        if bytes[0] == dot {
            if bytes.count == 1 { throw StoreError("name '\(name)' is not valid") }
            if bytes[1] == dash {
                throw StoreError("name '\(name)' is not valid: first dash-separated component must not be '.'")
            }
            if bytes[1] == dot {
                if bytes.count == 2 { throw StoreError("name '\(name)' is not valid") }
                if bytes[2] == dash {
                    throw StoreError("name '\(name)' is not valid: first dash-separated component must not be '..'")
                }
            }
        }
        for c in bytes where !isNameByte(c) {
            // C++ Nix prints the offending byte as a `char`.
            throw StoreError("name '\(name)' contains illegal character '\(String(decoding: [c], as: UTF8.self))'")
        }
    }

    /// Whether `c` may appear in a store path name: `[0-9a-zA-Z+\-._?=]`.
    public static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90)
            || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
            || c == UInt8(ascii: "_") || c == UInt8(ascii: "?") || c == UInt8(ascii: "=")
    }

    /// `checkName` with the message wrapped as C++ Nix's `checkPathName` wraps it.
    static func checkPathName(_ path: String, _ name: String) throws {
        do {
            try checkName(name)
        } catch let e as StoreError {
            throw StoreError("path '\(path)' is not a valid store path: \(e.message)")
        }
    }
}

/// The store directory (`/nix/store` unless `NIX_STORE_DIR` says otherwise) and the
/// operations that depend on it: printing, parsing and computing store paths.
public struct StoreDirectory: Hashable, Sendable {
    /// The directory without a trailing slash, e.g. `/nix/store`.
    public let path: String

    public static let defaultPath = "/nix/store"

    /// A store directory at `path` (made canonical: no trailing or doubled slashes, no `.`).
    public init(_ path: String = StoreDirectory.defaultPath) {
        self.path = StoreDirectory.canonical(path)
    }

    /// The store directory C++ Nix uses in an environment: `NIX_STORE_DIR`, else `NIX_STORE`,
    /// else `/nix/store` (empty values count as unset).
    public init(environment: (String) -> String?) {
        let value = [environment("NIX_STORE_DIR"), environment("NIX_STORE")]
            .compactMap { $0 }.first { !$0.isEmpty }
        self.init(value ?? StoreDirectory.defaultPath)
    }

    /// The full path of a store path: `STOREDIR/HASH-NAME`.
    public func print(_ p: StorePath) -> String { path + "/" + p.baseName }

    /// Parses a full store path (C++ Nix's `parseStorePath`): its directory must be this store
    /// directory, after making it canonical.
    public func parse(_ full: String) throws -> StorePath {
        let p = StoreDirectory.canonical(full)
        guard let slash = p.lastIndex(of: "/") else { throw StoreError("path '\(p)' is not in the Nix store") }
        let dir = slash == p.startIndex ? "/" : String(p[..<slash])
        guard dir == path else { throw StoreError("path '\(p)' is not in the Nix store") }
        return try StorePath(baseName: String(p[p.index(after: slash)...]))
    }

    /// The store path if `full` is one, else nil (C++ Nix's `maybeParseStorePath`).
    public func parseIfValid(_ full: String) -> StorePath? { try? parse(full) }

    /// Whether `full` is inside the store (the store directory followed by `/` and more).
    public func isInStore(_ full: String) -> Bool {
        full.utf8.count > path.utf8.count + 1 && full.hasPrefix(path + "/")
    }

    /// The store path containing `full` and the rest of the path (C++ Nix's `toStorePath`):
    /// `/nix/store/HASH-x/sub` gives `HASH-x` and `/sub`.
    public func splitStorePath(_ full: String) throws -> (StorePath, String) {
        guard isInStore(full) else { throw StoreError("path '\(full)' is not in the Nix store") }
        let rest = full.utf8.dropFirst(path.utf8.count + 1)
        if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
            let base = String(decoding: rest[..<slash], as: UTF8.self)
            return (try StorePath(baseName: base), String(decoding: rest[slash...], as: UTF8.self))
        }
        return (try StorePath(baseName: String(decoding: rest, as: UTF8.self)), "")
    }

    /// A path made canonical as C++ Nix's `canonPath` does without following symlinks: `.` and
    /// empty components are removed and `..` removes the component before it.
    static func canonical(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}
