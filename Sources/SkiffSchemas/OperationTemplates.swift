import SkiffAPI

/// The paths and operations of one resource, shaped as upstream's OpenAPI documents: operation ids
/// (`listCoreV1NamespacedConfigMap`), `x-kubernetes-action`, `x-kubernetes-group-version-kind`,
/// the write parameters (`dryRun`, `fieldManager`, `fieldValidation`) and the PATCH content types.
/// Both the v2 and the v3 documents render these.
struct OperationTemplates {
    static let status = "io.k8s.apimachinery.pkg.apis.meta.v1.Status"
    static let deleteOptions = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"
    static let patch = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch"
    static let watchEvent = "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent"
    static let objectMediaTypes = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]
    static let listMediaTypes = objectMediaTypes + ["application/json;stream=watch", "application/vnd.kubernetes.protobuf;stream=watch"]

    let resource: OpenAPIResource

    private var gvk: JSONValue { Self.groupVersionKind(resource.group, resource.version, resource.kind) }

    private static func groupVersionKind(_ group: String, _ version: String, _ kind: String) -> JSONValue {
        ["group": .string(group), "version": .string(version), "kind": .string(kind)]
    }

    /// `CoreV1`, `AppsV1`, `CoordinationV1`, `RbacAuthorizationV1`.
    private var groupVersionWord: String {
        let group = resource.group.isEmpty ? "core" : resource.group.replacing(".k8s.io", with: "")
        let words = group.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return words.joined() + resource.version.prefix(1).uppercased() + resource.version.dropFirst()
    }

    private var tag: String {
        (resource.group.isEmpty ? "core" : resource.group.replacing(".k8s.io", with: "").replacing(".", with: "")) + "_" + resource.version
    }

    /// The collection, the item and every subresource path, with the operations of the served verbs.
    func pathItems() -> [OpenAPIPathItem] {
        let root = resource.group.isEmpty ? "/api/\(resource.version)" : "/apis/\(resource.group)/\(resource.version)"
        let collection = root + (resource.namespaced ? "/namespaces/{namespace}/" : "/") + resource.plural
        let namespaced = resource.namespaced ? "Namespaced" : ""
        let kind = resource.kind
        let schema = resource.definitionName
        let verbs = Set(resource.verbs)
        var scopeParameters: [OpenAPIParameter] = resource.namespaced ? [.path("namespace")] : []
        scopeParameters.append(.query("pretty", "string"))
        let itemParameters = [OpenAPIParameter.path("name")] + scopeParameters
        var collectionOperations: [OpenAPIOperation] = []
        if verbs.contains("list") {
            collectionOperations.append(operation(.get, "list\(groupVersionWord)\(namespaced)\(kind)", action: "list", response: schema + "List",
                                                  parameters: Self.listParameters, produces: Self.listMediaTypes))
        }
        if verbs.contains("create") {
            collectionOperations.append(operation(.post, "create\(groupVersionWord)\(namespaced)\(kind)", action: "post", response: schema,
                                                  parameters: Self.writeParameters, body: body(schema), codes: ["200", "201", "202"]))
        }
        if verbs.contains("deletecollection") {
            collectionOperations.append(operation(.delete, "delete\(groupVersionWord)Collection\(namespaced)\(kind)", action: "deletecollection",
                                                  response: Self.status, parameters: Self.listOptions + Self.deleteParameters,
                                                  body: body(Self.deleteOptions, required: false)))
        }
        var itemOperations: [OpenAPIOperation] = []
        if verbs.contains("get") {
            itemOperations.append(operation(.get, "read\(groupVersionWord)\(namespaced)\(kind)", action: "get", response: schema, parameters: []))
        }
        if verbs.contains("update") {
            itemOperations.append(operation(.put, "replace\(groupVersionWord)\(namespaced)\(kind)", action: "put", response: schema,
                                            parameters: Self.writeParameters, body: body(schema), codes: ["200", "201"]))
        }
        if verbs.contains("patch") { itemOperations.append(patchOperation("patch\(groupVersionWord)\(namespaced)\(kind)", response: schema)) }
        if verbs.contains("delete") {
            itemOperations.append(operation(.delete, "delete\(groupVersionWord)\(namespaced)\(kind)", action: "delete",
                                            response: resource.deleteReturnsObject ? schema : Self.status, parameters: Self.deleteParameters,
                                            body: body(Self.deleteOptions, required: false), codes: ["200", "202"]))
        }
        var items = [
            pathItem(collection, parameters: scopeParameters, operations: collectionOperations),
            pathItem(collection + "/{name}", parameters: itemParameters, operations: itemOperations),
        ]
        for subresource in resource.subresources {
            let id = "\(groupVersionWord)\(namespaced)\(kind)" + subresource.prefix(1).uppercased() + subresource.dropFirst()
            let (subSchema, subKind) = switch subresource {
            case "scale": ("io.k8s.api.autoscaling.v1.Scale", Self.groupVersionKind("autoscaling", "v1", "Scale"))
            case "binding": ("io.k8s.api.core.v1.Binding", Self.groupVersionKind("", "v1", "Binding"))
            case "eviction": ("io.k8s.api.policy.v1.Eviction", Self.groupVersionKind("policy", "v1", "Eviction"))
            default: (schema, gvk)
            }
            var operations: [OpenAPIOperation] = []
            if subresource == "binding" || subresource == "eviction" {
                operations.append(operation(.post, "create" + id, action: "post", response: subSchema, parameters: Self.writeParameters,
                                            body: body(subSchema), codes: ["200", "201", "202"], kind: subKind))
            } else {
                if subresource != "finalize" {
                    operations.append(operation(.get, "read" + id, action: "get", response: subSchema, parameters: [], kind: subKind))
                    operations.append(patchOperation("patch" + id, response: subSchema, kind: subKind))
                }
                operations.append(operation(.put, "replace" + id, action: "put", response: subSchema, parameters: Self.writeParameters,
                                            body: body(subSchema), codes: ["200", "201"], kind: subKind))
            }
            items.append(pathItem(collection + "/{name}/" + subresource, parameters: itemParameters, operations: operations))
        }
        items += listAcrossNamespacesAndWatchPaths(root: root, verbs: verbs)
        return items.filter { !$0.operations.isEmpty }
    }

    /// The list across namespaces (`/api/v1/pods`) and the legacy `/watch/` paths: each a single
    /// GET taking the list parameters, which therefore sit on the path.
    private func listAcrossNamespacesAndWatchPaths(root: String, verbs: Set<String>) -> [OpenAPIPathItem] {
        let plural = resource.plural
        let kind = groupVersionWord + (resource.namespaced ? "Namespaced" : "") + resource.kind
        let scope = resource.namespaced ? "/namespaces/{namespace}/" : "/"
        let scopeParameters: [OpenAPIParameter] = resource.namespaced ? [.path("namespace")] : []
        var items: [OpenAPIPathItem] = []
        func get(_ path: String, _ id: String, action: String, response: String, parameters: [OpenAPIParameter]) {
            let list = operation(.get, id, action: action, response: response, parameters: Self.listParameters, produces: Self.listMediaTypes)
            items.append(pathItem(path, parameters: parameters + [.query("pretty", "string")], operations: [list]))
        }
        if resource.namespaced, verbs.contains("list") {
            get(root + "/" + plural, "list\(groupVersionWord)\(resource.kind)ForAllNamespaces", action: "list",
                response: resource.definitionName + "List", parameters: [])
        }
        guard verbs.contains("watch") else { return items }
        get(root + "/watch" + scope + plural, "watch\(kind)List", action: "watchlist", response: Self.watchEvent, parameters: scopeParameters)
        get(root + "/watch" + scope + plural + "/{name}", "watch\(kind)", action: "watch", response: Self.watchEvent,
            parameters: [.path("name")] + scopeParameters)
        if resource.namespaced {
            get(root + "/watch/" + plural, "watch\(groupVersionWord)\(resource.kind)ListForAllNamespaces", action: "watchlist",
                response: Self.watchEvent, parameters: [])
        }
        return items
    }

    /// A path item whose operations' shared parameters move up to the path, as upstream's
    /// documents have them (a binding's `dryRun`, `fieldManager`, `fieldValidation`).
    private func pathItem(_ path: String, parameters: [OpenAPIParameter], operations: [OpenAPIOperation]) -> OpenAPIPathItem {
        var shared = operations.first?.parameters ?? []
        for operation in operations.dropFirst() { shared.removeAll { !operation.parameters.contains($0) } }
        let hoisted = operations.map { operation in
            var operation = operation
            operation.parameters.removeAll { shared.contains($0) }
            return operation
        }
        return OpenAPIPathItem(path: path, parameters: (parameters + shared).sorted { $0.name < $1.name }, operations: hoisted)
    }

    private func body(_ definition: String, required: Bool = true) -> OpenAPIOperation.Body {
        OpenAPIOperation.Body(definition: definition, required: required, contentTypes: ["*/*"])
    }

    private func operation(_ method: OpenAPIOperation.Method, _ id: String, action: String, response: String, parameters: [OpenAPIParameter],
                           body: OpenAPIOperation.Body? = nil, codes: [String] = ["200"], produces: [String] = Self.objectMediaTypes,
                           kind: JSONValue? = nil) -> OpenAPIOperation {
        OpenAPIOperation(method: method, id: id, action: action, tag: tag, groupVersionKind: kind ?? gvk,
                         parameters: parameters.sorted { $0.name < $1.name }, body: body, response: response, codes: codes, produces: produces)
    }

    private func patchOperation(_ id: String, response: String, kind: JSONValue? = nil) -> OpenAPIOperation {
        operation(.patch, id, action: "patch", response: response, parameters: Self.writeParameters + [.query("force", "boolean")],
                  body: OpenAPIOperation.Body(definition: Self.patch, required: true, contentTypes: resource.patchTypes), codes: ["200", "201"],
                  kind: kind)
    }

    private static let writeParameters: [OpenAPIParameter] = [
        .query("dryRun", "string"), .query("fieldManager", "string"), .query("fieldValidation", "string"),
    ]

    private static let deleteParameters: [OpenAPIParameter] = [
        .query("dryRun", "string"), .query("gracePeriodSeconds", "integer"),
        .query("ignoreStoreReadErrorWithClusterBreakingPotential", "boolean"),
        .query("orphanDependents", "boolean"), .query("propagationPolicy", "string"),
    ]

    /// What selects the objects of a list or a delete-collection.
    private static let listOptions: [OpenAPIParameter] = [
        .query("continue", "string"), .query("fieldSelector", "string"), .query("labelSelector", "string"), .query("limit", "integer"),
        .query("resourceVersion", "string"), .query("resourceVersionMatch", "string"), .query("sendInitialEvents", "boolean"),
        .query("timeoutSeconds", "integer"),
    ]

    private static let listParameters = listOptions + [.query("allowWatchBookmarks", "boolean"), .query("watch", "boolean")]
}
