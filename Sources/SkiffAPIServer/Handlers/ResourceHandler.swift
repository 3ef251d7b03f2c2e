import NIOHTTP1
import SkiffAPI
import SkiffProtobuf
import SkiffRegistry
import Synchronization

/// Serves the REST verbs of one resource request on its store.
struct ResourceHandler: Sendable {
    let store: ResourceStore
    let path: ResourcePath
    let request: HTTPRequest
    /// The admission chain and user every write goes through.
    let admission: AdmissionContext

    /// Encodes the answers in the format `Accept` asks for.
    private let encoder: ResponseEncoder

    var info: ResourceInfo { store.info }

    /// A handler of `request`, whose `Accept` is negotiated before anything is served (a write
    /// whose answer could not be sent is not made), as upstream's handlers do.
    init(store: ResourceStore, path: ResourcePath, request: HTTPRequest, admission: AdmissionContext) throws(APIError) {
        self.store = store
        self.path = path
        self.request = request
        self.admission = admission
        let allowsProtobuf = Self.allowsProtobuf(store.info)
        guard let format = ResponseFormat.negotiate(request.headers.first(name: "accept"), allowsProtobuf: allowsProtobuf) else {
            throw ResponseFormat.notAcceptable(allowsProtobuf: allowsProtobuf)
        }
        encoder = ResponseEncoder(info: store.info, strategy: store.strategy, format: format, query: request.query)
    }

    /// Whether the resource's kind has a protobuf form (built-in kinds; not custom resources).
    static func allowsProtobuf(_ info: ResourceInfo) -> Bool {
        KubernetesProtobuf.hasMessage(apiVersion: info.apiVersion, kind: info.kind)
    }

    func handle() async throws -> HTTPResponse {
        if info.namespaced == false, path.namespace != nil { throw notFound() }
        switch (path.name, path.subresource) {
        case (nil, nil):
            return try await handleCollection()
        case (let name?, nil):
            return try await handleItem(name: name)
        case (let name?, let subresource?):
            guard let kind = ResourceInfo.Subresource(rawValue: subresource), info.subresources.contains(kind) else {
                throw notFound()
            }
            return try await handleSubresource(kind, name: name)
        default:
            throw notFound()
        }
    }

    private func notFound() -> APIError {
        APIError(code: 404, reason: .notFound, message: "the server could not find the requested resource")
    }

