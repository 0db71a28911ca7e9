// The front door of NixSyntax: parse a source and check its scopes in one call.

/// Parses and scope-checks Nix source the way `nix-instantiate --parse` does.
public enum NixFrontEnd {
    /// Parses `source` and reports undefined variables against C++ Nix's global names.
    /// Runs on a large-stack thread so that deep nesting up to `options.maxDepth` is safe.
    public static func parse(_ source: SourceFile, symbols: SymbolTable, options: ParseOptions = ParseOptions()) throws -> SyntaxTree {
        let result: Result<SyntaxTree, Error> = withLargeStack {
            Result {
                let tree = try Parser.parse(source, symbols: symbols, options: options)
                try ScopeChecker.check(tree, globals: GlobalNames.symbols(in: symbols))
                return tree
            }
        }
        return try result.get()
    }
}
