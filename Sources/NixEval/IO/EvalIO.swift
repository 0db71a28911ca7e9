// All file-system and environment access of the evaluator goes through `EvalIO`, so tests and
// embedders can evaluate in memory, and a pure evaluation can refuse it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

import NixStore

/// The kind of a file-system entry.
public enum FileKind: Sendable {
    case regular, directory, symlink, other
}

/// An I/O failure, with the message C++ Nix would print (e.g. "opening file '/x': No such file or directory").
public struct IOError: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// The evaluator's access to files and the environment.
public protocol EvalIO: AnyObject, Sendable {
    /// The kind of the entry at `path` (following symlinks), or nil if there is none.
    func fileKind(_ path: String) -> FileKind?
    /// The whole contents of a file.
    func readFile(_ path: String) throws -> [UInt8]
    /// An environment variable.
    func environment(_ name: String) -> String?
    /// The kind of the entry at `path` itself (not following a final symlink, like `lstat`), or
    /// nil when there is none (`ENOENT`, `ENOTDIR`); other failures throw
    /// ("getting status of '/x': Permission denied").
    func lstatKind(_ path: String) throws -> FileKind?
    /// The target of a symbolic link.
    func readLink(_ path: String) throws -> String
    /// The entries of a directory (without `.` and `..`), in no particular order; the kind is nil
    /// when the directory listing does not tell it. Failures throw
    /// ("reading directory /x: Not a directory").
    func readDirectory(_ path: String) throws -> [(name: String, kind: FileKind?)]
    /// What NAR serialisation (copying paths to the store, `builtins.path`, `hashFile`) reads:
    /// by default an adapter over the methods above (files never executable, read whole).
    var storeFileSystem: any FileSystemSource { get }
}

extension EvalIO {
    /// Without `lstat`: the kind `fileKind` reports (symlinks followed).
    public func lstatKind(_ path: String) throws -> FileKind? { fileKind(path) }
    public func readLink(_ path: String) throws -> String {
        throw IOError("reading symbolic link '\(path)': Invalid argument")
    }
    public func readDirectory(_ path: String) throws -> [(name: String, kind: FileKind?)] {
        throw IOError("reading directory \(path): Operation not supported")
    }
    public var storeFileSystem: any FileSystemSource { EvalIOFileSystem(io: self) }
}

/// `EvalIO` on the real file system and process environment (POSIX calls, no Foundation).
public final class SystemIO: EvalIO, @unchecked Sendable {
    let variables: [String: String]

    /// `environment` is what `getEnv` sees (normally the process environment).
    public init(environment: [String: String]) {
        variables = environment
    }

    public func fileKind(_ path: String) -> FileKind? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    public func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IOError("opening file '\(path)': \(SystemIO.errorText())") }
        defer { close(fd) }
        return try SystemIO.readAll(fd, path: path)
    }

    public func environment(_ name: String) -> String? { variables[name] }

    public var storeFileSystem: any FileSystemSource { POSIXFileSystem() }

    public func lstatKind(_ path: String) throws -> FileKind? {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw IOError("getting status of '\(path)': \(SystemIO.errorText())")
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    public func readLink(_ path: String) throws -> String {
        do {
            return try POSIXFileSystem().linkTarget(path)
        } catch let e as StoreError {
            throw IOError(e.message)
        }
    }

    public func readDirectory(_ path: String) throws -> [(name: String, kind: FileKind?)] {
        guard let dir = opendir(path) else { throw IOError("reading directory \(path): \(SystemIO.errorText())") }
        defer { closedir(dir) }
        var entries: [(name: String, kind: FileKind?)] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw IOError("reading directory \(path): \(SystemIO.errorText())") }
                break
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            let kind: FileKind?
            // d_type values (the same on Linux and the BSDs).
            switch entry.pointee.d_type {
            case 8: kind = .regular
            case 4: kind = .directory
            case 10: kind = .symlink
            case 0: kind = try? lstatKind(path.hasSuffix("/") ? path + name : path + "/" + name)
            default: kind = .other
            }
            entries.append((name, kind))
        }
        return entries
    }

    /// Reads a file descriptor to its end.
    public static func readAll(_ fd: Int32, path: String) throws -> [UInt8] {
        var result: [UInt8] = []
        var st = stat()
        if fstat(fd, &st) == 0 && st.st_size > 0 { result.reserveCapacity(Int(st.st_size)) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError("reading from file '\(path)': \(errorText())")
            }
            if n == 0 { break }
            result.append(contentsOf: buffer[0..<n])
        }
        return result
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }

    /// The process environment.
    public static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") {
                result[String(s[..<eq])] = String(s[s.index(after: eq)...])
            }
            p += 1
        }
        return result
    }

    /// The working directory of the process.
    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return String(cString: buffer)
    }
}