    private func handleCollection() async throws -> HTTPResponse {
        switch request.method {
        case .GET:
            let options = try ListOptions(query: request.query)
            if try path.legacyWatch || request.query.bool("watch") == true {
                return try await watch(options: options)
            }
            let result = try await store.list(namespace: path.namespace, options: options)
            return encoder.list(result)
        case .POST:
            guard !info.namespaced || path.namespace != nil else { throw notFound() }
            let (object, warnings) = try decodeValidatedBody()
            let created = try await store.create(namespace: path.namespace, object: object, options: try writeOptions(), admission: admission)
            return encode(created, status: .created).withWarnings(warnings)
        case .DELETE:
            let options = try ListOptions(query: request.query)
            let deleted = try await store.deleteCollection(namespace: path.namespace, listOptions: options, options: try deleteOptions(),
                                                             admission: admission)
            let list: JSONValue = [
                "apiVersion": .string(info.apiVersion), "kind": .string(info.listKind),
                "metadata": .emptyObject, "items": .array(deleted),
            ]
            return encoder.plain(list)
        default:
            throw APIError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }

    private func handleItem(name: String) async throws -> HTTPResponse {
        guard !info.namespaced || path.namespace != nil else { throw notFound() }
        switch request.method {
        case .GET:
            if try path.legacyWatch || request.query.bool("watch") == true {
                var options = try ListOptions(query: request.query)
                options.fieldSelector = "metadata.name=\(name)"
                return try await watch(options: options)
            }
            return encode(try await store.get(namespace: path.namespace, name: name, resourceVersion: GetOptions(query: request.query).resourceVersion))
        case .PUT:
            let (object, warnings) = try decodeValidatedBody()
            return encode(try await store.update(namespace: path.namespace, name: name, object: object, options: try writeOptions(), admission: admission))
                .withWarnings(warnings)
        case .PATCH:
            return try await patch(name: name, target: .main)
        case .DELETE:
            return try await delete(name: name)
        default:
            throw APIError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }

    private func handleSubresource(_ subresource: ResourceInfo.Subresource, name: String) async throws -> HTTPResponse {
        switch (subresource, request.method) {
        case (.status, .GET), (.approval, .GET):
            return encode(try await store.get(namespace: path.namespace, name: name, resourceVersion: GetOptions(query: request.query).resourceVersion))
        case (.status, .PUT), (.finalize, .PUT), (.approval, .PUT):
            let (object, warnings) = try decodeValidatedBody()
            let target: ResourceStore.UpdateTarget = switch subresource {
            case .finalize: .finalize
            case .approval: .approval
            default: .status
            }
            return encode(try await store.update(namespace: path.namespace, name: name, object: object, target: target,
                                             options: try writeOptions(), admission: admission))
                .withWarnings(warnings)
        case (.status, .PATCH), (.approval, .PATCH):
            return try await patch(name: name, target: subresource == .approval ? .approval : .status)
        case (.scale, .GET), (.scale, .PUT), (.scale, .PATCH):
            return try await ScaleHandler(store: store, namespace: path.namespace, name: name, request: request, admission: admission).handle()
        case (.binding, .POST):
            let binding = try RequestBody.decodeObject(request)
            try await BindingHandler(store: store, admission: admission)
                .bind(namespace: path.namespace, name: name, binding: binding, options: try writeOptions())
            return encoder.plain(SuccessStatus.make(code: 201), status: .created)
        default:
            throw APIError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }

    /// The request body, decoded, with unknown fields handled as `fieldValidation` asks.
    private func decodeValidatedBody() throws(APIError) -> (JSONValue, [String]) {
        let (object, duplicates) = try RequestBody.decodeObjectReportingDuplicates(request)
        return try FieldValidation(query: request.query).check(object, duplicates: duplicates, info: info, strategy: store.strategy)
    }

    private func patch(name: String, target: ResourceStore.UpdateTarget) async throws -> HTTPResponse {
        let patch = try PatchRequest(request)
        if patch.kind == .apply {
            let handler = ApplyHandler(store: store, namespace: path.namespace, name: name, request: request, target: target,
                                       admission: admission)
            let (object, created, warnings) = try await handler.handle(configuration: patch.document)
            return encode(object, status: created ? .created : .ok).withWarnings(warnings)
        }
        let validation = try FieldValidation(query: request.query)
        let warnings = Mutex<[String]>([])
        let info = self.info
        let strategy = store.strategy
        let updated = try await store.guaranteedUpdate(namespace: path.namespace, name: name, precondition: nil, options: try writeOptions(),
                                                       subresource: target.subresource, admission: admission) { old in
            let (validated, found) = try validation.check(try patch.apply(to: old, info: info, definition: info.definitionName), info: info, strategy: strategy)
            warnings.withLock { $0 = found }
            var patched = validated
            if let version = patched.resourceVersion, !version.isEmpty, version != old.resourceVersion {
                throw APIError.conflict(info.groupResource, name: name, message: APIError.staleObjectMessage)
            }
            patched.resourceVersion = old.resourceVersion
            return store.merge(patched, into: old, target: target)
        }
        return encode(updated).withWarnings(warnings.withLock { $0 })
    }

    private func delete(name: String) async throws -> HTTPResponse {
        var options = try deleteOptions()
        if !request.body.isEmpty {
            let body = try RequestBody.decodeObject(request)
            options = try options.merging(body: body)
        }
        switch try await store.delete(namespace: path.namespace, name: name, options: options, admission: admission) {
        case .pending(let object):
            return encode(object, status: options.orphanDependents == false ? .accepted : .ok)
        case .deleted(let object):
            if store.strategy.returnsDeletedObject { return encode(object) }
            return encoder.plain(SuccessStatus.make(details: ["name": .string(name), "group": .string(info.group), "kind": .string(info.plural), "uid": .string(object.uid ?? "")]))
        }
    }

    /// A watch; one that starts before the history kept gets, as from upstream's watch cache, a
    /// `200` stream with a single ERROR event carrying the `410 Expired` Status.
    private func watch(options: ListOptions) async throws -> HTTPResponse {
        do {
            let subscription = try await store.watch(namespace: path.namespace, options: options)
            return WatchStreamer(encoder: encoder, subscription: subscription, options: options).response()
        } catch let error as APIError where error.code == 410 {
            let frame = encoder.watchFrame(type: .error, value: error.status)
            return HTTPResponse(status: .ok, headers: ["Content-Type": encoder.watchContentType], body: .stream { writer in
                try await writer.write(frame)
            })
        }
    }

    private func encode(_ object: JSONValue, status: HTTPResponseStatus = .ok) -> HTTPResponse {
        encoder.object(object, status: status)
    }

    /// The store's options for a create, update or subresource write; `CreateOptions` and
    /// `UpdateOptions` decode the same parameters.
    private func writeOptions() throws(APIError) -> WriteOptions {
        WriteOptions(dryRun: try UpdateOptions(query: request.query).dryRun, fieldManager: request.fieldManager)
    }

    private func deleteOptions() throws(APIError) -> DeleteOptions {
        try DeleteOptions(query: request.query)
    }
}

/// The `Status` of a successful call without an object to return.
enum SuccessStatus {
    static func make(code: Int64? = nil, details: JSONValue? = nil) -> JSONValue {
        var status: JSONValue = ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success"]
        if let code { status["code"] = .int(code) }
        if let details { status["details"] = details }
        return status
    }
}
