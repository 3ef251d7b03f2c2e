import SkiffAPI
import SkiffModels
import SkiffRegistry
import Testing

@Suite struct ServedObjectsRoundTripTests {
    /// The Swift models round-trip every object the server returns: each served resource is listed
    /// over HTTP and every item, decoded into its model and encoded again, equals the server's JSON.
    ///
    /// The server writes zero times as `null` members, as Go does (`"creationTimestamp": null` in
    /// templates); a model holds them as `nil` and omits them, which means the same to every
    /// decoder, so `null` members are compared as absent.
    @Test func everyServedKindRoundTrips() async throws {
        let entries = BuiltinResources.entries()
        let checked = try await TestAPIServer.with { server in
            for fixture in ServedObjects.fixtures {
                let created = try await server.send("POST", fixture.path, json: fixture.object)
                try #require(created.status == 201, "POST \(fixture.path): \(String(decoding: created.body, as: UTF8.self))")
                if let status = fixture.status {
                    var object = try created.json()
                    object["status"] = try JSONValue(parsing: status)
                    let path = "\(fixture.path)/\(fixture.name)/status"
                    let updated = try await server.send("PUT", path, json: object.serializedString())
                    try #require(updated.status == 200, "PUT \(path): \(String(decoding: updated.body, as: UTF8.self))")
                }
            }
            var checked: [GroupVersionKind] = []
            for entry in entries {
                let info = entry.info
                let gvk = GroupVersionKind(group: info.group, version: info.version, kind: info.kind)
                let model = try #require(BuiltinModels.kinds.first { $0.groupVersionKind == gvk }, "no model for \(gvk)")
                #expect(model.resource == info.plural && model.isNamespaced == info.namespaced, "\(gvk)")
                let prefix = info.group.isEmpty ? "/api/v1" : "/apis/\(info.group)/\(info.version)"
                let list = try await server.send("GET", "\(prefix)/\(info.plural)")
                try #require(list.status == 200, "GET \(prefix)/\(info.plural)")
                let items = try #require(try list.json()["items"]?.arrayValue, "\(gvk) list has items")
                try #require(!items.isEmpty, "the server holds a \(gvk)")
                for item in items {
                    let result = try roundTripItem(model, item.serialized())
                    #expect(result.reencoded == result.original.removingNullMembers(), "\(gvk) \(item[path: "metadata", "name"] ?? nil)")
                }
                checked.append(gvk)
            }
            return checked
        }
        #expect(checked.count == entries.count, "every registered kind was listed, non-empty, and round-tripped")
    }
}

/// Opens the existential so the decoder gets the concrete model type.
private func roundTripItem<Model: KubernetesObject>(_ model: Model.Type, _ json: [UInt8]) throws -> (original: JSONValue, reencoded: JSONValue) {
    let result = try roundTrip(model, json)
    return (result.original, result.reencoded)
}

extension JSONValue {
    /// This value with every object member whose value is `null` removed, at any depth.
    fileprivate func removingNullMembers() -> JSONValue {
        switch self {
        case .object(let members): .object(members.filter { !$0.value.isNull }.mapValues { $0.removingNullMembers() })
        case .array(let elements): .array(elements.map { $0.removingNullMembers() })
        default: self
        }
    }
}
