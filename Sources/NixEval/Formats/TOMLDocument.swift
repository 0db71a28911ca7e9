// The tables of a TOML document while it is parsed: TOML 1.0's rules for defining and
// extending tables (headers, dotted keys, arrays of tables, immutable inline tables) with
// toml11's messages, and the conversion of the finished tree to Nix values without recursion.

import NixSyntax

/// A table being built.
final class TOMLTable {
    enum Origin {
        case root
        /// Named by a `[header]`.
        case header
        /// Created as a prefix of a header's key (`[a.b]` creates `a`); a later `[a]` defines it.
        case implicit
        /// Created by a dotted key (`a.b = 1` creates `a`).
        case dotted
        /// An inline table `{ … }` (complete when it closes).
        case inline
    }

    enum Entry {
        /// A finished value.
        case value(Value, TOMLValueKind)
        case table(TOMLTable)
        case tables(TOMLTableArray)
    }

    var origin: Origin
    var entries: [[UInt8]: Entry] = [:]
    /// The value once converted.
    var result: Value? = nil

    init(_ origin: Origin) {
        self.origin = origin
    }

    /// The table a header `[k₁.….kₙ]` (or `[[…]]`) names a child of: walks `k₁…kₙ₋₁`,
    /// creating implicit tables and entering the last table of arrays of tables.
    func headerParent(_ key: [[UInt8]]) throws -> TOMLTable {
        var t = self
        for k in key.dropLast() {
            switch t.entries[k] {
            case nil:
                let child = TOMLTable(.implicit)
                t.entries[k] = .table(child)
                t = child
            case .table(let child): t = child
            case .tables(let array): t = array.tables[array.tables.count - 1]
            case .value(_, let kind): throw TOMLDocument.valueConflict(kind)
            }
        }
        return t
    }

    /// The table a key/value `k₁.….kₙ = v` puts `kₙ` in: walks `k₁…kₙ₋₁`, creating dotted tables.
    func dottedParent(_ key: [[UInt8]]) throws -> TOMLTable {
        var t = self
        for k in key.dropLast() {
            switch t.entries[k] {
            case nil:
                let child = TOMLTable(.dotted)
                t.entries[k] = .table(child)
                t = child
            case .table(let child):
                guard child.origin == .dotted || child.origin == .inline else {
                    throw TOMLDocument.failure("toml::insert_value: reopening a table using dotted keys")
                }
                t = child
            case .tables: throw TOMLDocument.valueConflict(.plain)
            case .value(_, let kind): throw TOMLDocument.valueConflict(kind)
            }
        }
        return t
    }
}

/// What a finished value is, for toml11's messages when something tries to extend it.
enum TOMLValueKind {
    case plain
    /// `{ … }`.
    case inlineTable
    /// `[ { … }, … ]`: a non-empty array of inline tables.
    case inlineTables
}

/// The tables of an array of tables (`[[name]]`).
final class TOMLTableArray {
    var tables: [TOMLTable]
    init(_ first: TOMLTable) { tables = [first] }
}

enum TOMLDocument {
    /// A structural error (the position is filled in by the parser).
    static func failure(_ message: String) -> TOMLError { TOMLError(message: message, offset: -1) }

    /// Extending a value that is not a table (toml11's message depends on what it is).
    static func valueConflict(_ kind: TOMLValueKind) -> TOMLError {
        switch kind {
        case .plain: return failure("toml::insert_value: failed to insert a value, value already exists")
        case .inlineTable: return failure("toml::insert_value: failed to insert a value: inline table is immutable")
        case .inlineTables: return failure("toml::insert_value:inline array of tables are immutable")
        }
    }

    /// `[key]`: the table that following key/values go into.
    static func defineTable(_ root: TOMLTable, _ key: [[UInt8]]) throws -> TOMLTable {
        let parent = try root.headerParent(key)
        let name = key[key.count - 1]
        switch parent.entries[name] {
        case nil:
            let t = TOMLTable(.header)
            parent.entries[name] = .table(t)
            return t
        case .table(let t) where t.origin == .implicit:
            t.origin = .header
            return t
        default:
            throw failure("toml::insert_value: failed to insert a table, table already defined")
        }
    }

    /// `[[key]]`: a new table at the end of the array of tables.
    static func appendTable(_ root: TOMLTable, _ key: [[UInt8]]) throws -> TOMLTable {
        let parent = try root.headerParent(key)
        let name = key[key.count - 1]
        let t = TOMLTable(.header)
        switch parent.entries[name] {
        case nil: parent.entries[name] = .tables(TOMLTableArray(t))
        case .tables(let array): array.tables.append(t)
        case .value(_, .inlineTables): throw failure("toml::insert_value: failed to insert a table, inline array of tables is immutable")
        default: throw failure("toml::insert_value: failed to insert an array of tables, value already exists")
        }
        return t
    }

    /// `key = value` in `table`.
    static func insert(_ table: TOMLTable, _ key: [[UInt8]], _ value: Value, _ kind: TOMLValueKind) throws {
        let parent = try table.dottedParent(key)
        let name = key[key.count - 1]
        guard parent.entries[name] == nil else { throw valueConflict(.plain) }
        parent.entries[name] = .value(value, kind)
    }

    /// The Nix value of a finished table tree: children are converted before their parents
    /// (reverse pre-order), so nesting depth never becomes recursion.
    static func materialize(_ root: TOMLTable, heap: Heap, symbols: SymbolTable) throws -> Value {
        var order: [TOMLTable] = []
        var pending = [root]
        while let t = pending.popLast() {
            order.append(t)
            for entry in t.entries.values {
                switch entry {
                case .table(let child): pending.append(child)
                case .tables(let array): pending += array.tables
                case .value: break
                }
            }
        }
        for t in order.reversed() {
            var attrs: [(Symbol, Value)] = []
            attrs.reserveCapacity(t.entries.count)
            for (key, entry) in t.entries {
                if key.contains(0) { throw nulError(key) }
                let v: Value
                switch entry {
                case .value(let value, _): v = value
                case .table(let child): v = child.result ?? .null
                case .tables(let array):
                    let list = heap.list(count: array.tables.count)
                    for (i, element) in array.tables.enumerated() { list[i] = element.result ?? .null }
                    v = list.value
                }
                attrs.append((symbols.intern(key), v))
            }
            t.result = heap.attrs(attrs)
        }
        return root.result ?? .null
    }

    /// C++ Nix's check while converting: strings and names may not contain NUL bytes.
    static func nulError(_ bytes: [UInt8]) -> TOMLError {
        TOMLError(message: "error: input string '\(JSONParser.showingNUL(bytes))' cannot be represented as Nix string because it contains null bytes",
                  offset: -1, toml11: false)
    }
}
