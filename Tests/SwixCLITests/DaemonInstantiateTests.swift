// `swix instantiate` against a live Nix daemon: derivations with a copied source, a `toFile`
// text, a dependency and a fixed output are written, and the daemon then has every object,
// with the contents Swix computed. Needs a daemon: set SWIX_TEST_DAEMON_SOCKET to its socket
// (e.g. a Nix 2.26 `nix-daemon`); without it the tests are skipped, saying so.

import Foundation
import NixEval
import NixStore
import NixSyntax
import SwixCLI
import XCTest

final class DaemonInstantiateTests: XCTestCase {
    private var socket = ""
    private var directory = ""

    override func setUpWithError() throws {
        guard let s = ProcessInfo.processInfo.environment["SWIX_TEST_DAEMON_SOCKET"], !s.isEmpty else {
            throw XCTSkip("no Nix daemon: set SWIX_TEST_DAEMON_SOCKET to a nix-daemon socket to run the store-writing tests")
        }
        socket = s
        // Fresh contents, so that the paths are new to the daemon's store.
        let token = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        directory = NSTemporaryDirectory() + "swix-daemon-\(token)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory + "/tree/sub", withIntermediateDirectories: true)
        try "source \(token)\n".write(toFile: directory + "/src.txt", atomically: true, encoding: .utf8)
        try "tree \(token)\n".write(toFile: directory + "/tree/a", atomically: true, encoding: .utf8)
        try "#!/bin/sh\n".write(toFile: directory + "/tree/sub/run", atomically: true, encoding: .utf8)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory + "/tree/sub/run")
        try fm.createSymbolicLink(atPath: directory + "/tree/link", withDestinationPath: "a")
        let nix = """
            let
              common = { system = "x86_64-linux"; builder = "/bin/sh"; token = "\(token)"; };
              dep = derivation (common // { name = "swix-dep"; src = ./src.txt; tree = ./tree; });
              fixed = derivation (common // {
                name = "swix-fixed"; outputHashMode = "recursive"; outputHashAlgo = "sha256";
                outputHash = "1ar0p8pvdxz6m4zq6x2blm9zd2h7bfm3r7m7a9q6ibqbws3mxq4v";
              });
            in {
              top = derivation (common // {
                name = "swix-top"; inherit dep fixed;
                script = builtins.toFile "swix-script" "cat ${./src.txt}";
                outputs = [ "doc" "out" ];
              });
              inherit dep fixed;
            }
            """
        try nix.write(toFile: directory + "/default.nix", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        if !directory.isEmpty { try? FileManager.default.removeItem(atPath: directory) }
    }

    private func instantiate(_ arguments: [String]) -> InvocationResult {
        SwixCommandLine.run(Invocation(
            arguments: ["instantiate"] + arguments, environment: ["NIX_DAEMON_SOCKET_PATH": socket],
            currentDirectory: directory, readStandardInput: { [] }))
    }

    /// The store objects Swix computes for the file (paths and contents), in order.
    private func computedObjects() throws -> [StoreObject] {
        var settings = EvalSettings()
        settings.recordStoreObjects = true
        settings.currentDirectory = directory
        let evaluator = Evaluator(settings: settings)
        let root = try evaluator.load(SourceFile(
            origin: .file(path: directory + "/default.nix"), bytes: Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/default.nix"))),
            baseDirectory: directory))
        for name in ["top", "dep", "fixed"] {
            let drv = try XCTUnwrap(try evaluator.select(root, name))
            _ = try evaluator.coerceToString(try XCTUnwrap(try evaluator.select(drv, "drvPath")))
        }
        return evaluator.takeStoreObjects()
    }

    func testInstantiateWritesDerivationsAndSourcesToTheDaemon() throws {
        let result = instantiate([])
        XCTAssertEqual(result.stderrText, "warning: you did not specify '--add-root'; the result might be removed by the garbage collector\n")
        XCTAssertEqual(result.exitCode, 0)
        let printed = result.stdoutText.split(separator: "\n").map(String.init)
        XCTAssertEqual(printed.count, 3)

        let objects = try computedObjects()
        let store = try DaemonStore(socketPath: socket)
        let dir = StoreDirectory()
        func drvPath(_ name: String) -> String {
            objects.first { $0.path.name == name + ".drv" }.map { dir.print($0.path) } ?? "missing \(name)"
        }
        // Attributes in name order: dep, fixed, top (whose first output is `doc`).
        XCTAssertEqual(printed, [drvPath("swix-dep"), drvPath("swix-fixed"), drvPath("swix-top") + "!doc"])
        // Sources (file, tree), the dependency, the text, and the three .drv files.
        XCTAssertEqual(objects.count, 6)
        XCTAssertEqual(try store.queryValidPaths(Set(objects.map(\.path))), Set(objects.map(\.path)))
        for object in objects {
            XCTAssertTrue(try store.isValidPath(object.path), object.path.baseName)
            let info = try XCTUnwrap(try store.queryPathInfo(object.path))
            // The daemon hashed what it stored: the NAR of the contents Swix serialised.
            var nar = HashSink(.sha256)
            if case .fixed(.nixArchive) = object.method {
                try object.serialise(into: &nar)
            } else {
                var flat = ByteBuffer()
                try object.serialise(into: &flat)
                NAR.dumpRegularFile(flat.bytes, into: &nar)
            }
            XCTAssertEqual(info.narSize, nar.byteCount, object.path.baseName)
            XCTAssertEqual(info.narHash, nar.finalize().base16, object.path.baseName)
            XCTAssertEqual(info.references, object.references, object.path.baseName)
            XCTAssertTrue(info.contentAddress.hasPrefix(object.method == .text ? "text:sha256:" : "fixed:r:sha256:"), info.contentAddress)
        }
        // A .drv file holds exactly the ATerm Swix computed.
        for object in objects where object.path.isDerivation {
            guard case .bytes(let aterm) = object.contents else { return XCTFail("a .drv without text") }
            XCTAssertTrue(aterm.starts(with: Array("Derive([".utf8)))
            XCTAssertEqual(object.references.filter(\.isDerivation).isEmpty, !object.path.name.contains("top"))
        }
        // Instantiating again finds everything present and prints the same.
        XCTAssertEqual(instantiate([]).stdoutText, result.stdoutText)
        XCTAssertEqual(instantiate(["-A", "top"]).stdoutText, printed[2] + "\n")
    }

