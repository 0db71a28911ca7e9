// NAR serialisation over any `EvalIO`: the adapter `EvalIO.storeFileSystem` uses when an
// implementation offers nothing better (`SystemIO` reads the real file system directly).

import NixStore

/// `FileSystemSource` over the methods of an `EvalIO`: regular files are never executable and
/// are read whole; an entry that does not exist gives C++ Nix's "path '…' does not exist".
struct EvalIOFileSystem: FileSystemSource {
    let io: any EvalIO

    func status(_ path: String) throws -> FileSystemObjectStatus {
        guard let kind = try wrap({ try io.lstatKind(path) }) else {
            throw StoreError("path '\(path)' does not exist")
        }
        switch kind {
        case .regular:
            let size = try wrap { try io.readFile(path).count }
            return FileSystemObjectStatus(type: .regular, size: UInt64(size))
        case .directory: return FileSystemObjectStatus(type: .directory)
        case .symlink: return FileSystemObjectStatus(type: .symlink)
        case .other: return FileSystemObjectStatus(type: .other)
        }
    }

    func directoryEntries(_ path: String) throws -> [String] {
        try wrap { try io.readDirectory(path).map(\.name) }
    }

    func linkTarget(_ path: String) throws -> String {
        try wrap { try io.readLink(path) }
    }

    func readChunks(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let data = try wrap { try io.readFile(path) }
        try data.withUnsafeBytes { try body($0) }
    }

    /// Runs `body`, turning an `IOError` into a `StoreError` with the same message.
    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as IOError {
            throw StoreError(e.message)
        }
    }
}
