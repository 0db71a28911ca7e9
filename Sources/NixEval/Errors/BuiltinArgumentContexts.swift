// The trace line C++ Nix 2.26 adds when a builtin rejects one of its arguments (its `errorCtx`
// strings), for error traces.

enum BuiltinArgumentContexts {
    /// "while evaluating the first argument passed to builtins.length" and the exceptions
    /// C++ Nix words differently.
    static func line(builtin name: String, argument i: Int) -> String {
        if let special = exceptions[name]?[i] { return "while evaluating the \(special)" }
        let shown = internalNames[name] ?? name
        return "while evaluating the \(VM.ordinal(i)) argument passed to builtins.\(shown)"
    }

    /// The line C++ Nix adds when a builtin looks up an attribute that is missing
    /// ("attribute 'NAME' missing"), nil where it adds none.
    static func missingAttribute(builtin: String, message: String) -> String? {
        guard message.hasPrefix("attribute '"), message.hasSuffix("' missing") else { return nil }
        let name = message.dropFirst("attribute '".count).dropLast("' missing".count)
        switch builtin {
        case "getAttr": return "in the attribute set under consideration"
        case "derivationStrict" where name == "name":
            return "in the attrset passed as argument to builtins.derivationStrict"
        case "genericClosure" where name == "startSet" || name == "operator":
            return "in the attrset passed as argument to builtins.genericClosure"
        default: return nil
        }
    }

    /// Builtins whose C++ implementation has another name in its messages.
    static let internalNames: [String: String] = ["foldl'": "foldlStrict"]

    static let exceptions: [String: [Int: String]] = [
        "attrNames": [0: "argument passed to builtins.attrNames"],
        "attrValues": [0: "argument passed to builtins.attrValues"],
        "derivationStrict": [0: "argument passed to builtins.derivationStrict"],
        "listToAttrs": [0: "argument passed to builtins.listToAttrs"],
        "stringLength": [0: "argument passed to builtins.stringLength"],
        "concatStringsSep": [0: "first argument (the separator string) passed to builtins.concatStringsSep",
                             1: "second argument (the list of strings to concat) passed to builtins.concatStringsSep"],
        "substring": [0: "first argument (the start offset) passed to builtins.substring",
                      1: "second argument (the substring length) passed to builtins.substring",
                      2: "third argument (the string) passed to builtins.substring"],
        "elemAt": [0: "first argument passed to 'builtins.elemAt'"],
        "head": [0: "first argument passed to 'builtins.head'"],
        "tail": [0: "first argument passed to 'builtins.tail'"],
        "storePath": [0: "first argument passed to 'builtins.storePath'"],
        "filterSource": [1: "second argument (the path to filter) passed to 'builtins.filterSource'"],
        "add": [0: "first argument of the addition", 1: "second argument of the addition"],
        "sub": [0: "first argument of the subtraction", 1: "second argument of the subtraction"],
        "mul": [0: "first argument of the multiplication", 1: "second argument of the multiplication"],
        "div": [0: "first operand of the division", 1: "second operand of the division"],
    ]
}
