// Where `swix instantiate` writes: the Nix daemon (`DaemonStore`, connected on first use),
// chosen from `--store`/`NIX_REMOTE`, and the garbage-collector roots of `--add-root`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NixEval
import NixStore

/// Where instantiation writes store objects: the Nix daemon (connected on first use), or
/// nowhere in read-only mode (`--readonly-mode`, `--dry-run`).
final class StoreWriter {
    let storeDirectory: StoreDirectory
    /// The daemon's socket; nil when nothing is written.
    let socketPath: String?
    /// Why the store cannot be written (an unsupported store), reported at the first write.
    private let unsupported: String?
    private var connection: DaemonStore?
    /// Receives the daemon's log lines (printed to standard error, as C++ Nix prints them).
    var log: (String) -> Void = { _ in }

    /// The store named by `--store` or `NIX_REMOTE` (`daemon`, `unix://PATH` or unset; the
    /// default socket is `NIX_DAEMON_SOCKET_PATH` or the state directory's).
    init(storeDirectory: StoreDirectory, storeURI: String?, environment: [String: String], readOnly: Bool) {
        self.storeDirectory = storeDirectory
        let uri = storeURI ?? environment["NIX_REMOTE"] ?? ""
        var lookup = environment
        if uri.hasPrefix("unix://") { lookup["NIX_REMOTE"] = uri }
        socketPath = readOnly ? nil : DaemonStore.socketPath(environment: { lookup[$0] })
        if uri.hasPrefix("unix://") || ["", "auto", "daemon"].contains(uri) {
            unsupported = nil
        } else if uri.hasPrefix("dummy://") || uri == "dummy" {
            unsupported = "operation 'addToStore' is not supported by store 'dummy'"
        } else {
            unsupported = "swix writes to the store only through the Nix daemon: the store '\(uri)' is not supported (use 'daemon' or 'unix://PATH')"
        }
    }

    /// Adds the objects the daemon does not have yet, in order (references first).
    func write(_ objects: [StoreObject]) throws {
        guard socketPath != nil, !objects.isEmpty else { return }
        try withDaemon { store in
            let valid = try store.queryValidPaths(Set(objects.map(\.path)))
            for object in objects where !valid.contains(object.path) {
                try store.add(object)
            }
        }
    }

    /// `--add-root`: makes `root` (absolute, canonical) a symlink to `path` and registers it
    /// with the daemon as a garbage-collector root, as C++ Nix's `addPermRoot`; returns `root`.
    func addPermRoot(_ path: StorePath, at root: String) throws -> String {
        if storeDirectory.isInStore(root) {
            throw EvalError(.other, "creating a garbage collector root (\(root)) in the Nix store is forbidden (are you running nix-build inside the store?)")
        }
        guard socketPath != nil else {
            throw EvalError(.other, "--add-root needs a store to write to (it cannot be used with --readonly-mode or --dry-run)")
        }
        try withDaemon { store in
            try store.addTempRoot(path)
            let target = storeDirectory.print(path)
            try GCRootLink.replace(root, target: target, isStorePath: storeDirectory.isInStore)
            try store.addIndirectRoot(root)
        }
        return root
    }

    /// Runs `body` with the daemon connection (made on first use), turning the daemon's and the
    /// store's errors into evaluation errors.
    private func withDaemon(_ body: (DaemonStore) throws -> Void) throws {
        guard let socketPath else { return }
        if let unsupported { throw EvalError(.other, unsupported) }
        do {
            let store: DaemonStore
            if let connection {
                store = connection
            } else {
                store = try DaemonStore(socketPath: socketPath, storeDirectory: storeDirectory, log: log)
                connection = store
            }
            try body(store)
        } catch let e as DaemonError {
            throw EvalError(.other, String(decoding: ANSIFilter.filter(Array(e.message.utf8)), as: UTF8.self))
        } catch let e as StoreError {
            throw EvalError(.other, e.message)
        }
    }
}

/// The symlink of a garbage-collector root (C++ Nix's checks and `makeSymlink`: an existing
/// file is only replaced if it is a symlink into the store; the link is made under a temporary
/// name and renamed over the old one).
enum GCRootLink {
    static func replace(_ root: String, target: String, isStorePath: (String) -> Bool) throws {
        var st = stat()
        if lstat(root, &st) == 0 {
            let isLink = (st.st_mode & S_IFMT) == S_IFLNK
            guard isLink, let old = readLink(root), isStorePath(old) else {
                throw EvalError(.other, "cannot create symlink '\(root)'; already exists")
            }
        }
        let temporary = root + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard symlink(target, temporary) == 0 else {
            throw EvalError(.other, "creating symlink '\(temporary)' -> '\(target)': \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, root) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw EvalError(.other, "renaming '\(temporary)' to '\(root)': \(reason)")
        }
    }

    private static func readLink(_ path: String) -> String? {
        var buffer = [Int8](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, buffer.count)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
