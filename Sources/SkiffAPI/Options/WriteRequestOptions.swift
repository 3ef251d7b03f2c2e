/// The options creates, updates and patches share (`dryRun`, `fieldManager`, `fieldValidation`),
/// with their query encoding and decoding written once.
public protocol WriteRequestOptions: QueryOptions {
    /// Validate and default, but persist nothing (`dryRun=All`).
    var dryRun: Bool { get set }
    /// The actor the change is recorded under in `managedFields`.
    var fieldManager: String? { get set }
    /// How unknown fields are treated; nil leaves it to the server (`Warn`).
    var fieldValidation: FieldValidation? { get set }
    /// Options with nothing set.
    init()
}

extension WriteRequestOptions {
    /// Options with the given values.
    public init(dryRun: Bool = false, fieldManager: String? = nil, fieldValidation: FieldValidation? = nil) {
        self.init()
        (self.dryRun, self.fieldManager, self.fieldValidation) = (dryRun, fieldManager, fieldValidation)
    }

    /// The options a request's query asks for.
    public init(query: QueryParameters) throws(APIError) {
        self.init()
        try decodeWriteParameters(query)
    }

    public var queryItems: [QueryItem] { writeParameterItems }

    /// The shared parameters as query items.
    var writeParameterItems: [QueryItem] {
        var items: [QueryItem] = []
        if dryRun { items.append(QueryItem("dryRun", "All")) }
        if let fieldManager, !fieldManager.isEmpty { items.append(QueryItem("fieldManager", fieldManager)) }
        if let fieldValidation { items.append(QueryItem("fieldValidation", fieldValidation.rawValue)) }
        return items
    }

    mutating func decodeWriteParameters(_ query: QueryParameters) throws(APIError) {
        fieldValidation = query["fieldValidation"] == nil ? nil : try FieldValidation(query: query)
        dryRun = try DryRun.decode(query)
        fieldManager = query["fieldManager"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Options of a create (`metav1.CreateOptions`).
public struct CreateOptions: WriteRequestOptions, Hashable {
    public var dryRun = false
    public var fieldManager: String?
    public var fieldValidation: FieldValidation?
    public init() {}
}

/// Options of an update (`metav1.UpdateOptions`).
public struct UpdateOptions: WriteRequestOptions, Hashable {
    public var dryRun = false
    public var fieldManager: String?
    public var fieldValidation: FieldValidation?
    public init() {}
}

/// Options of a patch (`metav1.PatchOptions`).
public struct PatchOptions: WriteRequestOptions, Hashable {
    public var dryRun = false
    /// Required for server-side apply.
    public var fieldManager: String?
    /// Apply only: take over fields other managers own instead of failing with a conflict.
    public var force = false
    public var fieldValidation: FieldValidation?

    public init() {}

    public init(dryRun: Bool = false, fieldManager: String? = nil, force: Bool = false, fieldValidation: FieldValidation? = nil) {
        (self.dryRun, self.fieldManager, self.force, self.fieldValidation) = (dryRun, fieldManager, force, fieldValidation)
    }

    /// The options a request's query asks for.
    public init(query: QueryParameters) throws(APIError) {
        self.init()
        force = try query.bool("force") ?? false
        try decodeWriteParameters(query)
    }

    public var queryItems: [QueryItem] {
        var items = writeParameterItems
        if force { items.append(QueryItem("force", "true")) }
        return items
    }
}

/// The `dryRun` parameter: only `All` is defined.
enum DryRun {
    static func decode(_ query: QueryParameters) throws(APIError) -> Bool {
        guard let value = query["dryRun"], !value.isEmpty else { return false }
        guard value == "All" else {
            throw APIError.badRequest("Invalid dry run value: dryRun: Unsupported value: \"\(value)\": supported values: \"All\"")
        }
        return true
    }
}
