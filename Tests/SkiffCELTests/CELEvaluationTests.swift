import SkiffAPI
import Testing
@testable import SkiffCEL

/// Evaluation tables after cel-spec's conformance suites (basic, integer_math, fp_math, string,
/// logic, comparisons, lists, macros, conversions).
struct CELEvaluationTests {
    static let cases: [(String, CELValue)] = [
        // Literals (basic.textproto).
        ("1", .int(1)), ("1u", .uint(1)), ("0x10", .int(16)), ("0xFFu", .uint(255)), ("-9223372036854775808", .int(.min)),
        ("2.5", .double(2.5)), ("1e3", .double(1000)), (".5", .double(0.5)), ("'abc'", .string("abc")),
        ("\"a\\tb\"", .string("a\tb")), ("r'a\\tb'", .string("a\\tb")), ("'''x\ny'''", .string("x\ny")),
        ("'\\u00e9'", .string("é")), ("'\\x41\\101'", .string("AA")), ("b'\\xff'", .bytes([255])), ("b'abc'", .bytes([97, 98, 99])),
        ("true", .bool(true)), ("null", .null),
        // Integer and floating point math.
        ("1 + 2 * 3", .int(7)), ("(1 + 2) * 3", .int(9)), ("7 / 2", .int(3)), ("-7 / 2", .int(-3)), ("7 % 3", .int(1)),
        ("-7 % 3", .int(-1)), ("3u * 4u", .uint(12)), ("7.0 / 2.0", .double(3.5)), ("-(-2)", .int(2)), ("1.0 / 0.0 > 1e308", .bool(true)),
        // Strings and bytes.
        ("'ab' + 'cd'", .string("abcd")), ("size('héllo')", .int(5)), ("'hello'.size()", .int(5)), ("size(b'ab')", .int(2)),
        ("'hello'.contains('ell')", .bool(true)), ("'hello'.startsWith('he')", .bool(true)), ("'hello'.endsWith('lo')", .bool(true)),
        ("'abc' < 'abd'", .bool(true)), ("'a' + 'b' == 'ab'", .bool(true)),
        // Logic, with errors absorbed commutatively (logic.textproto).
        ("true && false", .bool(false)), ("false || true", .bool(true)), ("!true", .bool(false)),
        ("false && (1 / 0 == 1)", .bool(false)), ("(1 / 0 == 1) && false", .bool(false)),
        ("true || (1 / 0 == 1)", .bool(true)), ("(1 / 0 == 1) || true", .bool(true)),
        ("true ? 1 : 2", .int(1)), ("false ? 1 : 2", .int(2)),
        // Comparisons, including across numeric kinds and heterogeneous equality at runtime.
        ("1 < 2", .bool(true)), ("2 <= 2", .bool(true)), ("1 < 1.5", .bool(true)), ("2u > 1", .bool(true)),
        ("dyn(1) == 1.0", .bool(true)), ("dyn(1) == 1u", .bool(true)), ("dyn(1) == 'a'", .bool(false)),
        ("[1, 2] == [1, 2]", .bool(true)), ("{'a': 1} == {'a': 1}", .bool(true)), ("null == null", .bool(true)),
        ("0.0/0.0 == 0.0/0.0", .bool(false)),
        // Lists and maps.
        ("[1, 2, 3][1]", .int(2)), ("size([1, 2, 3])", .int(3)), ("2 in [1, 2]", .bool(true)), ("'a' in {'a': 1}", .bool(true)),
        ("[1] + [2]", .list([.int(1), .int(2)])), ("{'a': 1}['a']", .int(1)), ("dyn({1: 'x'})[1u]", .string("x")),
        ("{'a': {'b': 2}}.a.b", .int(2)), ("has({'a': 1}.a)", .bool(true)), ("has({'a': 1}.b)", .bool(false)),
        // Macros.
        ("[1, 2, 3].all(x, x > 0)", .bool(true)), ("[1, 2, 3].exists(x, x > 2)", .bool(true)),
        ("[1, 2, 3].exists_one(x, x > 1)", .bool(false)), ("[1, 2, 3].map(x, x * 2)", .list([.int(2), .int(4), .int(6)])),
        ("[1, 2, 3].map(x, x > 1, x * 10)", .list([.int(20), .int(30)])), ("[1, 2, 3].filter(x, x != 2)", .list([.int(1), .int(3)])),
        ("{'a': 1, 'b': 2}.all(k, k.size() == 1)", .bool(true)), ("[].all(x, x > 0)", .bool(true)),
        ("[0, 1].exists(x, 1 / x == 1)", .bool(true)),
        // Conversions (conversions.textproto).
        ("int('42')", .int(42)), ("int(3.9)", .int(3)), ("int(-3.9)", .int(-3)), ("uint(3)", .uint(3)), ("double(2)", .double(2)),
        ("string(12)", .string("12")), ("string(1.5)", .string("1.5")), ("string(true)", .string("true")), ("bool('true')", .bool(true)),
        ("string(b'hi')", .string("hi")), ("bytes('hi')", .bytes([104, 105])),
        ("type(1) == int", .bool(true)), ("type('a') == string", .bool(true)), ("type([]) == list", .bool(true)),
        // Strings extension and Kubernetes' libraries.
        ("'HeLLo'.lowerAscii()", .string("hello")), ("'hello'.upperAscii()", .string("HELLO")), ("'  a b '.trim()", .string("a b")),
        ("'a,b,c'.split(',')", .list([.string("a"), .string("b"), .string("c")])), ("'a,b,c'.split(',', 2)", .list([.string("a"), .string("b,c")])),
        ("['a', 'b'].join('-')", .string("a-b")), ("['a', 'b'].join()", .string("ab")), ("'aaa'.replace('a', 'b', 2)", .string("bba")),
        ("'hello'.substring(1, 3)", .string("el")), ("'hello'.substring(2)", .string("llo")), ("'hello'.indexOf('l')", .int(2)),
        ("'hello'.lastIndexOf('l')", .int(3)), ("'hello'.charAt(1)", .string("e")), ("'abc'.reverse()", .string("cba")),
        ("[1, 2, 3].isSorted()", .bool(true)), ("[3, 1].isSorted()", .bool(false)), ("[1, 2, 3].sum()", .int(6)),
        ("[1.5, 2.5].sum()", .double(4)), ("[3, 1, 2].min()", .int(1)), ("[3, 1, 2].max()", .int(3)), ("[1, 2, 3].indexOf(2)", .int(1)),
        ("['b', 'a'].lastIndexOf('a')", .int(1)),
        ("'abc123'.matches('^[a-z]+[0-9]+$')", .bool(true)), ("matches('abc', 'b')", .bool(true)), ("'abc'.matches('^b')", .bool(false)),
        ("'abc 123 de 4'.find('[0-9]+')", .string("123")), ("'a1b22'.findAll('[0-9]+')", .list([.string("1"), .string("22")])),
        // Quantities.
        ("quantity('1Gi') == quantity('1024Mi')", .bool(true)), ("quantity('500m').isLessThan(quantity('1'))", .bool(true)),
        ("quantity('2').isGreaterThan(quantity('1500m'))", .bool(true)), ("quantity('1').compareTo(quantity('1000m'))", .int(0)),
        ("isQuantity('1.5Gi')", .bool(true)), ("isQuantity('abc')", .bool(false)), ("quantity('1').add(quantity('500m')) == quantity('1.5')", .bool(true)),
        ("quantity('2k').asInteger()", .int(2000)), ("quantity('-1').sign()", .int(-1)), ("quantity('1.5').isInteger()", .bool(false)),
        // Durations and timestamps.
        ("duration('1h30m') == duration('90m')", .bool(true)), ("string(duration('1m30s'))", .string("90s")),
        ("timestamp('2024-01-02T03:04:05Z') + duration('1h') == timestamp('2024-01-02T04:04:05Z')", .bool(true)),
        ("timestamp('2024-01-02T03:04:05Z').getFullYear()", .int(2024)), ("timestamp('2024-03-02T03:04:05Z').getMonth()", .int(2)),
        ("timestamp('2024-01-02T03:04:05Z') - timestamp('2024-01-02T03:00:00Z') == duration('245s')", .bool(true)),
        ("duration('2h').getMinutes()", .int(120)), ("string(timestamp('2024-01-02T03:04:05.5Z'))", .string("2024-01-02T03:04:05.5Z")),
    ]

