/// A value that writes itself as a JSON tree: what the typed models use instead of `Encodable`
/// to make request bodies. The models' conformances are generated (`hack/codegen/models.py`); the
/// tree equals what `JSONEncoder` writes, parsed (absent optionals are left out).
public protocol JSONTreeEncodable {
    /// The value as JSON.
    var jsonTree: JSONValue { get }
}

extension JSONTree {
    /// The members of an object from its properties' trees; nil properties are left out.
    @inlinable public static func object(_ members: [(String, JSONValue?)]) -> JSONValue {
        var object: [String: JSONValue] = [:]
        object.reserveCapacity(members.count)
        for case (let key, let value?) in members { object[key] = value }
        return .object(object)
    }
}

extension Optional where Wrapped: JSONTreeEncodable {
    /// The wrapped value's tree; nil (left out) when there is none.
    @inlinable public var jsonTree: JSONValue? { map { $0.jsonTree } }
}

extension String: JSONTreeEncodable {
    @inlinable public var jsonTree: JSONValue { .string(self) }
}

extension Bool: JSONTreeEncodable {
    @inlinable public var jsonTree: JSONValue { .bool(self) }
}

extension Int64: JSONTreeEncodable {
    @inlinable public var jsonTree: JSONValue { .int(self) }
}

extension Int32: JSONTreeEncodable {
    @inlinable public var jsonTree: JSONValue { .int(Int64(self)) }
}

extension Int: JSONTreeEncodable {
    @inlinable public var jsonTree: JSONValue { .int(Int64(self)) }
}

extension Double: JSONTreeEncodable {
    /// A whole number as an integer, as `JSONEncoder`'s text reads back.
    @inlinable public var jsonTree: JSONValue {
        if rounded() == self, let whole = Int64(exactly: self) { return .int(whole) }
        return .double(self)
    }
}

extension JSONValue: JSONTreeEncodable {
    @inlinable public var jsonTree: JSONValue { self }
}

extension Array: JSONTreeEncodable where Element: JSONTreeEncodable {
    @inlinable public var jsonTree: JSONValue { .array(map { $0.jsonTree }) }
}

extension Dictionary: JSONTreeEncodable where Key == String, Value: JSONTreeEncodable {
    @inlinable public var jsonTree: JSONValue { .object(mapValues { $0.jsonTree }) }
}

extension Timestamp: JSONTreeEncodable {
    public var jsonTree: JSONValue { .string(rfc3339) }
}

extension ObjectMeta: JSONTreeEncodable {
    public var jsonTree: JSONValue {
        JSONTree.object([
            ("name", name.jsonTree), ("generateName", generateName.jsonTree), ("namespace", namespace.jsonTree),
            ("selfLink", selfLink.jsonTree), ("uid", uid.jsonTree), ("resourceVersion", resourceVersion.jsonTree),
            ("generation", generation.jsonTree), ("creationTimestamp", creationTimestamp.jsonTree),
            ("deletionTimestamp", deletionTimestamp.jsonTree), ("deletionGracePeriodSeconds", deletionGracePeriodSeconds.jsonTree),
            ("labels", labels.jsonTree), ("annotations", annotations.jsonTree), ("ownerReferences", ownerReferences.jsonTree),
            ("finalizers", finalizers.jsonTree), ("managedFields", managedFields.jsonTree),
        ])
    }
}

extension OwnerReference: JSONTreeEncodable {
    public var jsonTree: JSONValue {
        JSONTree.object([
            ("apiVersion", apiVersion.jsonTree), ("kind", kind.jsonTree), ("name", name.jsonTree), ("uid", uid.jsonTree),
            ("controller", controller.jsonTree), ("blockOwnerDeletion", blockOwnerDeletion.jsonTree),
        ])
    }
}

extension ManagedFieldsEntry: JSONTreeEncodable {
    public var jsonTree: JSONValue {
        JSONTree.object([
            ("manager", manager.jsonTree), ("operation", operation.jsonTree), ("apiVersion", apiVersion.jsonTree), ("time", time.jsonTree),
            ("fieldsType", fieldsType.jsonTree), ("fieldsV1", fieldsV1.jsonTree), ("subresource", subresource.jsonTree),
        ])
    }
}

extension ListMeta: JSONTreeEncodable {
    public var jsonTree: JSONValue {
        JSONTree.object([
            ("selfLink", selfLink.jsonTree), ("resourceVersion", resourceVersion.jsonTree), ("continue", `continue`.jsonTree),
            ("remainingItemCount", remainingItemCount.jsonTree),
        ])
    }
}
