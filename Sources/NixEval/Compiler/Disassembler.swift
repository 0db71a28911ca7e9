// Renders compiled prototypes as text, for `swix bytecode` and for debugging the compiler.

import NixSyntax

enum Disassembler {
    /// The operand words that follow each opcode (for `makeAttrs` and `applyOverrides`, the
    /// fixed ones; their variable part is read from the first operands).
    static func operandCount(_ op: Op, _ code: [Int32], at pc: Int) -> Int {
        switch op {
        case .pop, .force, .call, .ret, .assertBool, .not, .negate, .add, .sub, .mul, .div, .less, .lessEq,
             .greater, .greaterEq, .equal, .notEqual, .concatLists, .update, .dup2:
            return 0
        case .constant, .loadLocal, .loadUpvalue, .popUnder, .makeThunk, .makeClosure, .finalise, .jump,
             .jumpIfFalse, .jumpIfFalseKeep, .jumpIfTrueKeep, .implication, .coerceForInterpolation,
             .makeList, .insertDynamic, .select, .hasAttrFinal, .undefinedVariable, .assertCheck, .assertEqual,
             .checkFormals, .missingArgument:
            return 1
        case .concatStrings, .selectOrJump, .hasAttrStep, .withLookup, .selectFormal, .finaliseDefault:
            return 2
        case .makeAttrs:
            return 2 + 2 * Int(code[pc + 1])
        case .applyOverrides:
            return 2 + Int(code[pc + 2])
        }
    }

    /// One prototype: header (kind, name, captures) and one line per instruction.
    static func render(_ proto: Proto, index: Int, symbols: SymbolTable) -> String {
        var out = "proto \(index) \(proto.isLambda ? "lambda" : "thunk")"
        if let name = proto.name { out += " \(name)" }
        let loc = Span(file: proto.source, start: Int(proto.span.start), end: Int(proto.span.end))
        out += " at \(loc.description)\n"
        if !proto.captures.isEmpty {
            let list = proto.captures.map { c -> String in
                switch c {
                case .local(let s): return "local \(s)"
                case .upvalue(let u): return "up \(u)"
                }
            }
            out += "  captures: " + list.enumerated().map { "\($0.offset)=\($0.element)" }.joined(separator: ", ") + "\n"
        }
        let code = proto.code
        var pc = 0
        while pc < code.count {
            guard let op = Op(rawValue: UInt8(truncatingIfNeeded: code[pc])) else {
                out += "  \(pc): <bad opcode \(code[pc])>\n"
                break
            }
            let n = operandCount(op, code, at: pc)
            var operands = Array(code[(pc + 1)..<min(code.count, pc + 1 + n)])
            var text = "\(op)"
            switch op {
            case .select, .selectOrJump, .hasAttrStep, .hasAttrFinal, .withLookup, .undefinedVariable,
                 .selectFormal, .missingArgument:
                let sym = operands.removeFirst()
                text += sym < 0 ? " <dynamic>" : " \(symbols.name(Symbol(id: UInt32(sym))))"
            default:
                break
            }
            if !operands.isEmpty { text += " " + operands.map(String.init).joined(separator: " ") }
            out += "  \(pc): \(text)\n"
            pc += 1 + n
        }
        return out
    }
}

extension Evaluator {
    /// Compiles `source` (without evaluating it) and renders every prototype made for it.
    public func disassemble(_ source: SourceFile) throws -> String {
        let first = program.protos.count
        _ = try load(source)
        var out = ""
        for i in first..<program.protos.count {
            out += Disassembler.render(program.protos[i], index: i, symbols: symbols) + "\n"
        }
        return out
    }
}
