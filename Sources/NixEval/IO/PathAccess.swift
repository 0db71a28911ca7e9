// Pure and restricted evaluation: which files an evaluation may read. As C++ Nix 2.26, pure
// mode allows only the store, and restricted mode the store and the search path entries.

import NixSyntax

extension VM {
    /// Throws C++ Nix's error when `path` (absolute, canonical) may not be read: it names the
    /// first directory on the way that is neither an allowed root, inside one, nor above one.
    func checkAccess(_ path: String, span: Span?) throws {
        let settings = program.settings
        guard settings.pureEval || settings.restrictEval else { return }
        let roots = program.allowedRoots
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            let allowed = roots.contains { root in
                root == "/" || prefix == root || prefix.hasPrefix(root + "/") || root.hasPrefix(prefix + "/")
            }
            if allowed { continue }
            let mode = settings.pureEval
                ? "pure evaluation mode (use '--impure' to override)" : "restricted mode"
            throw EvalError(.other, "access to absolute path '\(prefix)' is forbidden in \(mode)", span: span)
        }
    }

    /// Whether a search path lookup (`<name>`) is allowed: not in pure mode.
    func checkSearchPathLookup(_ name: String, span: Span?) throws {
        guard program.settings.pureEval else { return }
        throw EvalError(.other, "cannot look up '<\(name)>' in pure evaluation mode (use '--impure' to override)", span: span)
    }
}

extension Program {
    /// The directories a pure or restricted evaluation may read below.
    func computeAllowedRoots() -> [String] {
        var roots = [settings.storeDir]
        if settings.restrictEval && !settings.pureEval {
            for entry in settings.searchPath {
                let absolute = PathUtilities.absolute(Array(entry.path.utf8), base: settings.currentDirectory)
                roots.append(String(decoding: PathUtilities.canonical(absolute), as: UTF8.self))
            }
        }
        return roots
    }
}
