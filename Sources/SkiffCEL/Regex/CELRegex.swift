import Synchronization

/// A regular expression in the RE2 syntax subset Kubernetes rules use (literals, `.`, classes
/// `[a-z]` `[^…]`, `\d \w \s` and their negations, anchors `^ $`, groups, alternation, `* + ?`
/// and `{n,m}`), compiled to an NFA and run as a Thompson simulation: time is linear in the
/// input for a given pattern, so no pattern can blow up the way backtracking engines do.
struct CELRegex: Sendable {
    enum Instruction: Sendable {
        case scalar(CELRegexClass)
        case split(Int, Int)
        case jump(Int)
        case lineStart, lineEnd
        case match
    }

    let program: [Instruction]

    private static let cache = Mutex<[String: CELRegex]>([:])

    /// The compiled form of `pattern`, reusing an earlier compilation.
    static func cached(_ pattern: String) throws(CELEvaluationError) -> CELRegex {
        if let hit = cache.withLock({ $0[pattern] }) { return hit }
        let compiled: CELRegex
        do {
            compiled = try CELRegex(pattern)
        } catch {
            throw CELEvaluationError("error parsing regexp: \(error.message): `\(pattern)`")
        }
        cache.withLock { entries in
            if entries.count > 256 { entries.removeAll() }
            entries[pattern] = compiled
        }
        return compiled
    }

    /// Compiles a pattern; throws for syntax RE2 rejects or this subset does not cover.
    init(_ pattern: String) throws(CELRegexSyntaxError) {
        var parser = CELRegexParser(pattern)
        let node = try parser.parse()
        var compiler = CELRegexCompiler()
        compiler.emit(node)
        compiler.program.append(.match)
        program = compiler.program
    }

    /// Adds `pc` and everything reachable from it without consuming input.
    private func addThread(_ pc: Int, at position: Int, count: Int, to list: inout [Int], seen: inout [Bool]) {
        guard !seen[pc] else { return }
        seen[pc] = true
        switch program[pc] {
        case .split(let first, let second):
            addThread(first, at: position, count: count, to: &list, seen: &seen)
            addThread(second, at: position, count: count, to: &list, seen: &seen)
        case .jump(let target): addThread(target, at: position, count: count, to: &list, seen: &seen)
        case .lineStart: if position == 0 { addThread(pc + 1, at: position, count: count, to: &list, seen: &seen) }
        case .lineEnd: if position == count { addThread(pc + 1, at: position, count: count, to: &list, seen: &seen) }
        default: list.append(pc)
        }
    }

    /// The end of the longest match starting exactly at `start`, nil if none.
    private func longestMatch(_ input: [Unicode.Scalar], from start: Int) -> Int? {
        var current: [Int] = []
        var seen = [Bool](repeating: false, count: program.count)
        addThread(0, at: start, count: input.count, to: &current, seen: &seen)
        var best: Int?
        var position = start
        while !current.isEmpty {
            var next: [Int] = []
            seen = [Bool](repeating: false, count: program.count)
            for pc in current {
                switch program[pc] {
                case .match: best = position
                case .scalar(let set) where position < input.count && set.contains(input[position]):
                    addThread(pc + 1, at: position + 1, count: input.count, to: &next, seen: &seen)
                default: break
                }
            }
            if position >= input.count { break }
            position += 1
            current = next
        }
        return best
    }

    /// The leftmost (then longest) match, as a range of code point offsets.
    func firstMatch(in text: String) -> Range<Int>? {
        let input = Array(text.unicodeScalars)
        return firstMatch(in: input, from: 0)
    }

    private func firstMatch(in input: [Unicode.Scalar], from offset: Int) -> Range<Int>? {
        guard offset <= input.count else { return nil }
        for start in offset...input.count {
            if let end = longestMatch(input, from: start) { return start..<end }
        }
        return nil
    }

    /// All non-overlapping matches, left to right.
    func allMatches(in text: String) -> [Range<Int>] {
        let input = Array(text.unicodeScalars)
        var matches: [Range<Int>] = []
        var offset = 0
        while let range = firstMatch(in: input, from: offset) {
            matches.append(range)
            offset = range.isEmpty ? range.upperBound + 1 : range.upperBound
        }
        return matches
    }
}

/// A syntax error in a regular expression.
struct CELRegexSyntaxError: Error {
    var message: String
}

/// A set of code points one regex step accepts.
struct CELRegexClass: Sendable {
    var ranges: [ClosedRange<UInt32>]
    var negated: Bool

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        ranges.contains { $0.contains(scalar.value) } != negated
    }

    static let any = CELRegexClass(ranges: [10...10], negated: true)
    static let digit = CELRegexClass(ranges: [48...57], negated: false)
    static let word = CELRegexClass(ranges: [48...57, 65...90, 95...95, 97...122], negated: false)
    static let space = CELRegexClass(ranges: [9...10, 12...13, 32...32], negated: false)
}