    /// `--add-root r`: the lines are the roots `r`, `r-2`, … (with `!OUTPUT`), symlinks to the
    /// `.drv` files; an existing file that is not a link into the store is not replaced.
    func testAddRootMakesSymlinksToTheDerivations() throws {
        let plain = instantiate([]).stdoutText.split(separator: "\n").map { String($0.split(separator: "!")[0]) }
        let result = instantiate(["--add-root", "root"])
        XCTAssertEqual(result.stderrText, "")
        XCTAssertEqual(result.stdoutText, "\(directory)/root\n\(directory)/root-2\n\(directory)/root-3!doc\n")
        let fm = FileManager.default
        XCTAssertEqual(try ["root", "root-2", "root-3"].map { try fm.destinationOfSymbolicLink(atPath: directory + "/" + $0) }, plain)
        try "x".write(toFile: directory + "/taken", atomically: true, encoding: .utf8)
        XCTAssertEqual(instantiate(["--add-root", "taken", "-A", "dep"]).stderrText, "error: cannot create symlink '\(directory)/taken'; already exists\n")
    }

    func testReadOnlyModeWritesNothing() throws {
        try "{ ro = derivation { name = \"swix-ro\"; system = \"x\"; builder = \"/b\"; src = ./src.txt; }; }"
            .write(toFile: directory + "/ro.nix", atomically: true, encoding: .utf8)
        let result = instantiate(["--readonly-mode", "--no-gc-warning", "ro.nix"])
        XCTAssertEqual(result.exitCode, 0, result.stderrText)
        XCTAssertEqual(result.stderrText, "")
        let store = try DaemonStore(socketPath: socket)
        let drv = try StoreDirectory().parse(result.stdoutText.trimmingCharacters(in: .newlines))
        XCTAssertFalse(try store.isValidPath(drv))
    }
}

/// Instantiating without a daemon: the error names the socket (C++ Nix 2.26's message for a
/// missing socket: "cannot connect to socket at '…': No such file or directory").
final class DaemonlessInstantiateTests: XCTestCase {
    func testAMissingDaemonIsAnErrorNamingTheSocket() {
        let result = SwixCommandLine.run(Invocation(
            arguments: ["instantiate", "-E", #"derivation { name = "d"; system = "x"; builder = "/b"; }"#],
            environment: ["NIX_DAEMON_SOCKET_PATH": "/nonexistent/swix/socket"], currentDirectory: "/tmp",
            readStandardInput: { [] }))
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.stdoutText, "")
        XCTAssertEqual(result.stderrText, "error: cannot connect to socket at '/nonexistent/swix/socket': No such file or directory\n")
    }

    /// The derivation is written before its root is made (so without a daemon that fails
    /// first); a root inside the store is refused with C++ Nix 2.26's message.
    func testARootInTheStoreIsRefused() {
        let result = SwixCommandLine.run(Invocation(
            arguments: ["instantiate", "--add-root", "/nix/store/x", "-E", #"derivation { name = "d"; system = "x"; builder = "/b"; }"#],
            environment: ["NIX_DAEMON_SOCKET_PATH": "/nonexistent/swix/socket"], currentDirectory: "/tmp",
            readStandardInput: { [] }))
        XCTAssertEqual(result.stderrText, "error: cannot connect to socket at '/nonexistent/swix/socket': No such file or directory\n")
        let readOnly = SwixCommandLine.run(Invocation(
            arguments: ["instantiate", "--readonly-mode", "--add-root", "/nix/store/x", "-E", #"derivation { name = "d"; system = "x"; builder = "/b"; }"#],
            environment: [:], currentDirectory: "/tmp", readStandardInput: { [] }))
        XCTAssertEqual(readOnly.stderrText, "error: creating a garbage collector root (/nix/store/x) in the Nix store is forbidden (are you running nix-build inside the store?)\n")
    }
}
