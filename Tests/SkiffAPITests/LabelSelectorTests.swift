import SkiffAPI
import Testing

@Suite struct LabelSelectorTests {
    private func select(_ text: String, _ labels: [String: String]) throws -> Bool {
        try LabelSelector(parsing: text).matches(labels)
    }

    @Test func equalityAndInequality() throws {
        #expect(try select("env=prod", ["env": "prod"]))
        #expect(try select("env==prod", ["env": "prod"]))
        #expect(try !select("env=prod", ["env": "dev"]))
        #expect(try select("env!=prod", ["env": "dev"]))
        #expect(try select("env!=prod", [:]), "!= matches a missing label, as upstream")
        #expect(try select("env=prod,tier!=db", ["env": "prod", "tier": "web"]))
        #expect(try !select("env=prod,tier!=db", ["env": "prod", "tier": "db"]))
    }

    @Test func setBasedRequirements() throws {
        #expect(try select("env in (prod, staging)", ["env": "staging"]))
        #expect(try !select("env in (prod,staging)", ["env": "dev"]))
        #expect(try select("env notin (prod)", [:]), "notin matches a missing label")
        #expect(try select("env in (prod,)", ["env": ""]), "an empty member selects the empty value")
        #expect(try select("tier", ["tier": "x"]))
        #expect(try !select("tier", [:]))
        #expect(try select("!tier", [:]))
        #expect(try !select("!tier", ["tier": ""]))
        #expect(try select("replicas>2", ["replicas": "3"]))
        #expect(try !select("replicas<2", ["replicas": "3"]))
    }

    @Test func emptySelectorMatchesEverything() throws {
        let selector = try LabelSelector(parsing: "")
        #expect(selector.isEverything)
        #expect(selector.matches(["any": "thing"]))
    }

    @Test func canonicalForm() throws {
        #expect(try LabelSelector(parsing: "b=2, a in (z,y), !c").description == "a in (y,z),b=2,!c")
    }

    @Test(arguments: ["env=", "=prod", "env in prod", "env in (a", "a=b c", "x/y/z=1", "bad key=1", "env=-bad", "a,", "gt>x"])
    func rejectsMalformedSelectors(_ text: String) {
        if text == "env=" {
            #expect((try? LabelSelector(parsing: text))?.matches(["env": ""]) == true, "an empty value is valid")
            return
        }
        #expect(throws: APIError.self) { try LabelSelector(parsing: text) }
    }

    @Test func parseErrorsAreBadRequests() {
        do {
            _ = try LabelSelector(parsing: "a in (b")
            Issue.record("parsed")
        } catch {
            #expect(error.code == 400)
            #expect(error.reason == .badRequest)
            #expect(error.message.hasPrefix("unable to parse requirement"))
        }
    }

    @Test func fromMatchLabelsAndExpressions() throws {
        let selector = try LabelSelector(selector: [
            "matchLabels": ["app": "web"],
            "matchExpressions": [["key": "tier", "operator": "In", "values": ["a", "b"]], ["key": "legacy", "operator": "DoesNotExist"]],
        ])
        #expect(selector.matches(["app": "web", "tier": "a"]))
        #expect(!selector.matches(["app": "web", "tier": "a", "legacy": "1"]))
        #expect(!selector.matches(["app": "web"]))
        #expect(throws: APIError.self) { try LabelSelector(selector: ["matchExpressions": [["key": "a", "operator": "In"]]]) }
        #expect(throws: APIError.self) { try LabelSelector(selector: ["matchExpressions": [["key": "a", "operator": "Near"]]]) }
    }

    @Test func keyAndValueValidation() {
        #expect(LabelSelector.validateKey("example.com/app").isEmpty)
        #expect(LabelSelector.validateKey("app.kubernetes.io/name").isEmpty)
        #expect(!LabelSelector.validateKey("Example_com/app").isEmpty)
        #expect(!LabelSelector.validateKey(String(repeating: "a", count: 64)).isEmpty)
        #expect(LabelSelector.validateValue("").isEmpty)
        #expect(!LabelSelector.validateValue("-x").isEmpty)
    }
}

@Suite struct FieldSelectorTests {
    @Test func matchesAndNegation() throws {
        let selector = try FieldSelector(parsing: "metadata.name=web,status.phase!=Running")
        #expect(selector.matches(["metadata.name": "web", "status.phase": "Pending"]))
        #expect(!selector.matches(["metadata.name": "web", "status.phase": "Running"]))
        #expect(selector.exactValue(for: "metadata.name") == "web")
        #expect(try FieldSelector(parsing: "a==b").matches(["a": "b"]))
    }

    @Test func escapes() throws {
        let selector = try FieldSelector(parsing: #"metadata.name=a\,b\=c\\d"#)
        #expect(selector.matches(["metadata.name": #"a,b=c\d"#]))
        #expect(throws: APIError.self) { try FieldSelector(parsing: #"a=b\x"#) }
        #expect(throws: APIError.self) { try FieldSelector(parsing: "novalue") }
    }

    @Test func unsupportedFieldsAreRejectedLikeUpstream() throws {
        let selector = try FieldSelector(parsing: "spec.foo=bar")
        do {
            try selector.validateFields(supported: ["metadata.name"])
            Issue.record("accepted")
        } catch {
            #expect(error.code == 400)
            #expect(error.message == "field label not supported: spec.foo")
        }
    }
}
