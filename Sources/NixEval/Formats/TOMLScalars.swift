// Numbers, Booleans and dates of `builtins.fromTOML`, recognised the way toml11 (C++ Nix 2.26)
// guesses a value's type, so that malformed numbers get its messages ("bad integer: …").

/// A scalar TOML value.
enum TOMLScalar {
    case integer(Int64)
    case float(Double)
    case bool(Bool)
    /// A date, time or date-time, as toml11 writes it back (C++ Nix's `timestamp` value).
    case timestamp([UInt8])
}

extension TOMLScanner {
    private func isDigit(_ p: Int) -> Bool { p < input.count && (48...57).contains(input[p]) }
    private func byte(_ p: Int) -> UInt8 { p < input.count ? input[p] : 0 }

    private func digits(_ p: Int, _ n: Int) -> Int? {
        for i in 0..<n where !isDigit(p + i) { return nil }
        return p + n
    }

    /// `digit (_? digit)*` with a digit test; the end, or nil without a first digit.
    private func digitRun(_ p: Int, _ ok: (UInt8) -> Bool) -> Int? {
        guard p < input.count, ok(input[p]) else { return nil }
        var q = p + 1
        while true {
            if q < input.count && ok(input[q]) { q += 1; continue }
            if byte(q) == 95 && q + 1 < input.count && ok(input[q + 1]) { q += 2; continue }
            return q
        }
    }

    private static func decimal(_ c: UInt8) -> Bool { (48...57).contains(c) }

    private func date(_ p: Int) -> Int? {
        guard let a = digits(p, 4), byte(a) == 45, let b = digits(a + 1, 2), byte(b) == 45 else { return nil }
        return digits(b + 1, 2)
    }

    private func time(_ p: Int) -> Int? {
        guard let a = digits(p, 2), byte(a) == 58, let b = digits(a + 1, 2), byte(b) == 58,
              let c = digits(b + 1, 2) else { return nil }
        if byte(c) == 46, isDigit(c + 1) {
            var q = c + 1
            while isDigit(q) { q += 1 }
            return q
        }
        return c
    }

    private func offset(_ p: Int) -> Int? {
        let c = byte(p)
        if c == 90 || c == 122 { return p + 1 }
        guard c == 43 || c == 45, let a = digits(p + 1, 2), byte(a) == 58 else { return nil }
        return digits(a + 1, 2)
    }

    private func localDateTime(_ p: Int) -> Int? {
        guard let d = date(p), [84, 116, 32].contains(byte(d)) else { return nil }
        return time(d + 1)
    }

    private func decimalInteger(_ p: Int) -> Int? {
        var q = p
        if byte(q) == 43 || byte(q) == 45 { q += 1 }
        if byte(q) == 48 { return q + 1 }
        guard (49...57).contains(byte(q)) else { return nil }
        return digitRun(q, Self.decimal)
    }

    private func floating(_ p: Int) -> Int? {
        var q = p
        if byte(q) == 43 || byte(q) == 45 { q += 1 }
        for special in ["inf", "nan"] {
            let bytes = Array(special.utf8)
            if (0..<3).allSatisfy({ byte(q + $0) == bytes[$0] }) { return q + 3 }
        }
        guard let i = decimalInteger(p) else { return nil }
        var end = i
        var fraction = false
        if byte(end) == 46 {
            guard let f = digitRun(end + 1, Self.decimal) else { return nil }
            end = f
            fraction = true
        }
        if byte(end) == 101 || byte(end) == 69 {
            var e = end + 1
            if byte(e) == 43 || byte(e) == 45 { e += 1 }
            guard let x = digitRun(e, Self.decimal) else { return fraction ? end : nil }
            return x
        }
        return fraction ? end : nil
    }

    private func integer(_ p: Int) -> Int? {
        if byte(p) == 48, let radix = Self.radixes[byte(p + 1)] {
            if let end = digitRun(p + 2, { Self.digitValue($0).map { $0 < radix } ?? false }) { return end }
        }
        return decimalInteger(p)
    }

    /// A number, Boolean, `inf`/`nan` or date at the cursor (the cursor moves past it).
    mutating func scalar() throws -> TOMLScalar {
        let c = current
        if c == 116 || c == 102 {
            if starts(with: "true") { position += 4; return .bool(true) }
            if starts(with: "false") { position += 5; return .bool(false) }
            throw error("toml::parse_boolean: invalid boolean: boolean must be `true` or `false`, in lowercase. string must be surrounded by `\"`")
        }
        let p = position
        if let t = localDateTime(p) {
            if let end = offset(t) { return try dateTime(p, end, hasOffset: true) }
            if byte(t) == 43 || byte(t) == 45 { throw error("bad offset: must be [+-]HH:MM or Z", at: t) }
            return try dateTime(p, t, hasOffset: false)
        }
        if let d = date(p) {
            let n = byte(d)
            if n == 84 || n == 116 || (n == 32 && isDigit(d + 1)) { throw error("bad time: must be HH:MM:SS.subsec", at: d + 1) }
            if isDigit(d) { throw error("bad datetime: missing T or space", at: d) }
            try checkDate(p)
            position = d
            return .timestamp(Array(input[p..<d]))
        }
        if let t = time(p) {
            try checkTime(p)
            position = t
            return .timestamp(timeText(p, t))
        }
        if let f = floating(p) {
            if byte(f) == 95 { throw error("bad float: `_` must be surrounded by digits", at: f) }
            return try floatValue(p, f)
        }
        if let i = integer(p) {
            let n = byte(i)
            if n == 95 {
                let text = input[p..<i].filter { $0 != 43 && $0 != 45 }
                if text.elementsEqual([48]) { throw error("bad integer: leading zero is not allowed in decimal int", at: i) }
                throw error("bad integer: `_` must be surrounded by digits", at: i)
            }
            if isDigit(i) {
                throw error(n == 48 ? "bad integer: leading zero" : "bad integer: invalid digit after an integer", at: i)
            }
            if n == 58 || n == 45 { throw error("bad datetime: invalid format", at: i) }
            if n == 46 || n == 101 || n == 69 { throw error("bad float: invalid format", at: i) }
            return try integerValue(p)
        }
        if !(c == 43 || c == 45 || isDigit(p) || c == 105 || c == 110) {
            // toml11 names the lowercase keyword a capitalised word looks like.
            for word in ["true", "false", "nan", "inf"] {
                let bytes = Array(word.utf8)
                if (0..<bytes.count).allSatisfy({ byte(p + $0) | 0x20 == bytes[$0] }) {
                    throw error("toml::parse_value: `\(word)` must be in lowercase. A string must be surrounded by quotes.")
                }
            }
        }
        if c == 46 { throw error("bad float: integer part is required before decimal point") }
        if c == 95 { throw error("bad number: `_` must be surrounded by digits") }
        throw error("bad format: unknown value appeared")
    }

