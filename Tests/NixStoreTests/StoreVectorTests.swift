// Hashes, hash parsing, NAR serialisation and store path computation checked against the
// answers of C++ Nix 2.26 recorded in Vectors/store-vectors.json (regenerate with
// `python3 Tests/Tools/store-vectors.py`).

import Foundation
import NixStore
import XCTest

/// The recorded vectors, decoded.
struct StoreVectors: Decodable {
    struct HashCase: Decodable { let string, algorithm, base16, nix32, base64, sri: String }
    struct ParseCase: Decodable { let text: String; let algorithm: String?; let sri: String?; let error: String? }
    struct Entry: Decodable { let path, kind, data: String }
    struct Tree: Decodable {
        let name: String
        let entries: [Entry]
        let narSHA256: String
        let narSize: Int
        let narHashNix32: String
        let added: String
        let fixed: [String: String]
        let narBase64: String?
    }
    struct Large: Decodable { let size: UInt64; let narSHA256: String }
    struct TextPath: Decodable {
        let name, contents: String
        let storeDir: String?
        let references: [String]
        let path: String
    }
    struct NameCase: Decodable { let name: String; let path: String?; let error: String? }
    struct Placeholder: Decodable { let output, placeholder: String }

    let hashes: [HashCase]
    let parses: [ParseCase]
    let trees: [Tree]
    let large: [Large]
    let textPaths: [TextPath]
    let names: [NameCase]
    let placeholders: [Placeholder]

    static func load() throws -> StoreVectors {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Vectors/store-vectors.json")
        return try JSONDecoder().decode(StoreVectors.self, from: Data(contentsOf: url))
    }
}

final class StoreVectorTests: XCTestCase {
    var vectors: StoreVectors!
    let store = StoreDirectory()

    override func setUpWithError() throws {
        vectors = try StoreVectors.load()
    }

    func testHashesPrintInEveryFormatAsNix() throws {
        XCTAssertEqual(vectors.hashes.count, 20)
        for v in vectors.hashes {
            let algorithm = try XCTUnwrap(HashAlgorithm(name: v.algorithm))
            let h = Hash.of(string: v.string, algorithm: algorithm)
            XCTAssertEqual(h.encoded(.base16), v.base16, v.string)
            XCTAssertEqual(h.encoded(.nix32), v.nix32, v.string)
            XCTAssertEqual(h.encoded(.base64), v.base64, v.string)
            XCTAssertEqual(h.encoded(.sri), v.sri, v.string)
            XCTAssertEqual(h.encoded(.base16, includeAlgorithm: true), v.algorithm + ":" + v.base16)
            for text in [v.base16, v.nix32, v.base64] {
                XCTAssertEqual(try Hash.parseAny(text, algorithm: algorithm), h, text)
                XCTAssertEqual(try Hash.parseNonSRIUnprefixed(text, algorithm: algorithm), h, text)
                XCTAssertEqual(try Hash.parseAnyPrefixed(v.algorithm + ":" + text), h, text)
            }
            XCTAssertEqual(try Hash.parseSRI(v.sri), h)
            XCTAssertEqual(try Hash.parseAny(v.sri, algorithm: nil), h)
        }
    }

    func testStreamedHashingEqualsHashingAtOnce() throws {
        for v in vectors.hashes {
            let algorithm = try XCTUnwrap(HashAlgorithm(name: v.algorithm))
            var sink = HashSink(algorithm)
            for scalar in v.string.unicodeScalars { sink.update(String(scalar)) }
            XCTAssertEqual(sink.finalize().base16, v.base16)
            XCTAssertEqual(sink.byteCount, UInt64(v.string.utf8.count))
        }
    }

    func testHashParsingAgreesWithNixIncludingMessages() throws {
        XCTAssertFalse(vectors.parses.isEmpty)
        for v in vectors.parses {
            let algorithm = v.algorithm.flatMap { HashAlgorithm(name: $0) }
            do {
                let h = try Hash.parseAny(v.text, algorithm: algorithm)
                XCTAssertEqual(h.sri, v.sri, v.text)
                XCTAssertNil(v.error, v.text)
            } catch let e as StoreError {
                XCTAssertEqual(e.message, v.error, v.text)
            }
        }
    }