    @Test(arguments: cases)
    func evaluatesTo(expression: String, expected: CELValue) throws {
        let value = try evaluate(expression)
        #expect(value.same(expected), "\(expression) gave \(value)")
    }

    static let errors: [(String, String)] = [
        ("1 / 0", "division by zero"), ("1 % 0", "modulus by zero"), ("9223372036854775807 + 1", "integer overflow"),
        ("-9223372036854775808 - 1", "integer overflow"), ("0u - 1u", "integer overflow"), ("{'a': 1}['b']", "no such key: b"),
        ("{'a': 1}.b", "no such key: b"), ("[1][3]", "index out of bounds: 3"), ("int('x')", "cannot convert string 'x' to int"),
        ("int(1e30)", "integer overflow"), ("'abc'.substring(5)", "index out of range: 5"), ("[].min()", "min(list) called on an empty list"),
        ("quantity('abc')", "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
        ("dyn(1) + dyn('a')", "no such overload: _+_"), ("'a'.matches('(')", "error parsing regexp: missing closing ): `(`"),
        ("{'a': 1, 'a': 2}", "Failed with repeated key"),
    ]

    @Test(arguments: errors)
    func failsWith(expression: String, message: String) throws {
        #expect(try evaluationError(expression) == message)
    }

    @Test func variablesAreBoundFromJSON() throws {
        let object: JSONValue = ["name": "web", "replicas": 3, "tags": ["a", "b"]]
        #expect(try evaluate("o.name == 'web' && o.replicas > 2 && 'b' in o.tags", ["o": object]).same(.bool(true)))
        #expect(try evaluationError("o.missing == 1", ["o": object]) == "no such key: missing")
    }

    @Test func runtimeCostLimitAbortsEvaluation() throws {
        let program = try CELProgram.compile(
            expression: "l.all(x, l.all(y, x + y >= 0))", environment: CELEnvironment(variables: ["l": .list(.int)]),
            options: .init(estimatedCostLimit: nil, runtimeCostLimit: 1000))
        let list = CELValue.list((0..<100).map { .int($0) })
        #expect(throws: CELEvaluationError.costLimit) { try program.evaluate(activation: ["l": list]) }
        let small = try program.evaluateWithCost(activation: ["l": .list([.int(1), .int(2)])])
        #expect(small.value.same(.bool(true)))
        #expect(small.cost > 0)
    }
}
