import SkiffAPI

/// A custom resource declared as a Swift type: the names its CustomResourceDefinition serves it
/// under, and its `spec` and `status` (kubebuilder's `+kubebuilder:resource` markers, as
/// protocol requirements). The OpenAPI v3 schema of the CRD is derived from `Spec` and `Status`
/// (see `OpenAPISchemaInference`), so no YAML is written by hand.
///
/// The type is a `KubernetesObject`, so every typed piece of `SkiffClient` works on it: typed
/// clients (`client.resource(TrainingJob.self, namespace:)`), informers, listers, the controller
/// runtime. `apiVersion` and `kind` need no stored properties: the typed codec writes them.
public protocol CustomResource: KubernetesObject {
    /// What the user asks for.
    associatedtype Spec: Codable & Sendable & Equatable
    /// What the controller observed; written through the `status` subresource.
    associatedtype Status: Codable & Sendable & Equatable

    /// The API group (`ml.example.com`).
    static var group: String { get }
    /// The served and stored version (`v1`).
    static var version: String { get }
    /// The kind (`TrainingJob`).
    static var kind: String { get }
    /// The resource name in URLs (`trainingjobs`).
    static var plural: String { get }
    /// The singular name; the lowercased kind by default.
    static var singular: String { get }
    /// Short names for kubectl (`tj`); none by default.
    static var shortNames: [String] { get }
    /// Categories (`all`); none by default.
    static var categories: [String] { get }
    /// Namespaced (the default) or cluster-wide.
    static var scope: ResourceScope { get }
    /// Extra `kubectl get` columns; none by default (kubectl then shows `Age`).
    static var printerColumns: [PrinterColumn] { get }
    /// The `scale` subresource's paths, when the resource scales; none by default.
    static var scaleSubresource: ScaleSubresource? { get }

    var spec: Spec { get set }
    var status: Status? { get set }
}

extension CustomResource {
    public static var singular: String { kind.lowercased() }
    public static var shortNames: [String] { [] }
    public static var categories: [String] { [] }
    public static var scope: ResourceScope { .namespaced }
    public static var printerColumns: [PrinterColumn] { [] }
    public static var scaleSubresource: ScaleSubresource? { nil }

    public static var groupVersionKind: GroupVersionKind { GroupVersionKind(group: group, version: version, kind: kind) }
    public static var resource: String { plural }
    public static var isNamespaced: Bool { scope == .namespaced }
    /// The CustomResourceDefinition's name: `<plural>.<group>`.
    public static var definitionName: String { "\(plural).\(group)" }
}

/// Where a custom resource's objects live.
public enum ResourceScope: String, Sendable {
    case namespaced = "Namespaced"
    case cluster = "Cluster"
}

/// One `additionalPrinterColumns` entry.
public struct PrinterColumn: Sendable, Equatable {
    /// The column's header.
    public var name: String
    /// `string`, `integer`, `number`, `boolean` or `date`.
    public var type: String
    /// A JSONPath into the object (`.status.phase`).
    public var jsonPath: String
    public var description: String?
    /// 0 shows in `kubectl get`; higher only with `-o wide`.
    public var priority: Int

    public init(name: String, type: String, jsonPath: String, description: String? = nil, priority: Int = 0) {
        self.name = name
        self.type = type
        self.jsonPath = jsonPath
        self.description = description
        self.priority = priority
    }
}

/// The `scale` subresource's paths (`kubectl scale`, autoscalers).
public struct ScaleSubresource: Sendable, Equatable {
    public var specReplicasPath: String
    public var statusReplicasPath: String
    /// Where a label selector string for the scaled pods lives in the object, if anywhere.
    public var labelSelectorPath: String?

    public init(specReplicasPath: String, statusReplicasPath: String, labelSelectorPath: String? = nil) {
        self.specReplicasPath = specReplicasPath
        self.statusReplicasPath = statusReplicasPath
        self.labelSelectorPath = labelSelectorPath
    }
}
