/// Options of a delete (`metav1.DeleteOptions`): the client sends them as the request body, the
/// server reads them from the query and the body.
public struct DeleteOptions: Sendable, Hashable {
    /// What happens to the dependents of the deleted object.
    public struct PropagationPolicy: RawRepresentable, Sendable, Hashable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Dependents are left without this owner.
        public static let orphan = PropagationPolicy(rawValue: "Orphan")
        /// The object goes now, the garbage collector deletes dependents afterwards.
        public static let background = PropagationPolicy(rawValue: "Background")
        /// The object stays (with a finalizer) until its blocking dependents are gone.
        public static let foreground = PropagationPolicy(rawValue: "Foreground")
    }

    /// Conditions the object must meet to be deleted; otherwise the delete is a `409 Conflict`.
    public struct Preconditions: Sendable, Hashable {
        public var uid: String?
        public var resourceVersion: String?

        public init(uid: String? = nil, resourceVersion: String? = nil) {
            self.uid = uid
            self.resourceVersion = resourceVersion
        }
    }

    public var propagationPolicy: PropagationPolicy?
    public var preconditions: Preconditions?
    /// Seconds the object has to terminate; 0 deletes at once.
    public var gracePeriodSeconds: Int64?
    /// The deprecated form of the `Orphan` policy; not to be set together with `propagationPolicy`.
    public var orphanDependents: Bool?
    public var dryRun = false

    public init(
        propagationPolicy: PropagationPolicy? = nil, preconditions: Preconditions? = nil,
        gracePeriodSeconds: Int64? = nil, orphanDependents: Bool? = nil, dryRun: Bool = false
    ) {
        self.propagationPolicy = propagationPolicy
        self.preconditions = preconditions
        self.gracePeriodSeconds = gracePeriodSeconds
        self.orphanDependents = orphanDependents
        self.dryRun = dryRun
    }

    /// The `DeleteOptions` object sent as the body.
    public var body: JSONValue {
        var body: JSONValue = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let propagationPolicy { body["propagationPolicy"] = .string(propagationPolicy.rawValue) }
        if let gracePeriodSeconds { body["gracePeriodSeconds"] = .int(gracePeriodSeconds) }
        if let orphanDependents { body["orphanDependents"] = .bool(orphanDependents) }
        if dryRun { body["dryRun"] = ["All"] }
        if let preconditions {
            var conditions: JSONValue = .emptyObject
            if let uid = preconditions.uid { conditions["uid"] = .string(uid) }
            if let version = preconditions.resourceVersion { conditions["resourceVersion"] = .string(version) }
            body["preconditions"] = conditions
        }
        return body
    }

    /// The options a request's query asks for; invalid ones are a `400` or `422`, as upstream.
    public init(query: QueryParameters) throws(APIError) {
        self.init()
        gracePeriodSeconds = try query.int("gracePeriodSeconds")
        propagationPolicy = query["propagationPolicy"].map(PropagationPolicy.init(rawValue:))
        orphanDependents = try query.bool("orphanDependents")
        dryRun = try DryRun.decode(query)
        try validate()
    }

    /// These options with those of a request body (a `DeleteOptions` object) laid over them.
    public func merging(body: JSONValue) throws(APIError) -> DeleteOptions {
        if let kind = body.kind, !kind.isEmpty, kind != "DeleteOptions" {
            throw APIError.badRequest("the kind in the data (\(kind)) does not match the expected kind (DeleteOptions)")
        }
        var options = self
        if let grace = body["gracePeriodSeconds"]?.intValue { options.gracePeriodSeconds = grace }
        if let policy = body["propagationPolicy"]?.stringValue { options.propagationPolicy = PropagationPolicy(rawValue: policy) }
        if let orphan = body["orphanDependents"]?.boolValue { options.orphanDependents = orphan }
        if let uid = body[path: "preconditions", "uid"]?.stringValue { options.preconditions = Preconditions(uid: uid, resourceVersion: options.preconditions?.resourceVersion) }
        if let version = body[path: "preconditions", "resourceVersion"]?.stringValue {
            options.preconditions = Preconditions(uid: options.preconditions?.uid, resourceVersion: version)
        }
        if let dryRun = body["dryRun"]?.arrayValue, dryRun.contains("All") { options.dryRun = true }
        try options.validate()
        return options
    }

    private func validate() throws(APIError) {
        if let policy = propagationPolicy, ![.orphan, .background, .foreground].contains(policy) {
            throw APIError(code: 422, reason: .invalid,
                message: "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"\(policy.rawValue)\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")
        }
        if propagationPolicy != nil, orphanDependents != nil {
            throw APIError(code: 422, reason: .invalid,
                message: "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: \"\(propagationPolicy?.rawValue ?? "")\": orphanDependents and deletionPropagation cannot be both set")
        }
        if let grace = gracePeriodSeconds, grace < 0 {
            throw APIError.badRequest("gracePeriodSeconds must be non-negative")
        }
    }
}
