import SkiffAPI
import SkiffModels
import SkiffRegistry
import SkiffStorage
import SkiffTesting
import Testing

/// The Swift models round-trip every object the server returns.
///
/// The server writes zero times as `null` members, as Go does (`"creationTimestamp": null` in
/// templates); a model holds them as `nil` and omits them, which means the same to every decoder,
/// so `null` members are compared as absent.
@Suite struct ServedObjectsRoundTripTests {
    /// Every served resource is listed over HTTP; the list, and every item on its own, decoded into
    /// its model and encoded again, equals the server's JSON.
    /// The built-in resources that hold objects (create-only ones such as `bindings` are not listed).
    static var listedEntries: [Registry.Entry] {
        BuiltinResources.entries(storage: MemoryStorage()).filter { $0.info.verbs.contains("list") }
    }

    @Test func everyServedKindRoundTrips() async throws {
        let entries = Self.listedEntries
        let checked = try await InProcessCluster.withCluster { server in
            try await Self.populate(server)
            var checked: [GroupVersionKind] = []
            for entry in entries {
                let info = entry.info
                let gvk = GroupVersionKind(group: info.group, version: info.version, kind: info.kind)
                let model = try #require(BuiltinModels.kinds.first { $0.groupVersionKind == gvk }, "no model for \(gvk)")
                let listModel = try #require(BuiltinModels.lists.first { itemKind(of: $0) == gvk }, "no list model for \(gvk)")
                #expect(model.resource == info.plural && model.isNamespaced == info.namespaced, "\(gvk)")
                let prefix = info.group.isEmpty ? "/api/v1" : "/apis/\(info.group)/\(info.version)"
                let list = try await server.send("GET", "\(prefix)/\(info.plural)")
                try #require(list.status == 200, "GET \(prefix)/\(info.plural)")
                let items = try #require(try list.json()["items"]?.arrayValue, "\(gvk) list has items")
                try #require(!items.isEmpty, "the server holds a \(gvk)")
                for item in items {
                    let result = try roundTripModel(model, item.serialized())
                    #expect(result.reencoded == result.original.removingNullMembers(), "\(gvk) \(item[path: "metadata", "name"] ?? nil)")
                }
                let whole = try roundTripModel(listModel, list.body)
                #expect(whole.reencoded == whole.original.removingNullMembers(), "\(gvk) list")
                checked.append(gvk)
            }
            return checked
        }
        #expect(checked.count == entries.count, "every registered kind was listed, non-empty, and round-tripped")
    }

    /// A scale subresource and a `Status` error round-trip too.
    @Test func scaleAndStatusRoundTrip() async throws {
        try await InProcessCluster.withCluster { server in
            try await Self.populate(server)
            let scale = try await server.send("GET", "/apis/apps/v1/namespaces/\(ServedObjects.namespace)/deployments/web/scale")
            try #require(scale.status == 200)
            let scaleResult = try roundTrip(AutoscalingV1.Scale.self, scale.body)
            #expect(scaleResult.reencoded == scaleResult.original.removingNullMembers())
            #expect(scaleResult.value.spec?.replicas == 3)

            let missing = try await server.send("GET", "/api/v1/namespaces/\(ServedObjects.namespace)/pods/absent")
            #expect(missing.status == 404)
            let statusResult = try roundTrip(MetaV1.Status.self, missing.body)
            #expect(statusResult.reencoded == statusResult.original.removingNullMembers())
            #expect(statusResult.value.reason == "NotFound" && statusResult.value.details?.name == "absent")
        }
    }

    /// Creates every fixture, then writes the status of those that have one.
    static func populate(_ server: InProcessCluster) async throws {
        for fixture in ServedObjects.fixtures {
            let created = try await server.send("POST", fixture.path, json: fixture.object)
            try #require(created.status == 201, "POST \(fixture.path): \(String(decoding: created.body, as: UTF8.self))")
            guard let status = fixture.status else { continue }
            var object = try created.json()
            object["status"] = try JSONValue(parsing: status)
            let path = "\(fixture.path)/\(fixture.name)/status"
            let updated = try await server.send("PUT", path, json: object.serializedString())
            try #require(updated.status == 200, "PUT \(path): \(String(decoding: updated.body, as: UTF8.self))")
        }
    }
}

/// Opens the existential so the decoder gets the concrete model type.
private func roundTripModel<Model: Codable>(_ model: Model.Type, _ json: [UInt8]) throws -> (original: JSONValue, reencoded: JSONValue) {
    let result = try roundTrip(model, json)
    return (result.original, result.reencoded)
}

private func itemKind<List: KubernetesObjectList>(of list: List.Type) -> GroupVersionKind {
    List.Item.groupVersionKind
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