    func testNARSerialisationAndSourcePathsAgreeWithNix() throws {
        let tmp = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        XCTAssertEqual(vectors.trees.count, 8)
        for tree in vectors.trees {
            let root = tmp + "/" + tree.name
            try build(tree, at: root)
            var buffer = ByteBuffer()
            try NAR.dump(root, from: POSIXFileSystem(), into: &buffer)
            XCTAssertEqual(Hash.of(buffer.bytes, algorithm: .sha256).base16, tree.narSHA256, tree.name)
            XCTAssertEqual(buffer.bytes.count, tree.narSize, tree.name)
            if let b64 = tree.narBase64 { XCTAssertEqual(Data(buffer.bytes).base64EncodedString(), b64) }

            let (narHash, size) = try NAR.hash(root, from: POSIXFileSystem())
            XCTAssertEqual(narHash.nix32, tree.narHashNix32, tree.name)
            XCTAssertEqual(size, UInt64(tree.narSize))
            let added = try store.makeFixedOutputPath(name: tree.name, method: .nixArchive, hash: narHash)
            XCTAssertEqual(store.print(added), tree.added, tree.name)

            for (key, expected) in tree.fixed {
                let recursive = key.hasPrefix("r:")
                let algorithm = try XCTUnwrap(HashAlgorithm(name: recursive ? String(key.dropFirst(2)) : key))
                let hash: Hash
                if recursive {
                    hash = try NAR.hash(root, from: POSIXFileSystem(), algorithm: algorithm).hash
                } else {
                    var sink = HashSink(algorithm)
                    try POSIXFileSystem().readChunks(root) { sink.update($0) }
                    hash = sink.finalize()
                }
                let p = try store.makeFixedOutputPath(
                    name: tree.name, method: recursive ? .nixArchive : .flat, hash: hash)
                XCTAssertEqual(store.print(p), expected, "\(tree.name) \(key)")
            }
        }
    }

    func testNARFilterLeavesOutRejectedEntries() throws {
        let tmp = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let tree = try XCTUnwrap(vectors.trees.first { $0.name == "tree" })
        let root = tmp + "/tree"
        try build(tree, at: root)
        var asked: [String] = []
        let all = try NAR.hash(root, from: POSIXFileSystem(), filter: { asked.append($0); return true })
        XCTAssertEqual(all.hash.base16, tree.narSHA256)
        // Sorted, depth first, the root not asked.
        XCTAssertEqual(asked.map { String($0.dropFirst(root.count)) }, [
            "/B", "/Z", "/a", "/a-b", "/a.b", "/sub", "/sub/dangling", "/sub/deeper", "/sub/deeper/x",
            "/sub/empty", "/sub/inner.txt",
        ])
        // Filtering out everything but the empty-dir entries yields an empty directory's NAR.
        let empty = try XCTUnwrap(vectors.trees.first { $0.name == "empty-dir" })
        let none = try NAR.hash(root, from: POSIXFileSystem(), filter: { _ in false })
        XCTAssertEqual(none.hash.base16, empty.narSHA256)
    }

    func testLargeFilesAreStreamed() throws {
        for v in vectors.large {
            let (hash, size) = try NAR.hash("/zeros", from: ZeroFile(size: v.size))
            XCTAssertEqual(hash.base16, v.narSHA256)
            XCTAssertEqual(size, 112 + (v.size + 7) / 8 * 8)
        }
    }

    func testTextPathsAgreeWithNix() throws {
        for v in vectors.textPaths {
            let dir = StoreDirectory(v.storeDir ?? StoreDirectory.defaultPath)
            let refs = Set(try v.references.map { try dir.parse($0) })
            let p = try dir.makeTextPath(name: v.name, contents: Array(v.contents.utf8), references: refs)
            XCTAssertEqual(dir.print(p), v.path)
            XCTAssertEqual(try dir.parse(v.path), p)
        }
    }

