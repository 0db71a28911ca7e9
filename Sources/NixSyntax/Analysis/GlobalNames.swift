// The names C++ Nix 2.26 puts in the global scope (the rest of the builtins are reachable as `__name`).

/// Global scope of C++ Nix: used by the scope check of `--parse` and by the compiler.
public enum GlobalNames {
    /// Builtins that are global under their own name.
    public static let bare: [String] = [
        "abort", "baseNameOf", "break", "builtins", "derivation", "derivationStrict", "dirOf", "false",
        "fetchGit", "fetchMercurial", "fetchTarball", "fromTOML", "import", "isNull", "map", "null",
        "placeholder", "removeAttrs", "scopedImport", "throw", "toString", "true",
    ]

    /// Builtins that are global only with a `__` prefix (`__add`, `__attrNames` …).
    public static let prefixed: [String] = [
        "add", "addDrvOutputDependencies", "addErrorContext", "all", "any", "appendContext", "attrNames",
        "attrValues", "bitAnd", "bitOr", "bitXor", "catAttrs", "ceil", "compareVersions", "concatLists",
        "concatMap", "concatStringsSep", "convertHash", "currentSystem", "currentTime", "deepSeq", "div",
        "elem", "elemAt", "fetchurl", "filter", "filterSource", "findFile", "floor", "foldl'", "fromJSON",
        "functionArgs", "genList", "genericClosure", "getAttr", "getContext", "getEnv", "groupBy", "hasAttr",
        "hasContext", "hashFile", "hashString", "head", "intersectAttrs", "isAttrs", "isBool", "isFloat",
        "isFunction", "isInt", "isList", "isPath", "isString", "langVersion", "length", "lessThan",
        "listToAttrs", "mapAttrs", "match", "mul", "nixPath", "nixVersion", "parseDrvName", "partition",
        "path", "pathExists", "readDir", "readFile", "readFileType", "replaceStrings", "seq", "sort", "split",
        "splitVersion", "storeDir", "storePath", "stringLength", "sub", "substring", "tail", "toFile",
        "toJSON", "toPath", "toXML", "trace", "traceVerbose", "tryEval", "typeOf",
        "unsafeDiscardOutputDependency", "unsafeDiscardStringContext", "unsafeGetAttrPos", "warn",
        "zipAttrsWith",
    ]

    /// Every global name, interned in `symbols`.
    public static func symbols(in symbols: SymbolTable) -> Set<Symbol> {
        var set = Set<Symbol>()
        for n in bare { set.insert(symbols.intern(n)) }
        for n in prefixed { set.insert(symbols.intern("__" + n)) }
        return set
    }
}
