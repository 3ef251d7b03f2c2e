import SkiffAPI
import Testing

/// Label selectors against upstream's `labels` tests (k8s.io/apimachinery v0.32) and messages.
@Suite struct LabelSelectorTests {
    private static let nameFormat =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    private static let valueFormat =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    private static let qualifiedNameFormat =
        "a qualified name \(nameFormat) with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"

    private func parseError(_ text: String) -> APIError? {
        do {
            _ = try LabelSelector(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Grammar

    @Test(arguments: ["x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5"])
    func upstreamGoodStringsRoundTrip(_ text: String) throws {
        #expect(try LabelSelector(parsing: text).description == text.replacing(" ", with: ""))
    }

    @Test(arguments: ["x=a||y=b", "x==a==b", "!x=a", "x<a"])
    func upstreamBadStringsAreRejected(_ text: String) {
        #expect(parseError(text) != nil)
    }

    @Test func parsingIsDeterministic() throws {
        #expect(try LabelSelector(parsing: "x=a,a=x") == LabelSelector(parsing: "a=x,x=a"))
        #expect(try LabelSelector(parsing: "x=a,a=x").description == "a=x,x=a")
    }

    /// Upstream's `TestSetSelectorParser`, as canonical forms; `nil` means the input is rejected.
    @Test(arguments: [
        ("", ""),
        ("\rx", "x"),
        ("this-is-a-dns.domain.com/key-with-dash", "this-is-a-dns.domain.com/key-with-dash"),
        ("this-is-another-dns.domain.com/key-with-dash in (so,what)", "this-is-another-dns.domain.com/key-with-dash in (so,what)"),
        ("0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)", "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)"),
        ("foo  in\t (abc)", "foo in (abc)"),
        ("x notin\n (abc)", "x notin (abc)"),
        ("x  notin\t\t\t(abc,def)", "x notin (abc,def)"),
        ("x in (abc,def)", "x in (abc,def)"),
        ("x in (abc,)", "x in (,abc)"),
        ("x in ()", "x in ()"),
        ("x notin (abc,,def),bar,z in (),w", "bar,w,x notin (,abc,def),z in ()"),
        ("x,y in (a)", "x,y in (a)"),
        ("x=a", "x=a"),
        ("x>1", "x>1"),
        ("x<7", "x<7"),
        ("x=a,y!=b", "x=a,y!=b"),
        ("x=a,y!=b,z in (h,i,j)", "x=a,y!=b,z in (h,i,j)"),
        ("x=a||y=b", nil),
        ("x,,y", nil),
        (",x,y", nil),
        ("x nott in (y)", nil),
        ("x notin ( )", "x notin ()"),
        ("x notin (, a)", "x notin (,a)"),
        ("a in (xyz),", nil),
        ("a in (xyz)b notin ()", nil),
        ("a ", "a"),
        ("a in (x,y,notin, z,in)", "a in (in,notin,x,y,z)"),
        ("a in (xyz abc)", nil),
        ("a notin(", nil),
        ("a (", nil),
        ("(", nil),
        // Consecutive commas, as fixed upstream after v0.32 (kubernetes/kubernetes d4f8beb).
        ("x in (a,,)", "x in (,a)"),
        ("x in (,,)", "x in ()"),
        ("x in (a,,,b)", "x in (,a,b)"),
    ] as [(String, String?)])
    func upstreamParserCases(_ text: String, _ canonical: String?) {
        #expect((try? LabelSelector(parsing: text))?.description == canonical)
    }

    @Test func docsExamples() throws {
        let production = ["environment": "production", "tier": "frontend", "partition": "a"]
        #expect(try LabelSelector(parsing: "environment in (production, qa)").matches(production))
        #expect(try !LabelSelector(parsing: "tier notin (frontend, backend)").matches(production))
        #expect(try LabelSelector(parsing: "partition").matches(production))
        #expect(try !LabelSelector(parsing: "!partition").matches(production))
        #expect(try !LabelSelector(parsing: "environment=production,tier!=frontend").matches(production))
        #expect(try LabelSelector(parsing: "environment,environment notin (frontend)").matches(production))
        #expect(try LabelSelector(parsing: "environment,environment notin (frontend)").description
            == "environment,environment notin (frontend)")
    }

    @Test func inAndNotinAreOperatorsOnlyAfterAKey() throws {
        #expect(try LabelSelector(parsing: "notin=in").matches(["notin": "in"]))
        let selector = try LabelSelector(parsing: "in in (notin, in)")
        #expect(selector.requirements.map(\.key) == ["in"])
        #expect(selector.description == "in in (in,notin)")
        #expect(selector.matches(["in": "notin"]))
        #expect(try LabelSelector(parsing: "!in").matches([:]))
    }

    @Test func operatorsAndValuesAreKept() throws {
        let selector = try LabelSelector(parsing: "e==1, d!=2, c>3, b<4, a notin (y, x, y), f in (z), g, !h")
        #expect(selector.requirements.map(\.operator) == [.notIn, .lessThan, .greaterThan, .notEquals, .doubleEquals, .in, .exists, .doesNotExist])
        #expect(selector.requirements[0].values == ["x", "y"], "parsed values are sorted and distinct")
        #expect(selector.description == "a notin (x,y),b<4,c>3,d!=2,e==1,f in (z),g,!h")
    }

    @Test func aNulByteEndsTheInputBetweenTokens() throws {
        #expect(try LabelSelector(parsing: "a=b \u{0},garbage").description == "a=b")
        #expect(parseError("a\u{0}b")?.message == "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt")
    }

    // MARK: Errors

    /// Upstream's messages, with the `unable to parse requirement: ` prefix only inside a requirement.
    @Test(arguments: [
        ("a in (b", "unable to parse requirement: found '', expected: ',' or ')'"),
        (",x", "found ',', expected: !, identifier, or 'end of string'"),
        (")", "found ')', expected: !, identifier, or 'end of string'"),
        ("x,,y", "found ',', expected: identifier after ','"),
        ("x,", "found '', expected: identifier after ','"),
        ("a in (xyz)b", "found 'b', expected: ',' or 'end of string'"),
        ("!x=a", "found '=', expected: ',' or 'end of string'"),
        ("!", "unable to parse requirement: found '', expected: identifier"),
        ("!!x", "unable to parse requirement: found '!', expected: identifier"),
        ("x ! y", "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt"),
        ("x (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"),
        ("x in y", "unable to parse requirement: found 'y' expected: '('"),
        ("x in", "unable to parse requirement: found '' expected: '('"),
        ("x in (", "unable to parse requirement: found '', expected: ',', ')' or identifier"),
        ("x in (=", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
        ("x in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"),
        ("x in (a,=)", "unable to parse requirement: found '=', expected: ',', or identifier"),
        ("x=(", "unable to parse requirement: found '(', expected: identifier"),
        ("x<a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"),
        ("x>-1", "unable to parse requirement: values[0][x]: Invalid value: \"-1\": \(valueFormat)"),
        ("x>a-", "unable to parse requirement: [values[0]: Invalid value: \"a-\": for 'Gt', 'Lt' operators, the value must be an integer, values[0][x]: Invalid value: \"a-\": \(valueFormat)]"),
        ("x=a||y", "unable to parse requirement: values[0][x]: Invalid value: \"a||y\": \(valueFormat)"),
        ("x in (ok, -b, c-)", "unable to parse requirement: [values[0][x]: Invalid value: \"-b\": \(valueFormat), values[1][x]: Invalid value: \"c-\": \(valueFormat)]"),
        ("a/b/c ?=? def", "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": \(qualifiedNameFormat)"),
        ("app:monolith", "unable to parse requirement: <nil>: Invalid value: \"app:monolith\": name part \(nameFormat)"),
        ("a\"b\\", "unable to parse requirement: <nil>: Invalid value: \"a\\\"b\\\\\": name part \(nameFormat)"),
        ("é\u{200B}\u{7F}", "unable to parse requirement: <nil>: Invalid value: \"é\\u200b\\x7f\": name part \(nameFormat)"),
    ])
    func upstreamErrorMessages(_ text: String, _ message: String) {
        let error = parseError(text)
        #expect(error?.message == message)
        #expect(error?.code == 400)
        #expect(error?.reason == .badRequest)
    }

    // MARK: Matching

    @Test(arguments: [
        ("", ["x": "y"], true),
        ("x=y", ["x": "y"], true),
        ("x=y,z=w", ["x": "y", "z": "w"], true),
        ("x!=y,z!=w", ["x": "z", "z": "a"], true),
        ("x", ["x": "z"], true),
        ("!x", ["y": "z"], true),
        ("x>1", ["x": "2"], true),
        ("x<1", ["x": "0"], true),
        ("x=z", [:], false),
        ("x=y", ["x": "z"], false),
        ("x=y,z=w", ["x": "w", "z": "w"], false),
        ("x!=y,z!=w", ["x": "z", "z": "w"], false),
        ("x", ["y": "z"], false),
        ("!x", ["x": "z"], false),
        ("x>1", ["x": "0"], false),
        ("x<1", ["x": "2"], false),
        ("foo=bar,baz=blah", ["foo": "bar", "baz": "blah"], true),
        ("foo=bar,foobar=bar,baz=blah", ["foo": "bar", "baz": "blah"], false),
        // Missing labels: `!=` and `notin` hold, the rest (but `!key`) do not.
        ("x!=y", [:], true),
        ("x notin (a)", [:], true),
        ("x notin ()", [:], true),
        ("x in (a)", [:], false),
        ("x>1", [:], false),
        // Empty values.
        ("x=", ["x": ""], true),
        ("x=", [:], false),
        ("x in (a,)", ["x": ""], true),
        ("x in ()", ["x": "b"], false),
        ("x notin ()", ["x": ""], false),
        ("!x", ["x": ""], false),
        ("x", ["x": ""], true),
        // `>` and `<` compare integers; other values never match.
        ("x>9", ["x": "10"], true),
        ("x<10", ["x": "9"], true),
        ("x>1", ["x": "v2"], false),
        ("x>1", ["x": "+2"], true),
        ("x<1", ["x": "-5"], true),
        ("x>1", ["x": "99999999999999999999"], false),
    ] as [(String, [String: String], Bool)])
    func matching(_ text: String, _ labels: [String: String], _ expected: Bool) throws {
        #expect(try LabelSelector(parsing: text).matches(labels) == expected)
    }

    @Test func emptySelectorMatchesEverything() throws {
        let selector = try LabelSelector(parsing: "  ")
        #expect(selector.isEverything)
        #expect(selector == LabelSelector())
        #expect(selector.matches([:]))
        #expect(selector.matches(["any": "thing"]))
        #expect(selector.description.isEmpty)
    }

    @Test func nothingMatchesNothing() {
        #expect(!LabelSelector.nothing.isEverything)
        #expect(!LabelSelector.nothing.matches([:]))
        #expect(LabelSelector.nothing.description.isEmpty)
        #expect(LabelSelector.nothing != LabelSelector())
    }

    @Test func exactValue() throws {
        let selector = try LabelSelector(parsing: "a=1,b==2,c in (3),d in (4,5),e!=6,f")
        #expect(selector.exactValue(for: "a") == "1")
        #expect(selector.exactValue(for: "b") == "2")
        #expect(selector.exactValue(for: "c") == "3")
        #expect(selector.exactValue(for: "d") == nil)
        #expect(selector.exactValue(for: "e") == nil)
        #expect(selector.exactValue(for: "f") == nil)
        #expect(selector.exactValue(for: "g") == nil)
        #expect(try LabelSelector(parsing: "a,a=1").exactValue(for: "a") == nil, "only the first requirement on the label counts")
    }

    @Test func matchLabelsSelectExactly() {
        let selector = LabelSelector(matchLabels: ["b": "2", "a": "1"])
        #expect(selector.description == "a=1,b=2")
        #expect(selector.matches(["a": "1", "b": "2", "c": "3"]))
        #expect(!selector.matches(["a": "1"]))
        #expect(LabelSelector(matchLabels: [:]).isEverything)
    }

    // MARK: Requirements

    /// Upstream's `TestToString`.
    @Test func requirementsPrintAsUpstream() throws {
        typealias R = LabelSelector.Requirement
        let cases: [([R], String)] = [
            ([try R(key: "x", operator: .in, values: ["abc", "def"]), try R(key: "y", operator: .notIn, values: ["jkl"]),
              try R(key: "z", operator: .exists, values: [])], "x in (abc,def),y notin (jkl),z"),
            ([try R(key: "x", operator: .notIn, values: ["abc", "def"]), try R(key: "y", operator: .notEquals, values: ["jkl"]),
              try R(key: "z", operator: .doesNotExist, values: [])], "x notin (abc,def),y!=jkl,!z"),
            ([try R(key: "x", operator: .notIn, values: ["abc"]), try R(key: "y", operator: .in, values: ["jkl", "mno"]),
              try R(key: "z", operator: .notIn, values: [""])], "x notin (abc),y in (jkl,mno),z notin ()"),
            ([try R(key: "x", operator: .equals, values: ["abc"]), try R(key: "y", operator: .doubleEquals, values: ["jkl"]),
              try R(key: "z", operator: .notEquals, values: ["a"]), try R(key: "z", operator: .exists, values: [])], "x=abc,y==jkl,z!=a,z"),
            ([try R(key: "x", operator: .greaterThan, values: ["2"]), try R(key: "y", operator: .lessThan, values: ["8"]),
              try R(key: "z", operator: .exists, values: [])], "x>2,y<8,z"),
            ([try R(key: "b", operator: .in, values: ["c", "a", "a"]), try R(key: "a", operator: .exists, values: [])], "a,b in (a,a,c)"),
        ]
        for (requirements, text) in cases {
            #expect(LabelSelector(requirements: requirements).description == text)
        }
    }

    /// Upstream's `TestRequirementConstructor`, with the messages it reports.
    @Test(arguments: [
        ("x1", .in, [], "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"),
        ("x5", .equals, ["bar", "foo"], "values: Invalid value: []string{\"bar\", \"foo\"}: exact-match compatibility requires one single value"),
        ("x8", .exists, ["foo"], "values: Invalid value: []string{\"foo\"}: values set must be empty for exists and does not exist"),
        ("x13", .greaterThan, [], "values: Invalid value: []string{}: for 'Gt', 'Lt' operators, exactly one value is required"),
        ("x14", .greaterThan, ["bar"], "values[0]: Invalid value: \"bar\": for 'Gt', 'Lt' operators, the value must be an integer"),
        ("x15", .lessThan, ["bar"], "values[0]: Invalid value: \"bar\": for 'Gt', 'Lt' operators, the value must be an integer"),
        (String(repeating: "a", count: 254), .exists, [],
         "key: Invalid value: \"\(String(repeating: "a", count: 254))\": name part must be no more than 63 characters"),
        ("x16", .equals, [String(repeating: "a", count: 254)],
         "values[0][x16]: Invalid value: \"\(String(repeating: "a", count: 254))\": must be no more than 63 characters"),
        ("x17", .equals, ["a b"], "values[0][x17]: Invalid value: \"a b\": \(valueFormat)"),
    ] as [(String, LabelSelector.Requirement.Operator, [String], String)])
    func invalidRequirements(_ key: String, _ op: LabelSelector.Requirement.Operator, _ values: [String], _ message: String) {
        #expect(throws: APIError.badRequest(message)) { try LabelSelector.Requirement(key: key, operator: op, values: values) }
    }

    @Test func validRequirements() throws {
        typealias R = LabelSelector.Requirement
        for (op, values) in [(R.Operator.in, ["foo"]), (.notIn, ["foo"]), (.exists, []), (.doesNotExist, []), (.greaterThan, ["1"]), (.lessThan, ["6"])] {
            let requirement = try R(key: "x", operator: op, values: values)
            #expect(requirement.values == values)
        }
    }

    /// Upstream's `TestRequirementSelectorMatching`.
    @Test func requirementMatching() throws {
        typealias R = LabelSelector.Requirement
        let notInEmpty = try R(key: "x", operator: .notIn, values: [""])
        #expect(LabelSelector(requirements: [try R(key: "x", operator: .in, values: ["foo"]), try R(key: "y", operator: .notIn, values: ["alpha"])])
            .matches(["x": "foo", "y": "baz"]))
        #expect(!LabelSelector(requirements: [try R(key: "x", operator: .in, values: ["foo"]), try R(key: "y", operator: .in, values: ["alpha"])])
            .matches(["x": "foo", "y": "baz"]))
        #expect(LabelSelector(requirements: [notInEmpty, try R(key: "y", operator: .exists, values: [])]).matches(["y": ""]))
        #expect(LabelSelector(requirements: [try R(key: "x", operator: .doesNotExist, values: []), try R(key: "y", operator: .exists, values: [])])
            .matches(["y": ""]))
        #expect(!LabelSelector(requirements: [notInEmpty, try R(key: "y", operator: .doesNotExist, values: [])]).matches(["y": ""]))
        #expect(!LabelSelector(requirements: [try R(key: "x", operator: .in, values: [""])]).matches(["y": "baz"]))
        #expect(LabelSelector(requirements: [try R(key: "z", operator: .greaterThan, values: ["1"])]).matches(["z": "2"]))
        #expect(!LabelSelector(requirements: [try R(key: "z", operator: .greaterThan, values: ["1"])]).matches(["z": "v2"]))
    }

    // MARK: Key and value validation

    @Test(arguments: [
        ("example.com/app", []),
        ("app.kubernetes.io/name", []),
        ("MyName", []),
        ("a", []),
        (String(repeating: "a", count: 63), []),
        ("", ["name part must be non-empty", "name part \(nameFormat)"]),
        ("/a", ["prefix part must be non-empty"]),
        ("a/", ["name part must be non-empty", "name part \(nameFormat)"]),
        ("a_", ["name part \(nameFormat)"]),
        (String(repeating: "a", count: 64), ["name part must be no more than 63 characters"]),
        ("a/b/c", [qualifiedNameFormat]),
        ("Example.com/app",
         ["prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]),
        (String(repeating: "a", count: 254) + "/b", ["prefix part must be no more than 253 characters"]),
    ] as [(String, [String])])
    func keyValidation(_ key: String, _ problems: [String]) {
        #expect(LabelSelector.validateKey(key) == problems)
    }

    @Test(arguments: [
        ("", []),
        ("MyValue", []),
        ("my_value.1-x", []),
        (String(repeating: "a", count: 63), []),
        (String(repeating: "a", count: 64), ["must be no more than 63 characters"]),
        ("-x", [valueFormat]),
        ("x.", [valueFormat]),
        ("a b", [valueFormat]),
        ("é", [valueFormat]),
        (String(repeating: "a", count: 63) + "-", ["must be no more than 63 characters", valueFormat]),
    ] as [(String, [String])])
    func valueValidation(_ value: String, _ problems: [String]) {
        #expect(LabelSelector.validateValue(value) == problems)
    }

    // MARK: metav1.LabelSelector

    @Test func fromMatchLabelsAndExpressions() throws {
        let selector = try LabelSelector(selector: [
            "matchLabels": ["app": "web"],
            "matchExpressions": [
                ["key": "tier", "operator": "In", "values": ["b", "a"]],
                ["key": "legacy", "operator": "DoesNotExist"],
                ["key": "track", "operator": "NotIn", "values": ["canary"]],
                ["key": "app", "operator": "Exists", "values": nil],
            ],
        ])
        #expect(selector.description == "app=web,app,!legacy,tier in (a,b),track notin (canary)")
        #expect(selector.requirements.first { $0.key == "tier" }?.values == ["b", "a"], "values are kept as given")
        #expect(selector.matches(["app": "web", "tier": "a"]))
        #expect(selector.matches(["app": "web", "tier": "b", "track": "stable"]))
        #expect(!selector.matches(["app": "web", "tier": "a", "legacy": "1"]))
        #expect(!selector.matches(["app": "web", "tier": "a", "track": "canary"]))
        #expect(!selector.matches(["app": "web"]))
    }

    @Test func emptyAndMissingMetaSelectors() throws {
        #expect(try LabelSelector(selector: [:]).isEverything)
        #expect(try LabelSelector(selector: ["matchLabels": [:], "matchExpressions": []]).isEverything)
        #expect(try LabelSelector(selector: ["matchLabels": nil]).isEverything)
        #expect(try LabelSelector(selector: nil) == .nothing)
        #expect(LabelSelector.validate(nil, fieldPath: "spec.selector").isEmpty)
    }

    @Test func metaSelectorValidation() {
        let selector: JSONValue = [
            "matchLabels": ["bad key": "-v", "ok": "fine"],
            "matchExpressions": [
                ["key": "a", "operator": "In"],
                ["key": "b", "operator": "Exists", "values": ["x"]],
                ["key": "c", "operator": "Near"],
                ["key": "d/e/f", "operator": "NotIn", "values": ["ok", "-bad"]],
                ["operator": "DoesNotExist"],
            ],
        ]
        let messages = [
            "spec.selector.matchLabels: Invalid value: \"bad key\": name part \(Self.nameFormat)",
            "spec.selector.matchLabels: Invalid value: \"-v\": \(Self.valueFormat)",
            "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
            "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            "spec.selector.matchExpressions[2].operator: Invalid value: \"Near\": not a valid selector operator",
            "spec.selector.matchExpressions[3].key: Invalid value: \"d/e/f\": \(Self.qualifiedNameFormat)",
            "spec.selector.matchExpressions[3].values[1]: Invalid value: \"-bad\": \(Self.valueFormat)",
            "spec.selector.matchExpressions[4].key: Invalid value: \"\": name part must be non-empty",
            "spec.selector.matchExpressions[4].key: Invalid value: \"\": name part \(Self.nameFormat)",
        ]
        let errors = LabelSelector.validate(selector, fieldPath: "spec.selector")
        #expect(errors.map(\.message) == messages)
        #expect(errors.map(\.type) == [.fieldValueInvalid, .fieldValueInvalid, .fieldValueRequired, .fieldValueForbidden]
            + Array(repeating: .fieldValueInvalid, count: 5))
        do {
            _ = try LabelSelector(selector: selector, fieldPath: "spec.selector")
            Issue.record("an invalid selector was accepted")
        } catch {
            #expect(error.code == 422)
            #expect(error.reason == .invalid)
            #expect(error.message == "[" + messages.joined(separator: ", ") + "]")
            #expect(error.details?.causes.map(\.field) == errors.map(\.field))
            #expect(error.details?.causes.map(\.message) == errors.map(\.errorBody))
        }
    }

    @Test func metaSelectorValidationUsesTheGivenPath() {
        let errors = LabelSelector.validate(["matchExpressions": [["key": "a", "operator": "In"]]], fieldPath: "spec.podSelector")
        #expect(errors.map(\.field) == ["spec.podSelector.matchExpressions[0].values"])
    }

    @Test func metaSelectorTypeErrors() {
        let errors = LabelSelector.validate(
            ["matchLabels": ["a": 1], "matchExpressions": [["key": 2, "operator": "In", "values": ["x", true]], "no"]],
            fieldPath: "spec.selector")
        #expect(errors.map(\.field) == [
            "spec.selector.matchLabels[a]", "spec.selector.matchExpressions[0].key",
            "spec.selector.matchExpressions[0].values[1]", "spec.selector.matchExpressions[1]",
        ])
        #expect(errors.allSatisfy { $0.type == .fieldValueTypeInvalid })
        #expect(LabelSelector.validate("app=web", fieldPath: "spec.selector").map(\.type) == [.fieldValueTypeInvalid])
        #expect(LabelSelector.validate(["matchLabels": [], "matchExpressions": [:]], fieldPath: "s").map(\.field)
            == ["s.matchLabels", "s.matchExpressions"])
    }
}
