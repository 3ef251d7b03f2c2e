import SkiffAPI
import SkiffProtobuf

extension ObjectCodec {
    /// The `Accept` of reads: protobuf first for a kind that has it when `configuration` asks for
    /// it (JSON as the fallback, as client-go's components send it); nil (JSON) otherwise.
    func accept(_ configuration: ClientConfiguration) -> String? {
        configuration.acceptsProtobuf && acceptsProtobuf ? KubernetesProtobuf.mediaType + ", application/json" : nil
    }

    /// The object of a response, decoded as its `Content-Type` says.
    func decode(_ response: APIResponse) throws -> Object {
        guard response.isProtobuf else { return try decode(response.body) }
        return try decodeValue(try KubernetesProtobuf.decode(response.body))
    }

    /// The list of a response, decoded as its `Content-Type` says. A protobuf list's items carry
    /// no type meta on the wire; they get the list's (`PodList` → `v1`, `Pod`).
    func decodeList(_ response: APIResponse) throws -> ObjectList<Object> {
        guard response.isProtobuf else { return try decodeList(response.body) }
        let list = try KubernetesProtobuf.decode(response.body)
        let apiVersion = list["apiVersion"] ?? ""
        let kind = JSONValue.string(String(list["kind"]?.stringValue?.dropLast("List".count) ?? ""))
        let items = try (list["items"]?.arrayValue ?? []).map { item in
            var item = item
            item["apiVersion"] = apiVersion
            item["kind"] = kind
            return try decodeValue(item)
        }
        return ObjectList(metadata: ListMeta(listMetadata: list["metadata"] ?? .emptyObject), items: items)
    }
}

extension ListMeta {
    /// The list metadata of a list's JSON form.
    init(listMetadata metadata: JSONValue) {
        self.init(resourceVersion: metadata["resourceVersion"]?.stringValue, continue: metadata["continue"]?.stringValue,
                  remainingItemCount: metadata["remainingItemCount"]?.intValue)
    }
}
