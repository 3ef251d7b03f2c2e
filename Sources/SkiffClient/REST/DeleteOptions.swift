import SkiffAPI

/// Options of a delete (`metav1.DeleteOptions`), sent as the request body.
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
    public var gracePeriodSeconds: Int?
    public var dryRun = false

    public init(
        propagationPolicy: PropagationPolicy? = nil, preconditions: Preconditions? = nil,
        gracePeriodSeconds: Int? = nil, dryRun: Bool = false
    ) {
        self.propagationPolicy = propagationPolicy
        self.preconditions = preconditions
        self.gracePeriodSeconds = gracePeriodSeconds
        self.dryRun = dryRun
    }

    /// The `DeleteOptions` object sent as the body.
    public var body: JSONValue {
        var body: JSONValue = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let propagationPolicy { body["propagationPolicy"] = .string(propagationPolicy.rawValue) }
        if let gracePeriodSeconds { body["gracePeriodSeconds"] = .int(Int64(gracePeriodSeconds)) }
        if dryRun { body["dryRun"] = ["All"] }
        if let preconditions {
            var conditions: JSONValue = .emptyObject
            if let uid = preconditions.uid { conditions["uid"] = .string(uid) }
            if let version = preconditions.resourceVersion { conditions["resourceVersion"] = .string(version) }
            body["preconditions"] = conditions
        }
        return body
    }
}
