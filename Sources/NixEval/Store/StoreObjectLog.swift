// The store objects an evaluation made (copied paths, `toFile` texts, `.drv` files), in the
// order they were made, so that a command can write them to a store afterwards: an object's
// references are always made, and so recorded, before it.

import NixStore

/// The store objects made during one evaluation, each once. Holds no Nix values.
struct StoreObjectLog {
    private(set) var pending: [StoreObject] = []
    private var known: Set<StorePath> = []

    /// Records an object unless one with its path was recorded before.
    mutating func record(_ object: StoreObject) {
        if known.insert(object.path).inserted { pending.append(object) }
    }

    /// The objects recorded since the last call, oldest first.
    mutating func take() -> [StoreObject] {
        defer { pending = [] }
        return pending
    }
}

extension Evaluator {
    /// The store objects made since the last call (in the order they were made, so references
    /// come first), when `EvalSettings.recordStoreObjects` is set; each object is returned once.
    public func takeStoreObjects() -> [StoreObject] {
        program.storeObjects.take()
    }
}