    func testStoreDirectoryComesFromTheEnvironment() {
        XCTAssertEqual(StoreDirectory(environment: { _ in nil }).path, "/nix/store")
        XCTAssertEqual(StoreDirectory(environment: { $0 == "NIX_STORE_DIR" ? "/foo/store/" : nil }).path, "/foo/store")
        XCTAssertEqual(StoreDirectory(environment: { $0 == "NIX_STORE_DIR" ? "" : "/bar" }).path, "/bar")
    }

    func testNameValidationAgreesWithNix() throws {
        for v in vectors.names {
            do {
                let p = try store.makeTextPath(name: v.name, contents: Array("x".utf8), references: [])
                XCTAssertEqual(store.print(p), v.path, v.name)
            } catch let e as StoreError {
                // C++ Nix prints a single byte of a multi-byte character; it decodes as U+FFFD.
                XCTAssertEqual(e.message.replacingOccurrences(of: "\u{FFFD}", with: "?"),
                               v.error?.replacingOccurrences(of: "\u{FFFD}", with: "?"), v.name)
            }
        }
    }

    func testPlaceholdersAgreeWithNix() {
        for v in vectors.placeholders {
            XCTAssertEqual("/" + Hash.of(string: "nix-output:" + v.output, algorithm: .sha256).nix32, v.placeholder)
        }
    }

    func testParsingStorePaths() throws {
        XCTAssertThrowsError(try store.parse("/nix/store/abc")) { e in
            XCTAssertEqual((e as? StoreError)?.message, "'abc' is too short to be a valid store path")
        }
        XCTAssertThrowsError(try store.parse("/nix/store/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-x")) { e in
            XCTAssertEqual(
                (e as? StoreError)?.message,
                "store path 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-x' contains illegal base-32 character 'e'")
        }
        XCTAssertThrowsError(try store.parse("/tmp/lfngsssysp6h1v4ccqg23c52s9sjl779-x")) { e in
            XCTAssertEqual((e as? StoreError)?.message, "path '/tmp/lfngsssysp6h1v4ccqg23c52s9sjl779-x' is not in the Nix store")
        }
        let (p, rest) = try store.splitStorePath("/nix/store/lfngsssysp6h1v4ccqg23c52s9sjl779-x/a/b")
        XCTAssertEqual(p.name, "x")
        XCTAssertEqual(p.hashPart, "lfngsssysp6h1v4ccqg23c52s9sjl779")
        XCTAssertEqual(rest, "/a/b")
    }

    // MARK: Helpers

    func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "swix-store-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Builds the files of a vector tree under `root`.
    func build(_ tree: StoreVectors.Tree, at root: String) throws {
        let fm = FileManager.default
        for e in tree.entries {
            let p = e.path.isEmpty ? root : root + "/" + e.path
            switch e.kind {
            case "dir": try fm.createDirectory(atPath: p, withIntermediateDirectories: true)
            case "link": try fm.createSymbolicLink(atPath: p, withDestinationPath: e.data)
            default:
                XCTAssertTrue(fm.createFile(atPath: p, contents: Data(e.data.utf8)))
                try fm.setAttributes([.posixPermissions: e.kind == "exec" ? 0o755 : 0o644], ofItemAtPath: p)
            }
        }
    }
}

/// A file system holding one regular file of `size` zero bytes, produced chunk by chunk.
struct ZeroFile: FileSystemSource {
    let size: UInt64
    func status(_ path: String) throws -> FileSystemObjectStatus { FileSystemObjectStatus(type: .regular, size: size) }
    func directoryEntries(_ path: String) throws -> [String] { [] }
    func linkTarget(_ path: String) throws -> String { "" }
    func readChunks(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let chunk = [UInt8](repeating: 0, count: 1 << 20)
        var left = size
        while left > 0 {
            let n = Int(min(left, UInt64(chunk.count)))
            try chunk.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            left -= UInt64(n)
        }
    }
}
