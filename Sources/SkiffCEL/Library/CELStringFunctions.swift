/// cel-go's strings extension as Kubernetes enables it: `charAt`, `indexOf`, `lastIndexOf`,
/// `lowerAscii`, `upperAscii`, `replace`, `split`, `substring`, `trim`, `join`, `reverse`, and
/// Kubernetes' regex library `find` / `findAll`. Indices count code points.
enum CELStringFunctions {
    typealias Overload = CELOverload

    private static func failure(_ message: String) -> CELEvaluationError { CELEvaluationError(message) }

    private static func strings(_ args: [CELValue], _ name: String) throws(CELEvaluationError) -> [[Unicode.Scalar]] {
        var result: [[Unicode.Scalar]] = []
        for arg in args {
            if case .string(let text) = arg { result.append(Array(text.unicodeScalars)) }
        }
        guard result.count >= 1 else { throw .noSuchOverload(name) }
        return result
    }

    private static func string(_ scalars: some Sequence<Unicode.Scalar>) -> CELValue {
        .string(String(String.UnicodeScalarView(scalars)))
    }

    private static func int(_ value: CELValue, _ name: String) throws(CELEvaluationError) -> Int {
        guard case .int(let number) = value else { throw .noSuchOverload(name) }
        return Int(clamping: number)
    }

    private static func find(_ haystack: [Unicode.Scalar], _ needle: [Unicode.Scalar], from start: Int, last: Bool) -> Int {
        guard needle.count <= haystack.count else { return -1 }
        let positions = Array(start...(haystack.count - needle.count))
        for position in last ? positions.reversed() : positions where haystack[position..<position + needle.count].elementsEqual(needle) {
            return position
        }
        return -1
    }

