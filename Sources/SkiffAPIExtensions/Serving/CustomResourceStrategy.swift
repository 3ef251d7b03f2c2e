import SkiffAPI
import SkiffRegistry
import SkiffSchemas

/// The strategy of one served version of a custom resource, driven by its CRD: schema defaulting
/// (on write and on read), pruning, validation and CEL rules, the status and scale subresources,
/// printer columns, selectable fields, and the conversion to and from the storage version (`None`:
/// the `apiVersion` rewritten; `Webhook`: the CRD's conversion webhook called).
public struct CustomResourceStrategy: ResourceStrategy {
    /// What the strategy is built from: one version of a CRD.
    public struct Version: Sendable {
        public var group: String
        public var kind: String
        public var name: String
        public var storageVersion: String
        public var schema: CustomResourceSchema
        public var rules: ValidationRuleTree
        public var hasStatus: Bool
        public var scale: ScalePaths?
        public var columns: [PrinterColumn]
        public var selectableFields: [String]
        /// The CRD is being deleted: creates are refused.
        public var terminating: Bool
        /// The conversion webhook, for `spec.conversion.strategy: Webhook`; nil: `None`.
        public var webhookConversion: WebhookConversion?
    }

    let version: Version
    let validator: SchemaValidator
    let pruner: SchemaPruner
    let defaulter: SchemaDefaulter
    let compiledSchema: CompiledSchema?
    public let openAPIDefinitions: [String: JSONValue]
    /// `apiVersion` of the served version and of the storage version (every read and write sets one).
    let servedAPIVersion: String
    let storageAPIVersion: String

    public init(_ version: Version) {
        self.version = version
        validator = SchemaValidator(root: version.schema)
        pruner = SchemaPruner(root: version.schema)
        defaulter = SchemaDefaulter(root: version.schema)
        compiledSchema = CompiledSchema.compile(definition: "root", definitions: ["root": version.schema.json])
        openAPIDefinitions = CustomResourceOpenAPI.definitions(group: version.group, version: version.name, kind: version.kind,
                                                               schema: version.schema.json)
        servedAPIVersion = GroupVersion(group: version.group, version: version.name).apiVersion
        storageAPIVersion = GroupVersion(group: version.group, version: version.storageVersion).apiVersion
    }

    public var tracksGeneration: Bool { true }

    public func prepareForCreate(_ object: inout JSONValue) {
        if version.hasStatus { object["status"] = nil }
    }

    public func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) {
        if version.hasStatus { object["status"] = old["status"] }
    }

    public func applyDefaults(to object: inout JSONValue) {
        object = pruner.prune(object).object
        defaulter.apply(to: &object)
    }

    public func validate(_ object: JSONValue) -> [FieldError] {
        validator.validate(object) + version.rules.validate(object, old: nil)
    }

    /// Upstream's validation ratcheting: an error on a field whose value is unchanged from the old
    /// object is dropped, so a tightened schema does not block updates of other fields.
    public func validateForUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        validate(object).filter { !Ratcheting.unchanged(at: $0.field, in: object, old: old) }
    }

    public func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        version.rules.validate(object, old: old)
    }

    public var validatesSubresourceUpdates: Bool { true }

    public func beforeCreate(_ object: inout JSONValue, context: StrategyContext) throws(APIError) {
        if version.terminating {
            throw APIError.methodNotAllowed("create not allowed while custom resource definition is terminating")
        }
    }

    public var selectableFields: [String] { version.selectableFields }

    public func fieldValues(of object: JSONValue) -> [String: String] {
        var values: [String: String] = [:]
        for field in version.selectableFields {
            guard let value = object[path: field.split(separator: ".").map(String.init)[...]] else { continue }
            values[field] = value.stringValue ?? value.serializedString()
        }
        return values
    }

    public var tableColumns: [TableColumn] { [.name] + version.columns.map(\.column) }

    public func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? "")] + version.columns.map { $0.cell(for: object, now: now) }
    }

    public var scalePaths: ScalePaths? { version.scale }

    public var structuralSchema: (any StructuralSchema)? { compiledSchema }

    public func decodeIncoming(_ object: JSONValue) -> PrunedObject? {
        let (pruned, unknown) = pruner.prune(object)
        return PrunedObject(object: pruned, unknownFields: unknown)
    }

    public func toStorage(_ object: JSONValue) -> JSONValue {
        var stored = object
        // Set only when it differs: setting copies the object's members.
        if stored.apiVersion != storageAPIVersion { stored.apiVersion = storageAPIVersion }
        return stored
    }

    public func fromStorage(_ object: JSONValue) -> JSONValue {
        var served = object
        if served.apiVersion != servedAPIVersion { served.apiVersion = servedAPIVersion }
        defaulter.apply(to: &served)
        return served
    }

    public func convertToStorage(_ object: JSONValue) async throws(APIError) -> JSONValue {
        guard let webhook = version.webhookConversion else { return toStorage(object) }
        return try await webhook.converter.convert(object, to: storageAPIVersion, clientConfig: webhook.clientConfig)
    }

    public func convertFromStorage(_ object: JSONValue) async throws(APIError) -> JSONValue {
        guard let webhook = version.webhookConversion else { return fromStorage(object) }
        var converted = try await webhook.converter.convert(object, to: servedAPIVersion, clientConfig: webhook.clientConfig)
        defaulter.apply(to: &converted)
        return converted
    }
}
