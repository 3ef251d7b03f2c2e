import SkiffAPI

/// The paths and operations of one resource, shaped as upstream's OpenAPI documents: operation ids
/// (`listCoreV1NamespacedConfigMap`), `x-kubernetes-action`, `x-kubernetes-group-version-kind`,
/// the write parameters (`dryRun`, `fieldManager`, `fieldValidation`) and the PATCH content types.
struct OperationTemplates {
    let resource: OpenAPIResource

    private var gvk: JSONValue {
        ["group": .string(resource.group), "version": .string(resource.version), "kind": .string(resource.kind)]
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

    func addPaths(to paths: inout [String: JSONValue]) {
        let root = resource.group.isEmpty ? "/api/\(resource.version)" : "/apis/\(resource.group)/\(resource.version)"
        let scope = resource.namespaced ? "/namespaces/{namespace}" : ""
        let namespaced = resource.namespaced ? "Namespaced" : ""
        let kind = resource.kind
        let schema = ref(resource.definitionName)
        let list = ref(resource.definitionName + "List")
        var scopeParameters: [JSONValue] = resource.namespaced ? [pathParameter("namespace")] : []
        scopeParameters.append(queryParameter("pretty", "string"))
        paths[root + scope + "/" + resource.plural] = [
            "get": operation("list\(groupVersionWord)\(namespaced)\(kind)", action: "list", response: list, parameters: listParameters),
            "post": operation("create\(groupVersionWord)\(namespaced)\(kind)", action: "post", response: schema,
                              parameters: writeParameters, body: schema, codes: ["200", "201", "202"]),
            "delete": operation("deletecollection\(groupVersionWord)\(namespaced)\(kind)", action: "deletecollection",
                                response: ref("io.k8s.apimachinery.pkg.apis.meta.v1.Status"), parameters: listParameters + deleteParameters,
                                body: ref("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions")),
            "parameters": .array(scopeParameters),
        ]
        let itemParameters = [pathParameter("name")] + scopeParameters
        paths[root + scope + "/" + resource.plural + "/{name}"] = [
            "get": operation("read\(groupVersionWord)\(namespaced)\(kind)", action: "get", response: schema, parameters: []),
            "put": operation("replace\(groupVersionWord)\(namespaced)\(kind)", action: "put", response: schema,
                             parameters: writeParameters, body: schema, codes: ["200", "201"]),
            "patch": patchOperation("patch\(groupVersionWord)\(namespaced)\(kind)", response: schema),
            "delete": operation("delete\(groupVersionWord)\(namespaced)\(kind)", action: "delete", response: schema,
                                parameters: deleteParameters, body: ref("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"), codes: ["200", "202"]),
            "parameters": .array(itemParameters),
        ]
        for subresource in resource.subresources {
            let word = subresource.prefix(1).uppercased() + subresource.dropFirst()
            let subSchema: JSONValue
            switch subresource {
            case "scale": subSchema = ref("io.k8s.api.autoscaling.v1.Scale")
            case "binding": subSchema = ref("io.k8s.api.core.v1.Binding")
            default: subSchema = schema
            }
            var operations: [String: JSONValue] = ["parameters": .array(itemParameters)]
            if subresource == "binding" {
                operations["post"] = operation("create\(groupVersionWord)\(namespaced)\(kind)\(word)", action: "post", response: subSchema,
                                               parameters: writeParameters, body: subSchema, codes: ["200", "201", "202"])
            } else {
                if subresource != "finalize" {
                    operations["get"] = operation("read\(groupVersionWord)\(namespaced)\(kind)\(word)", action: "get", response: subSchema, parameters: [])
                    operations["patch"] = patchOperation("patch\(groupVersionWord)\(namespaced)\(kind)\(word)", response: subSchema)
                }
                operations["put"] = operation("replace\(groupVersionWord)\(namespaced)\(kind)\(word)", action: "put", response: subSchema,
                                              parameters: writeParameters, body: subSchema, codes: ["200", "201"])
            }
            paths[root + scope + "/" + resource.plural + "/{name}/" + subresource] = .object(operations)
        }
    }

    private func ref(_ name: String) -> JSONValue {
        ["$ref": .string("#/components/schemas/\(name)")]
    }

    private func operation(_ id: String, action: String, response: JSONValue, parameters: [JSONValue], body: JSONValue? = nil,
                           codes: [String] = ["200"]) -> JSONValue {
        var responses: [String: JSONValue] = ["401": ["description": "Unauthorized"]]
        for code in codes {
            responses[code] = ["description": code == "201" ? "Created" : code == "202" ? "Accepted" : "OK",
                               "content": ["application/json": ["schema": response], "application/yaml": ["schema": response],
                                           "application/vnd.kubernetes.protobuf": ["schema": response]]]
        }
        var result: JSONValue = [
            "tags": [.string(tag)], "operationId": .string(id), "responses": .object(responses),
            "x-kubernetes-action": .string(action), "x-kubernetes-group-version-kind": gvk,
        ]
        if !parameters.isEmpty { result["parameters"] = .array(parameters) }
        if let body { result["requestBody"] = ["content": ["*/*": ["schema": body]], "required": .bool(action != "delete" && action != "deletecollection")] }
        return result
    }

    private func patchOperation(_ id: String, response: JSONValue) -> JSONValue {
        var result = operation(id, action: "patch", response: response, parameters: writeParameters + [queryParameter("force", "boolean")],
                               codes: ["200", "201"])
        var content: [String: JSONValue] = [:]
        for type in resource.patchTypes { content[type] = ["schema": ref("io.k8s.apimachinery.pkg.apis.meta.v1.Patch")] }
        result["requestBody"] = ["content": .object(content), "required": true]
        return result
    }

    private var writeParameters: [JSONValue] {
        [queryParameter("dryRun", "string"), queryParameter("fieldManager", "string"), queryParameter("fieldValidation", "string")]
    }

    private var deleteParameters: [JSONValue] {
        [queryParameter("dryRun", "string"), queryParameter("gracePeriodSeconds", "integer"),
         queryParameter("ignoreStoreReadErrorWithClusterBreakingPotential", "boolean"),
         queryParameter("orphanDependents", "boolean"), queryParameter("propagationPolicy", "string")]
    }

    private var listParameters: [JSONValue] {
        [queryParameter("allowWatchBookmarks", "boolean"), queryParameter("continue", "string"), queryParameter("fieldSelector", "string"),
         queryParameter("labelSelector", "string"), queryParameter("limit", "integer"), queryParameter("resourceVersion", "string"),
         queryParameter("resourceVersionMatch", "string"), queryParameter("sendInitialEvents", "boolean"),
         queryParameter("timeoutSeconds", "integer"), queryParameter("watch", "boolean")]
    }

    private func queryParameter(_ name: String, _ type: String) -> JSONValue {
        ["name": .string(name), "in": "query", "schema": ["type": .string(type), "uniqueItems": true]]
    }

    private func pathParameter(_ name: String) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "schema": ["type": "string", "uniqueItems": true]]
    }
}
