// The configuration settings of C++ Nix 2.26 that its commands accept as `--NAME VALUE`,
// `--NAME` / `--no-NAME` (Booleans), `--extra-NAME VALUE` (lists) and `--option NAME VALUE`.
// Swix honours the evaluation settings among them (`EvalSettingsBuilder`) and accepts the rest
// as C++ Nix's `nix-instantiate --eval` does: they change nothing an evaluation can observe.

/// The kind of value a setting takes.
enum SettingKind {
    case boolean
    case integer
    case text
    /// A white-space separated list (also settable with `--extra-NAME`).
    case list
}

enum NixSettings {
    /// Every setting of Nix 2.26 (`nix config show`), with its kind.
    static let kinds: [String: SettingKind] = {
        var table: [String: SettingKind] = [:]
        for name in booleans { table[name] = .boolean }
        for name in integers { table[name] = .integer }
        for name in texts { table[name] = .text }
        for name in lists { table[name] = .list }
        return table
    }()

    static let booleans = [
        "abort-on-warn", "allow-dirty", "allow-import-from-derivation", "allow-new-privileges",
        "allow-symlinked-store", "allow-unsafe-native-code-during-evaluation", "always-allow-substitutes",
        "auto-optimise-store", "builders-use-substitutes", "compress-build-log", "debugger-on-trace",
        "debugger-on-warn", "eval-cache", "fallback", "filter-syscalls", "fsync-metadata",
        "fsync-store-paths", "http2", "ignore-try", "impersonate-linux-26", "keep-build-log",
        "keep-derivations", "keep-env-derivations", "keep-failed", "keep-going", "keep-outputs",
        "nix-shell-always-looks-for-shell-nix", "nix-shell-shebang-arguments-relative-to-script",
        "preallocate-contents", "print-missing", "pure-eval", "require-drop-supplementary-groups",
        "require-sigs", "restrict-eval", "run-diff-hook", "sandbox-fallback", "show-trace", "substitute",
        "sync-before-registering", "trace-function-calls", "trace-verbose", "trust-tarballs-from-git-forges",
        "use-case-hack", "use-cgroups", "use-sqlite-wal", "use-xdg-base-directories", "warn-dirty",
        // Boolean-like values that also take "relaxed".
        "sandbox",
    ]
    static let integers = [
        "build-poll-interval", "connect-timeout", "cores", "download-attempts", "download-buffer-size",
        "download-speed", "gc-reserved-space", "http-connections", "id-count", "log-lines",
        "max-build-log-size", "max-call-depth", "max-free", "max-jobs", "max-silent-time",
        "max-substitution-jobs", "min-free", "min-free-check-interval", "nar-buffer-size",
        "narinfo-cache-negative-ttl", "narinfo-cache-positive-ttl", "stalled-download-timeout", "start-id",
        "tarball-ttl", "timeout", "warn-large-path-threshold",
    ]
    static let texts = [
        "bash-prompt", "bash-prompt-prefix", "bash-prompt-suffix", "build-dir", "build-hook",
        "build-users-group", "builders", "diff-hook", "eval-system", "netrc-file", "post-build-hook",
        "pre-build-hook", "sandbox-build-dir", "sandbox-dev-shm-size", "ssl-cert-file", "store", "system",
        "upgrade-nix-store-path-url", "user-agent-suffix",
    ]
    static let lists = [
        "access-tokens", "allowed-impure-host-deps", "allowed-uris", "allowed-users", "experimental-features",
        "extra-platforms", "hashed-mirrors", "ignored-acls", "nix-path", "plugin-files", "sandbox-paths",
        "secret-key-files", "substituters", "system-features", "trusted-public-keys", "trusted-substituters",
        "trusted-users",
    ]

    /// A Boolean setting's value as C++ Nix reads it.
    static func parseBoolean(_ name: String, _ value: String) throws -> Bool {
        switch value {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: throw UsageError("Boolean setting '\(name)' has invalid value '\(value)'")
        }
    }
}
