import SkiffAPI
import SkiffRegistry

/// The registry entries of an established CRD: one `ResourceInfo` + `CustomResourceStrategy` per
/// served version, named by the CRD's accepted names.
public enum CustomResourceEntries {
    /// The entries to serve for `crd`; empty when it has no accepted plural or kind. A CRD with
    /// the `Webhook` conversion strategy converts through `converter`.
    public static func entries(for crd: JSONValue, converter: (any CustomResourceConverter)? = nil) -> [Registry.Entry] {
        let spec = crd["spec"] ?? .emptyObject
        let names = crd[path: "status", "acceptedNames"] ?? .emptyObject
        let group = spec["group"]?.stringValue ?? ""
        let plural = names["plural"]?.stringValue ?? ""
        let kind = names["kind"]?.stringValue ?? ""
        guard !plural.isEmpty, !kind.isEmpty else { return [] }
        let versions = spec["versions"]?.arrayValue ?? []
        let storageVersion = versions.first { $0["storage"]?.boolValue == true }?["name"]?.stringValue ?? ""
        let terminating = crd.deletionTimestamp != nil
        var webhookConversion: WebhookConversion?
        if spec[path: "conversion", "strategy"]?.stringValue == "Webhook", let converter {
            webhookConversion = WebhookConversion(
                converter: converter, clientConfig: spec[path: "conversion", "webhook", "clientConfig"] ?? .emptyObject)
        }
        return versions.filter { $0["served"]?.boolValue == true }.map { version in
            let name = version["name"]?.stringValue ?? ""
            let hasStatus = version[path: "subresources", "status"] != nil
            let scale = version[path: "subresources", "scale"].map(scalePaths)
            var subresources: Set<ResourceInfo.Subresource> = []
            if hasStatus { subresources.insert(.status) }
            if scale != nil { subresources.insert(.scale) }
            let info = ResourceInfo(
                group: group, version: name, kind: kind, plural: plural, singular: names["singular"]?.stringValue,
                shortNames: strings(names["shortNames"]), categories: strings(names["categories"]),
                namespaced: spec["scope"]?.stringValue == "Namespaced", subresources: subresources,
                definitionName: CustomResourceOpenAPI.definitionName(group: group, version: name, kind: kind))
            var columns = (version["additionalPrinterColumns"]?.arrayValue ?? []).map(PrinterColumn.init(json:))
            if columns.isEmpty { columns = [PrinterColumn.age] }
            let schema = CustomResourceSchema(version[path: "schema", "openAPIV3Schema"] ?? ["type": "object"])
            let strategy = CustomResourceStrategy(.init(
                group: group, kind: kind, name: name, storageVersion: storageVersion, schema: schema,
                rules: ValidationRuleTree(schema: schema), hasStatus: hasStatus, scale: scale,
                columns: columns,
                selectableFields: (version["selectableFields"]?.arrayValue ?? []).compactMap { field in
                    field["jsonPath"]?.stringValue.map { String($0.drop { $0 == "." }) }
                },
                terminating: terminating, webhookConversion: webhookConversion))
            return Registry.Entry(info: info, strategy: strategy)
        }
    }

    private static func scalePaths(_ scale: JSONValue) -> ScalePaths {
        var paths = ScalePaths()
        paths.specReplicas = fields(scale["specReplicasPath"]) ?? ["spec", "replicas"]
        paths.statusReplicas = fields(scale["statusReplicasPath"]) ?? ["status", "replicas"]
        paths.labelSelector = fields(scale["labelSelectorPath"]) ?? []
        return paths
    }

    private static func fields(_ path: JSONValue?) -> [String]? {
        path?.stringValue.flatMap { SimpleJSONPath($0).fields }
    }

    private static func strings(_ value: JSONValue?) -> [String] {
        (value?.arrayValue ?? []).compactMap(\.stringValue)
    }
}