    static var overloads: [Overload] {
        [
            Overload("charAt", member: true, [.string, .int], .string, cost: .traverse(0)) { args throws(CELEvaluationError) in
                let text = try strings(args, "charAt")[0]
                let position = try int(args[1], "charAt")
                guard position >= 0, position <= text.count else { throw failure("index out of range: \(position)") }
                return position == text.count ? .string("") : string([text[position]])
            },
            Overload("indexOf", member: true, [.string, .string], .int, cost: .product(0, 1)) { args throws(CELEvaluationError) in
                let parts = try strings(args, "indexOf")
                return .int(Int64(find(parts[0], parts[1], from: 0, last: false)))
            },
            Overload("indexOf", member: true, [.string, .string, .int], .int, cost: .product(0, 1)) { args throws(CELEvaluationError) in
                let parts = try strings(args, "indexOf")
                let start = try int(args[2], "indexOf")
                guard start >= 0, start <= parts[0].count else { throw failure("index out of range: \(start)") }
                return .int(Int64(find(parts[0], parts[1], from: start, last: false)))
            },
            Overload("lastIndexOf", member: true, [.string, .string], .int, cost: .product(0, 1)) { args throws(CELEvaluationError) in
                let parts = try strings(args, "lastIndexOf")
                return .int(Int64(parts[1].isEmpty ? parts[0].count : find(parts[0], parts[1], from: 0, last: true)))
            },
            Overload("lowerAscii", member: true, [.string], .string, cost: .traverse(0)) { args throws(CELEvaluationError) in
                string(try strings(args, "lowerAscii")[0].map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 })
            },
            Overload("upperAscii", member: true, [.string], .string, cost: .traverse(0)) { args throws(CELEvaluationError) in
                string(try strings(args, "upperAscii")[0].map { ("a"..."z").contains($0) ? Unicode.Scalar($0.value - 32)! : $0 })
            },
            Overload("replace", member: true, [.string, .string, .string], .string, cost: .product(0, 1)) { args throws(CELEvaluationError) in
                try replace(args, limit: -1)
            },
            Overload("replace", member: true, [.string, .string, .string, .int], .string, cost: .product(0, 1)) { args throws(CELEvaluationError) in
                try replace(args, limit: try int(args[3], "replace"))
            },
            Overload("split", member: true, [.string, .string], .list(.string), cost: .product(0, 1)) { args throws(CELEvaluationError) in
                try split(args, limit: -1)
            },
            Overload("split", member: true, [.string, .string, .int], .list(.string), cost: .product(0, 1)) { args throws(CELEvaluationError) in
                try split(args, limit: try int(args[2], "split"))
            },
            Overload("substring", member: true, [.string, .int], .string, cost: .traverse(0)) { args throws(CELEvaluationError) in
                let text = try strings(args, "substring")[0]
                return try substring(text, try int(args[1], "substring"), text.count)
            },
            Overload("substring", member: true, [.string, .int, .int], .string, cost: .traverse(0)) { args throws(CELEvaluationError) in
                try substring(try strings(args, "substring")[0], try int(args[1], "substring"), try int(args[2], "substring"))
            },
            Overload("trim", member: true, [.string], .string, cost: .traverse(0)) { args throws(CELEvaluationError) in
                let text = try strings(args, "trim")[0]
                let isSpace: (Unicode.Scalar) -> Bool = { $0.properties.isWhitespace }
                guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else {
                    return .string("")
                }
                return string(text[first...last])
            },
            Overload("reverse", member: true, [.string], .string, cost: .traverse(0)) { args throws(CELEvaluationError) in
                string(try strings(args, "reverse")[0].reversed())
            },
            Overload("join", member: true, [.list(.string)], .string, cost: .walk(0)) { args throws(CELEvaluationError) in
                try join(args[0], separator: "")
            },
            Overload("join", member: true, [.list(.string), .string], .string, cost: .walk(0)) { args throws(CELEvaluationError) in
                guard case .string(let separator) = args[1] else { throw .noSuchOverload("join") }
                return try join(args[0], separator: separator)
            },
            Overload("find", member: true, [.string, .string], .string, cost: .regex) { args throws(CELEvaluationError) in
                guard case .string(let text) = args[0], case .string(let pattern) = args[1] else { throw .noSuchOverload("find") }
                let scalars = Array(text.unicodeScalars)
                guard let range = try CELRegex.cached(pattern).firstMatch(in: text) else { return .string("") }
                return string(scalars[range])
            },
            Overload("findAll", member: true, [.string, .string], .list(.string), cost: .regex) { args throws(CELEvaluationError) in
                guard case .string(let text) = args[0], case .string(let pattern) = args[1] else { throw .noSuchOverload("findAll") }
                let scalars = Array(text.unicodeScalars)
                return .list(try CELRegex.cached(pattern).allMatches(in: text).map { string(scalars[$0]) })
            },
        ]
    }

    private static func replace(_ args: [CELValue], limit: Int) throws(CELEvaluationError) -> CELValue {
        let parts = try strings(args, "replace")
        guard parts.count >= 3 else { throw .noSuchOverload("replace") }
        let (text, old, new) = (parts[0], parts[1], parts[2])
        var result: [Unicode.Scalar] = []
        var position = 0
        var replaced = 0
        while position <= text.count {
            if limit >= 0 && replaced >= limit { break }
            let found = old.isEmpty ? position : find(text, old, from: position, last: false)
            guard found >= 0, found <= text.count else { break }
            result += text[position..<found] + new
            replaced += 1
            if old.isEmpty {
                if found < text.count { result.append(text[found]) }
                position = found + 1
            } else {
                position = found + old.count
            }
        }
        if position < text.count { result += text[position...] }
        return string(result)
    }

    private static func split(_ args: [CELValue], limit: Int) throws(CELEvaluationError) -> CELValue {
        let parts = try strings(args, "split")
        guard parts.count >= 2 else { throw .noSuchOverload("split") }
        let (text, separator) = (parts[0], parts[1])
        if limit == 0 { return .list([]) }
        if separator.isEmpty {
            var pieces = text.map { string([$0]) }
            if limit > 0 && pieces.count > limit {
                pieces = Array(pieces.prefix(limit - 1)) + [string(text[(limit - 1)...])]
            }
            return .list(pieces)
        }
        var pieces: [CELValue] = []
        var position = 0
        while limit < 0 || pieces.count < limit - 1 {
            let found = find(text, separator, from: position, last: false)
            guard found >= 0 else { break }
            pieces.append(string(text[position..<found]))
            position = found + separator.count
        }
        pieces.append(string(text[position...]))
        return .list(pieces)
    }

    private static func substring(_ text: [Unicode.Scalar], _ start: Int, _ end: Int) throws(CELEvaluationError) -> CELValue {
        guard start >= 0, start <= text.count else { throw failure("index out of range: \(start)") }
        guard end >= 0, end <= text.count else { throw failure("index out of range: \(end)") }
        guard start <= end else { throw failure("invalid substring range. start: \(start), end: \(end)") }
        return string(text[start..<end])
    }

    private static func join(_ list: CELValue, separator: String) throws(CELEvaluationError) -> CELValue {
        guard case .list(let elements) = list else { throw .noSuchOverload("join") }
        var pieces: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw .noSuchOverload("join") }
            pieces.append(text)
        }
        return .string(pieces.joined(separator: separator))
    }
}
