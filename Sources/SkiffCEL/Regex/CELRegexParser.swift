/// A parsed regular expression.
indirect enum CELRegexNode {
    case set(CELRegexClass)
    case sequence([CELRegexNode])
    case alternation([CELRegexNode])
    case repetition(CELRegexNode, min: Int, max: Int?)
    case lineStart, lineEnd
}

/// Parses the RE2 subset `CELRegex` supports.
struct CELRegexParser {
    /// RE2's limit on counted repetition.
    static let maxRepeat = 1000

    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ pattern: String) { scalars = Array(pattern.unicodeScalars) }

    private func peek() -> Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    mutating func parse() throws(CELRegexSyntaxError) -> CELRegexNode {
        let node = try parseAlternation()
        guard index == scalars.count else { throw CELRegexSyntaxError(message: "unexpected )") }
        return node
    }

    private mutating func parseAlternation() throws(CELRegexSyntaxError) -> CELRegexNode {
        var branches = [try parseSequence()]
        while peek() == "|" {
            index += 1
            branches.append(try parseSequence())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseSequence() throws(CELRegexSyntaxError) -> CELRegexNode {
        var items: [CELRegexNode] = []
        while let scalar = peek(), scalar != "|", scalar != ")" {
            var atom = try parseAtom()
            while let quantifier = peek(), "*+?{".unicodeScalars.contains(quantifier) {
                if case .lineStart = atom { throw CELRegexSyntaxError(message: "missing argument to repetition operator") }
                let (low, high) = try parseQuantifier()
                if peek() == "?" { index += 1 }
                atom = .repetition(atom, min: low, max: high)
            }
            items.append(atom)
        }
        return .sequence(items)
    }

    private mutating func parseQuantifier() throws(CELRegexSyntaxError) -> (Int, Int?) {
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "*": return (0, nil)
        case "+": return (1, nil)
        case "?": return (0, 1)
        default:
            func number() -> Int? {
                var digits = ""
                while let next = peek(), ("0"..."9").contains(next) {
                    digits.unicodeScalars.append(next)
                    index += 1
                }
                return Int(digits)
            }
            guard let low = number() else { throw CELRegexSyntaxError(message: "invalid repeat count") }
            var high: Int? = low
            if peek() == "," {
                index += 1
                high = number()
            }
            guard peek() == "}" else { throw CELRegexSyntaxError(message: "invalid repeat count") }
            index += 1
            guard low <= Self.maxRepeat, (high ?? low) <= Self.maxRepeat, (high ?? low) >= low else {
                throw CELRegexSyntaxError(message: "invalid repeat count")
            }
            return (low, high)
        }
    }

    private mutating func parseAtom() throws(CELRegexSyntaxError) -> CELRegexNode {
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case ".": return .set(.any)
        case "^": return .lineStart
        case "$": return .lineEnd
        case "*", "+", "?", "{": throw CELRegexSyntaxError(message: "missing argument to repetition operator")
        case "(":
            if peek() == "?" {
                index += 1
                guard peek() == ":" else { throw CELRegexSyntaxError(message: "invalid or unsupported Perl syntax") }
                index += 1
            }
            let inner = try parseAlternation()
            guard peek() == ")" else { throw CELRegexSyntaxError(message: "missing closing )") }
            index += 1
            return inner
        case "[": return .set(try parseClass())
        case "\\": return .set(try parseEscape())
        default: return .set(CELRegexClass(ranges: [scalar.value...scalar.value], negated: false))
        }
    }

    private mutating func parseEscape() throws(CELRegexSyntaxError) -> CELRegexClass {
        guard let scalar = peek() else { throw CELRegexSyntaxError(message: "trailing backslash at end of expression") }
        index += 1
        switch scalar {
        case "d": return .digit
        case "D": return CELRegexClass(ranges: CELRegexClass.digit.ranges, negated: true)
        case "w": return .word
        case "W": return CELRegexClass(ranges: CELRegexClass.word.ranges, negated: true)
        case "s": return .space
        case "S": return CELRegexClass(ranges: CELRegexClass.space.ranges, negated: true)
        case "n": return CELRegexClass(ranges: [10...10], negated: false)
        case "t": return CELRegexClass(ranges: [9...9], negated: false)
        case "r": return CELRegexClass(ranges: [13...13], negated: false)
        default:
            guard !scalar.properties.isAlphabetic && !("0"..."9").contains(scalar) else {
                throw CELRegexSyntaxError(message: "invalid escape sequence: \\\(scalar)")
            }
            return CELRegexClass(ranges: [scalar.value...scalar.value], negated: false)
        }
    }

    private mutating func parseClass() throws(CELRegexSyntaxError) -> CELRegexClass {
        var set = CELRegexClass(ranges: [], negated: false)
        if peek() == "^" {
            set.negated = true
            index += 1
        }
        var first = true
        while let scalar = peek(), scalar != "]" || first {
            first = false
            index += 1
            var low = scalar.value
            if scalar == "\\" {
                let escaped = try parseEscape()
                guard escaped.ranges.count == 1, !escaped.negated, escaped.ranges[0].count == 1 else {
                    set.ranges += escaped.negated ? Self.complement(escaped.ranges) : escaped.ranges
                    continue
                }
                low = escaped.ranges[0].lowerBound
            }
            if peek() == "-", index + 1 < scalars.count, scalars[index + 1] != "]" {
                index += 1
                var high = scalars[index].value
                index += 1
                if high == 92, let escaped = peek() {  // a backslash-escaped upper bound
                    high = escaped.value
                    index += 1
                }
                guard low <= high else { throw CELRegexSyntaxError(message: "invalid character class range") }
                set.ranges.append(low...high)
            } else {
                set.ranges.append(low...low)
            }
        }
        guard peek() == "]" else { throw CELRegexSyntaxError(message: "missing closing ]") }
        index += 1
        return set
    }

    private static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = max(next, range.upperBound + 1)
        }
        result.append(next...0x10FFFF)
        return result
    }
}

/// Turns a parsed regex into NFA instructions.
struct CELRegexCompiler {
    var program: [CELRegex.Instruction] = []

    mutating func emit(_ node: CELRegexNode) {
        switch node {
        case .set(let set): program.append(.scalar(set))
        case .lineStart: program.append(.lineStart)
        case .lineEnd: program.append(.lineEnd)
        case .sequence(let items): items.forEach { emit($0) }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (offset, branch) in branches.enumerated() {
                if offset < branches.count - 1 {
                    let split = program.count
                    program.append(.split(split + 1, 0))
                    emit(branch)
                    jumps.append(program.count)
                    program.append(.jump(0))
                    program[split] = .split(split + 1, program.count)
                } else {
                    emit(branch)
                }
            }
            for jump in jumps { program[jump] = .jump(program.count) }
        case .repetition(let inner, let low, let high):
            for _ in 0..<low { emit(inner) }
            if let high {
                for _ in low..<high {
                    let split = program.count
                    program.append(.split(split + 1, 0))
                    emit(inner)
                    program[split] = .split(split + 1, program.count)
                }
            } else {
                let split = program.count
                program.append(.split(split + 1, 0))
                emit(inner)
                program.append(.jump(split))
                program[split] = .split(split + 1, program.count)
            }
        }
    }
}
