import SkiffAPI

/// The behaviour of one kind inside the generic store: defaulting, validation, what each
/// subresource may change, deletion rules, selectable fields and table columns. Every method has
/// a default, so a kind implements only what differs from the generic behaviour.
public protocol ResourceStrategy: Sendable {
    /// Whether `metadata.generation` is set on create and bumped when the spec changes.
    var tracksGeneration: Bool { get }

    /// The rule for `metadata.name`.
    var nameRule: NameValidation.Rule { get }

    /// Fills in defaults (called on every create and update, before validation).
    func applyDefaults(to object: inout JSONValue)

    /// Resets what a create may not set (e.g. `status` when the kind has a status subresource).
    func prepareForCreate(_ object: inout JSONValue)

    /// Resets what an update of the main resource may not change (e.g. keeps the old `status`).
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue)

    /// Validates a new object (metadata is validated by the store).
    func validate(_ object: JSONValue) -> [FieldError]

    /// Validates the new state of an updated object as `validate` does a new one; custom
    /// resources ratchet (errors of fields unchanged from `old` are dropped).
    func validateForUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError]

    /// Validates an update (immutable fields and the like), in addition to `validateForUpdate`.
    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError]

    /// Whether `validateUpdate` also runs for subresource writes (a custom resource's transition
    /// rules hold for status writes too); built-in kinds' update rules are the main resource's.
    var validatesSubresourceUpdates: Bool { get }

    /// Runs after validation, before validating admission and storage: allocations (a service's
    /// cluster IP), create-only checks.
    func beforeCreate(_ object: inout JSONValue, context: StrategyContext) async throws(APIError)

    /// Runs once an object is gone from storage, or its create failed after `beforeCreate`:
    /// releases what `beforeCreate` allocated.
    func afterDelete(_ object: JSONValue, context: StrategyContext) async

    /// Runs once an update is stored: settles what the update changed of what `beforeCreate`
    /// allocated (values the object no longer holds, values it now holds).
    func afterUpdate(_ object: JSONValue, old: JSONValue) async

    /// The grace period a delete gets when the request does not say (`nil`: delete at once).
    func defaultGracePeriod(for object: JSONValue) -> Int64?

    /// Marks an object whose deletion has started (e.g. a namespace's phase becomes `Terminating`).
    func prepareForDeletion(_ object: inout JSONValue)

    /// Whether something other than `metadata.finalizers` still holds a deleted object (a
    /// namespace's `spec.finalizers`).
    func deletionHeld(_ object: JSONValue) -> Bool

    /// The fields a field selector may use besides `metadata.name` and `metadata.namespace`.
    var selectableFields: [String] { get }

    /// The values of `selectableFields` for an object.
    func fieldValues(of object: JSONValue) -> [String: String]

    /// The table columns, in order (including `Name` and usually `Age`).
    var tableColumns: [TableColumn] { get }

    /// One table row's cells for the columns, for an object at time `now`.
    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue]

    /// Where the scale subresource reads and writes replicas, for kinds that have one.
    var scalePaths: ScalePaths? { get }

    /// Whether a delete answers with the deleted object (pods, as upstream) rather than a `Status`.
    var returnsDeletedObject: Bool { get }

    /// The stored form of an object, for a resource whose storage holds another version's form.
    func toStorage(_ object: JSONValue) -> JSONValue

    /// The served form of a stored object.
    func fromStorage(_ object: JSONValue) -> JSONValue

    /// The stored form of an object as the store writes it, where converting may call out (a
    /// CRD's conversion webhook); a failure is the error the client gets. By default `toStorage`.
    func convertToStorage(_ object: JSONValue) async throws(APIError) -> JSONValue

    /// The served form of a stored object as the store and the watch cache read it, where
    /// converting may call out; by default `fromStorage`.
    func convertFromStorage(_ object: JSONValue) async throws(APIError) -> JSONValue

    /// How fields merge under server-side apply, for kinds whose schema is not built in (custom
    /// resources); nil: the built-in definition's.
    var structuralSchema: (any StructuralSchema)? { get }

    /// An incoming body decoded against a schema the strategy owns (custom resources): unknown
    /// fields removed and named for field validation; nil: the built-in definition decodes it.
    func decodeIncoming(_ object: JSONValue) -> PrunedObject?

    /// The OpenAPI definitions of a kind whose schema is not built in (the kind's and its list's),
    /// by definition name, for the published OpenAPI documents.
    var openAPIDefinitions: [String: JSONValue] { get }
}

