import NIOHTTP1
import SkiffAPI
import SkiffProtobuf

/// The verbs of one resource, optionally in one namespace: what client-go's typed clients
/// (`clientset.CoreV1().Pods(ns)`) and dynamic client (`dynamic.Resource(gvr).Namespace(ns)`)
/// offer, over typed objects (`ResourceClient<Pod>`) or unstructured ones (`ResourceClient<JSONValue>`).
public struct ResourceClient<Object: Sendable>: Sendable {
    public let rest: RESTClient
    public let resource: GroupVersionResource
    /// The namespace of requests; nil for cluster-scoped resources and for lists across namespaces.
    public let namespace: String?
    let codec: ObjectCodec<Object>

    public init(rest: RESTClient, resource: GroupVersionResource, namespace: String? = nil, codec: ObjectCodec<Object>) {
        self.rest = rest
        self.resource = resource
        self.namespace = namespace.flatMap { $0.isEmpty ? nil : $0 }
        self.codec = codec
    }

    /// The same resource in another namespace.
    public func namespace(_ namespace: String) -> ResourceClient {
        ResourceClient(rest: rest, resource: resource, namespace: namespace, codec: codec)
    }

    /// The same resource, read without `metadata.managedFields`: what an informer of a component
    /// that never reads them caches (client-go's `TransformStripManagedFields`; here they are not
    /// even decoded). An update of such an object keeps the stored managed fields, as the server
    /// keeps them for any write that leaves them out.
    public func strippingManagedFields() -> ResourceClient {
        var codec = codec
        codec.decodesManagedFields = false
        return ResourceClient(rest: rest, resource: resource, namespace: namespace, codec: codec)
    }

    private func request(_ method: HTTPMethod, name: String? = nil, subresource: String? = nil, namespace: String? = nil) -> APIRequest {
        APIRequest(method, resource).namespace(namespace ?? self.namespace).name(name).subresource(subresource)
            .accept(codec.accept(rest.configuration))
    }

    private func decoded(_ response: APIResponse) throws -> Object {
        do {
            return try codec.decode(response)
        } catch let error as ClientError {
            throw error
        } catch {
            throw ClientError(.decoding, "cannot decode \(resource.groupResource)", underlying: error)
        }
    }

    /// The object named `name`.
    public func get(_ name: String, options: GetOptions = GetOptions()) async throws -> Object {
        try decoded(try await rest.send(request(.GET, name: name).options(options)))
    }

    /// One page of objects (all of them when `options.limit` is nil).
    public func list(_ options: ListOptions = ListOptions()) async throws -> ObjectList<Object> {
        let response = try await rest.send(request(.GET).options(options))
        do {
            return try codec.decodeList(response)
        } catch {
            throw ClientError(.decoding, "cannot decode the list of \(resource.groupResource)", underlying: error)
        }
    }

    /// Every object, read page by page when `options.limit` is set (client-go's pager); the
    /// result carries the resourceVersion of the first page.
    public func listAll(_ options: ListOptions = ListOptions()) async throws -> ObjectList<Object> {
        var page = try await list(options)
        var all = page
        while let next = page.continueToken {
            var following = options
            following.continue = next
            following.resourceVersion = nil
            following.resourceVersionMatch = nil
            page = try await list(following)
            all.items += page.items
        }
        all.metadata.continue = nil
        return all
    }

    /// Watches changes from `options.resourceVersion` (from now when unset). A watch the server
    /// refuses outright (e.g. `410 Expired`) throws; later failures arrive as `.error` events.
    public func watch(_ options: ListOptions = ListOptions()) async throws -> WatchStream<Object> {
        let response = try await rest.openStream(request(.GET).options(options).query("watch", "true"))
        let framing: WatchEventDecoder<Object>.Framing = response.headers.first(name: "Content-Type")?.hasPrefix(KubernetesProtobuf.mediaType) == true
            ? .protobuf : .json
        return WatchStream(body: response.body, decoder: WatchEventDecoder(
            framing: framing, decodeObject: { [codec] in try codec.decodeValue($0) }, decodeObjectBytes: { [codec] in try codec.decode($0) }))
    }

    /// Creates `object` (in this client's namespace, or the object's own when the client has none).
    public func create(_ object: Object, options: CreateOptions = CreateOptions()) async throws -> Object {
        let body = try codec.encode(object)
        return try decoded(try await rest.send(request(.POST, namespace: namespaceFor(object)).options(options).body(body)))
    }

    /// Replaces `object`; its `metadata.resourceVersion`, when set, must be current (else `409 Conflict`).
    public func update(_ object: Object, options: UpdateOptions = UpdateOptions()) async throws -> Object {
        try await replace(object, subresource: nil, options: options)
    }

    /// Replaces the status of `object` (the `status` subresource).
    public func updateStatus(_ object: Object, options: UpdateOptions = UpdateOptions()) async throws -> Object {
        try await replace(object, subresource: "status", options: options)
    }

    /// Replaces `object` through a subresource that takes the whole object (a
    /// CertificateSigningRequest's `approval`).
    public func update(_ object: Object, subresource: String, options: UpdateOptions = UpdateOptions()) async throws -> Object {
        try await replace(object, subresource: subresource, options: options)
    }

    private func replace(_ object: Object, subresource: String?, options: UpdateOptions) async throws -> Object {
        let name = codec.name(object)
        guard !name.isEmpty else { throw ClientError(.invalidRequest, "an update needs the object's name") }
        let body = try codec.encode(object)
        let update = request(.PUT, name: name, subresource: subresource, namespace: namespaceFor(object)).options(options).body(body)
        return try decoded(try await rest.send(update))
    }

    /// Patches the object `name` with a patch of `type`.
    public func patch(
        _ name: String, type: PatchType, patch: JSONValue, subresource: String? = nil, options: PatchOptions = PatchOptions()
    ) async throws -> Object {
        let patchRequest = request(.PATCH, name: name, subresource: subresource).options(options).body(patch, contentType: type.rawValue)
        return try decoded(try await rest.send(patchRequest))
    }

    /// Server-side apply of `object` as `fieldManager`; `force` takes over fields others own.
    public func apply(_ object: Object, fieldManager: String, force: Bool = false, dryRun: Bool = false) async throws -> Object {
        let name = codec.name(object)
        guard !name.isEmpty else { throw ClientError(.invalidRequest, "apply needs the object's name") }
        let options = PatchOptions(dryRun: dryRun, fieldManager: fieldManager, force: force)
        let body = try codec.encode(object)
        let applyRequest = request(.PATCH, name: name, namespace: namespaceFor(object)).options(options)
            .body(body, contentType: PatchType.apply.rawValue)
        return try decoded(try await rest.send(applyRequest))
    }

    /// Deletes the object `name`. An object with finalizers stays until they are removed.
    public func delete(_ name: String, options: DeleteOptions = DeleteOptions()) async throws {
        try await rest.send(request(.DELETE, name: name).body(options.body))
    }

    /// Deletes every object `listOptions` selects.
    public func deleteCollection(_ options: DeleteOptions = DeleteOptions(), listOptions: ListOptions = ListOptions()) async throws {
        try await rest.send(request(.DELETE).options(listOptions).body(options.body))
    }

    private func namespaceFor(_ object: Object) -> String? {
        namespace ?? codec.namespace(object)
    }
}
