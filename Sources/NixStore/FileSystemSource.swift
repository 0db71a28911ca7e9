// What NAR serialisation reads from a file system, and its implementation over POSIX calls
// (no Foundation), with C++ Nix's error messages ("getting status of '/x': No such file or directory").

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The type of a file system object, as `lstat` reports it (a symlink is not followed).
public enum FileSystemObjectType: Hashable, Sendable {
    case regular, directory, symlink, other

    /// The name C++ Nix gives a path filter's second argument (`regular`, `directory`,
    /// `symlink`, `unknown`).
    public var filterName: String {
        switch self {
        case .regular: return "regular"
        case .directory: return "directory"
        case .symlink: return "symlink"
        case .other: return "unknown"
        }
    }
}

/// What `lstat` says of a file system object.
public struct FileSystemObjectStatus: Hashable, Sendable {
    public var type: FileSystemObjectType
    /// Whether a regular file has its owner-execute bit set.
    public var isExecutable: Bool
    /// The size of a regular file in bytes.
    public var size: UInt64

    public init(type: FileSystemObjectType, isExecutable: Bool = false, size: UInt64 = 0) {
        self.type = type
        self.isExecutable = isExecutable
        self.size = size
    }
}

/// Read access to a tree of files, as NAR serialisation needs it. Errors carry C++ Nix's messages.
public protocol FileSystemSource {
    /// The status of `path` itself (symlinks not followed); "path '…' does not exist" when
    /// there is nothing there.
    func status(_ path: String) throws -> FileSystemObjectStatus
    /// The names of the entries of a directory (without `.` and `..`), in any order.
    func directoryEntries(_ path: String) throws -> [String]
    /// The target of a symbolic link.
    func linkTarget(_ path: String) throws -> String
    /// Calls `body` with successive chunks of a regular file's contents.
    func readChunks(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws
}

/// The text of the current `errno` (`strerror`).
func systemErrorText() -> String { String(cString: strerror(errno)) }

/// `FileSystemSource` on the real file system.
public struct POSIXFileSystem: FileSystemSource {
    /// The size of the chunks `readChunks` passes on.
    public static let chunkSize = 1 << 16

    public init() {}

    public func status(_ path: String) throws -> FileSystemObjectStatus {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw StoreError("path '\(path)' does not exist") }
            throw StoreError("getting status of '\(path)': \(systemErrorText())")
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG:
            return FileSystemObjectStatus(
                type: .regular, isExecutable: st.st_mode & S_IXUSR != 0, size: UInt64(max(0, st.st_size)))
        case S_IFDIR: return FileSystemObjectStatus(type: .directory)
        case S_IFLNK: return FileSystemObjectStatus(type: .symlink)
        default: return FileSystemObjectStatus(type: .other)
        }
    }

    public func directoryEntries(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw StoreError("opening directory '\(path)': \(systemErrorText())") }
        defer { closedir(dir) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw StoreError("reading directory '\(path)': \(systemErrorText())") }
                break
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names
    }

    public func linkTarget(_ path: String) throws -> String {
        var size = 256
        while true {
            var buffer = [CChar](repeating: 0, count: size)
            let n = readlink(path, &buffer, size)
            if n < 0 { throw StoreError("reading symbolic link '\(path)': \(systemErrorText())") }
            if n < size { return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
            size *= 2
        }
    }

    public func readChunks(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError("opening file '\(path)': \(systemErrorText())") }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: POSIXFileSystem.chunkSize, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError("reading from file '\(path)': \(systemErrorText())")
            }
            if n == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }
}