/// A body without the fields its schema does not know, and their paths (`spec.unknown`).
public struct PrunedObject: Sendable {
    public var object: JSONValue
    public var unknownFields: [String]

    public init(object: JSONValue, unknownFields: [String]) {
        self.object = object
        self.unknownFields = unknownFields
    }
}

/// What a strategy learns about a write besides the object. Strategies never reach other
/// resources: what they share (a service's IP range) lives in storage of its own.
public struct StrategyContext: Sendable {
    /// `dryRun=All`: nothing may be kept (no allocation written).
    public var dryRun: Bool
    /// Who writes, when known (a CertificateSigningRequest records its requester).
    public var user: UserInfo?

    public init(dryRun: Bool, user: UserInfo? = nil) {
        self.dryRun = dryRun
        self.user = user
    }
}

/// Where a kind keeps what the `scale` subresource shows.
public struct ScalePaths: Sendable, Hashable {
    public var specReplicas: [String] = ["spec", "replicas"]
    public var statusReplicas: [String] = ["status", "replicas"]
    /// The label selector (`metav1.LabelSelector`) turned into `status.selector`.
    public var labelSelector: [String] = ["spec", "selector"]
    /// Whether the selector is a plain label map (a replication controller's) rather than a
    /// `metav1.LabelSelector`.
    public var selectorIsLabelMap = false

    public init() {}
}

extension ResourceStrategy {
    public var tracksGeneration: Bool { false }
    public var nameRule: NameValidation.Rule { .dns1123Subdomain }
    public func applyDefaults(to object: inout JSONValue) {}
    public func prepareForCreate(_ object: inout JSONValue) {}
    public func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) {}
    public func validate(_ object: JSONValue) -> [FieldError] { [] }
    public func validateForUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] { validate(object) }
    public func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] { [] }
    public var validatesSubresourceUpdates: Bool { false }
    public func beforeCreate(_ object: inout JSONValue, context: StrategyContext) async throws(APIError) {}
    public func afterDelete(_ object: JSONValue, context: StrategyContext) async {}
    public func afterUpdate(_ object: JSONValue, old: JSONValue) async {}
    public func defaultGracePeriod(for object: JSONValue) -> Int64? { nil }
    public func prepareForDeletion(_ object: inout JSONValue) {}
    public func deletionHeld(_ object: JSONValue) -> Bool { false }
    public var selectableFields: [String] { [] }
    public func fieldValues(of object: JSONValue) -> [String: String] { [:] }
    public var tableColumns: [TableColumn] { [.name, .age] }
    public func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .string(Age.since(object, now: now))]
    }
    public var scalePaths: ScalePaths? { nil }
    public var returnsDeletedObject: Bool { false }
    public func toStorage(_ object: JSONValue) -> JSONValue { object }
    public func fromStorage(_ object: JSONValue) -> JSONValue { object }
    public func convertToStorage(_ object: JSONValue) async throws(APIError) -> JSONValue { toStorage(object) }
    public func convertFromStorage(_ object: JSONValue) async throws(APIError) -> JSONValue { fromStorage(object) }
    public var structuralSchema: (any StructuralSchema)? { nil }
    public func decodeIncoming(_ object: JSONValue) -> PrunedObject? { nil }
    public var openAPIDefinitions: [String: JSONValue] { [:] }
}

/// A strategy for kinds with spec/status that need nothing special: status is reset on create and
/// kept on update of the main resource, and the generation follows the spec.
public struct StatusSubresourceStrategy: ResourceStrategy {
    public init() {}
    public var tracksGeneration: Bool { true }
    public func prepareForCreate(_ object: inout JSONValue) { object["status"] = nil }
    public func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }
}

/// The strategy of kinds with no special behaviour at all.
public struct DefaultStrategy: ResourceStrategy {
    public init() {}
}
