import SkiffAPI
import Testing

/// The option types the client encodes and the server decodes: what one side writes, the other
/// reads back, and the server's errors for values upstream rejects.
@Suite struct RequestOptionsTests {
    private func roundTrip(_ items: [QueryItem]) -> QueryParameters {
        QueryParameters(items)
    }

    @Test func listOptionsRoundTrip() throws {
        let options = ListOptions(
            labelSelector: "app=web,tier!=db", fieldSelector: "metadata.name=x", resourceVersion: "12",
            resourceVersionMatch: .notOlderThan, limit: 5, continue: "token", timeoutSeconds: 30,
            allowWatchBookmarks: true, sendInitialEvents: true)
        #expect(try ListOptions(query: roundTrip(options.queryItems)) == options)
        #expect(try ListOptions(query: QueryParameters("")) == ListOptions(allowWatchBookmarks: false))
    }

    @Test func listOptionsRejectMalformedValues() {
        #expect(throws: APIError.self) { try ListOptions(query: QueryParameters("labelSelector=a%3D%3Db%3D%3Dc")) }
        #expect(throws: APIError.self) { try ListOptions(query: QueryParameters("limit=-1")) }
        #expect(throws: APIError.self) { try ListOptions(query: QueryParameters("allowWatchBookmarks=maybe")) }
    }

    @Test func parsedSelectorsAreEverythingWhenUnset() throws {
        #expect(try ListOptions().parsedLabelSelector().isEverything)
        #expect(try ListOptions().parsedFieldSelector().isEverything)
        #expect(try ListOptions(labelSelector: "app=web").parsedLabelSelector() == LabelSelector(parsing: "app=web"))
    }

    @Test func writeOptionsRoundTrip() throws {
        let create = CreateOptions(dryRun: true, fieldManager: "me", fieldValidation: .strict)
        #expect(try CreateOptions(query: roundTrip(create.queryItems)) == create)
        let update = UpdateOptions(fieldValidation: .ignore)
        #expect(try UpdateOptions(query: roundTrip(update.queryItems)) == update)
        let patch = PatchOptions(dryRun: true, fieldManager: "kubectl", force: true, fieldValidation: .warn)
        #expect(try PatchOptions(query: roundTrip(patch.queryItems)) == patch)
    }

    @Test func writeOptionsRejectUnknownValues() throws {
        #expect(throws: APIError.badRequest("Invalid dry run value: dryRun: Unsupported value: \"Some\": supported values: \"All\"")) {
            try CreateOptions(query: QueryParameters("dryRun=Some"))
        }
        #expect(throws: APIError.badRequest("fieldValidation parameter unsupported: Loose")) {
            try UpdateOptions(query: QueryParameters("fieldValidation=Loose"))
        }
        #expect(try FieldValidation(query: QueryParameters("")) == .warn)
    }

    @Test func deleteOptionsFromTheQueryAndTheBody() throws {
        let sent = DeleteOptions(
            propagationPolicy: .foreground, preconditions: .init(uid: "u1", resourceVersion: "7"), gracePeriodSeconds: 0, dryRun: true)
        #expect(try DeleteOptions(query: QueryParameters("")).merging(body: sent.body) == sent)
        let fromQuery = try DeleteOptions(query: QueryParameters("gracePeriodSeconds=5&propagationPolicy=Orphan"))
        #expect(fromQuery == DeleteOptions(propagationPolicy: .orphan, gracePeriodSeconds: 5))
    }

    @Test func deleteOptionsRejectWhatUpstreamRejects() {
        #expect(throws: APIError.self) { try DeleteOptions(query: QueryParameters("propagationPolicy=Sometimes")) }
        #expect(throws: APIError.self) { try DeleteOptions(query: QueryParameters("propagationPolicy=Orphan&orphanDependents=true")) }
        #expect(throws: APIError.self) { try DeleteOptions(query: QueryParameters("gracePeriodSeconds=-1")) }
        #expect(throws: APIError.self) { try DeleteOptions().merging(body: ["kind": "Pod"]) }
    }

    @Test func watchEventTypesAreTheWireNames() {
        #expect(WatchEvent<String>.added("x").type.rawValue == "ADDED")
        #expect(WatchEvent<String>.bookmark(resourceVersion: "1", annotations: [:]).type == .bookmark)
        #expect(WatchEventType(rawValue: "ERROR") == .error)
    }
}