    private mutating func floatValue(_ p: Int, _ end: Int) throws -> TOMLScalar {
        position = end
        var text = String(decoding: input[p..<end].filter { $0 != 95 }, as: UTF8.self)
        let negative = text.hasPrefix("-")
        if text.hasPrefix("+") || negative { text.removeFirst() }
        let magnitude: Double
        if text == "inf" {
            magnitude = .infinity
        } else if text == "nan" {
            magnitude = .nan
        } else {
            guard let d = Double(text), d.isFinite else {
                throw error("toml::parse_floating: failed to read floating point value from stream", at: p)
            }
            magnitude = d
        }
        return .float(negative ? -magnitude : magnitude)
    }

    /// Decimal, or `0x`/`0o`/`0b` integers (which may not have a sign).
    private mutating func integerValue(_ p: Int) throws -> TOMLScalar {
        var q = p
        let negative = byte(q) == 45
        if byte(q) == 43 || negative { q += 1 }
        let radixes: [UInt8: (Int, String, String)] = [
            120: (16, "hex", "0xC0FFEE, 0xdead_beef"), 111: (8, "oct", "0o775, 0o04_44"), 98: (2, "bin", "0b0101, 0b1111_0000"),
        ]
        if byte(q) == 48, let (radix, name, examples) = radixes[byte(q + 1)] {
            let test: (UInt8) -> Bool = { c in
                guard let d = Self.digitValue(c) else { return false }
                return d < radix
            }
            guard q == p, let end = digitRun(q + 2, test) else {
                throw error("toml::parse_\(name)_integer: invalid integer: \(name)_int must be like: \(examples)", at: p)
            }
            var value: Int64 = 0
            for c in input[(q + 2)..<end] where c != 95 {
                let (m, o1) = value.multipliedReportingOverflow(by: Int64(radix))
                let (s, o2) = m.addingReportingOverflow(Int64(Self.digitValue(c) ?? 0))
                if o1 || o2 { throw error("toml::parse_\(name)_integer: too large integer: current max value = 2^63", at: p) }
                value = s
            }
            position = end
            return .integer(value)
        }
        let end = decimalInteger(p) ?? p
        let text = String(decoding: input[p..<end].filter { $0 != 95 && $0 != 43 }, as: UTF8.self)
        guard let n = Int64(text) else {
            throw error("toml::parse_dec_integer: too large integer: current max digits = 2^63", at: p)
        }
        position = end
        return .integer(n)
    }

    /// The radix of `0x`, `0o` and `0b` integers by the letter.
    private static let radixes: [UInt8: Int] = [120: 16, 111: 8, 98: 2]

    private static func digitValue(_ c: UInt8) -> Int? {
        switch c {
        case 48...57: return Int(c - 48)
        case 65...70: return Int(c - 55)
        case 97...102: return Int(c - 87)
        default: return nil
        }
    }

    private func number(_ p: Int, _ n: Int) -> Int {
        var v = 0
        for i in 0..<n { v = v * 10 + Int(input[p + i] - 48) }
        return v
    }

    private func checkDate(_ p: Int) throws {
        let year = number(p, 4), month = number(p + 5, 2), day = number(p + 8, 2)
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), day >= 1, day <= days[month - 1] else {
            throw error("toml::parse_local_date: invalid date.", at: p)
        }
    }

    private func checkTime(_ p: Int) throws {
        guard number(p, 2) < 24, number(p + 3, 2) < 60, number(p + 6, 2) <= 60 else {
            throw error("toml::parse_local_time: invalid time.", at: p)
        }
    }

    /// A time as toml11 writes it: at most 9 fraction digits.
    private func timeText(_ p: Int, _ end: Int) -> [UInt8] {
        Array(input[p..<min(end, p + 18)])
    }

    private mutating func dateTime(_ p: Int, _ end: Int, hasOffset: Bool) throws -> TOMLScalar {
        try checkDate(p)
        try checkTime(p + 11)
        var text = Array(input[p..<(p + 11)])
        let timeEnd = time(p + 11) ?? end
        text += timeText(p + 11, timeEnd)
        if hasOffset {
            let c = byte(timeEnd)
            if c == 90 || c == 122 {
                text.append(90)
            } else {
                let hours = number(timeEnd + 1, 2), minutes = number(timeEnd + 4, 2)
                guard hours <= 24, minutes <= 60 else {
                    throw error("toml::parse_offset_datetime: too large offset: |hour| <= 24, |minute| <= 60", at: timeEnd)
                }
                if hours == 0 && minutes == 0 { text.append(90) } else { text += input[timeEnd..<end] }
            }
        }
        position = end
        return .timestamp(text)
    }
}
