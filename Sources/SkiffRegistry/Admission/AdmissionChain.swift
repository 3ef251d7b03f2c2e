import SkiffAPI

/// The admission plugins a server runs, in order: every mutating plugin, then (once the kind's
/// strategy has defaulted and validated the result) every validating plugin. The first refusal
/// ends the write.
public struct AdmissionChain: Sendable {
    public var mutating: [any MutatingAdmissionPlugin]
    public var validating: [any ValidatingAdmissionPlugin]

    public init(mutating: [any MutatingAdmissionPlugin] = [], validating: [any ValidatingAdmissionPlugin] = []) {
        self.mutating = mutating
        self.validating = validating
    }

    /// No plugins.
    public static let empty = AdmissionChain()

    /// Runs the mutating plugins that handle the operation; `attributes.object` carries their changes.
    public func admit(_ attributes: inout AdmissionAttributes) async throws(APIError) {
        for plugin in mutating where plugin.handles(attributes.operation) {
            do { try await plugin.admit(&attributes) } catch { throw Self.refusal(error, attributes) }
        }
    }

    /// Runs the validating plugins that handle the operation.
    public func validate(_ attributes: AdmissionAttributes) async throws(APIError) {
        for plugin in validating where plugin.handles(attributes.operation) {
            do { try await plugin.validate(attributes) } catch { throw Self.refusal(error, attributes) }
        }
    }

    /// A plugin's error as the client sees it: its own `Status`, or `403 Forbidden` naming the
    /// object (upstream's `admission.NewForbidden`).
    static func refusal(_ error: any Error, _ attributes: AdmissionAttributes) -> APIError {
        if let error = error as? APIError { return error }
        let resource = GroupResource(group: attributes.resource.group, resource: attributes.resource.resource)
        let name = attributes.nameForErrors
        return .forbidden("\(resource) \"\(name)\" is forbidden: \(error)", resource: resource, name: name)
    }
}

/// The admission a write goes through: the server's chain and who asks. Writes the server makes
/// itself at start (the bootstrap namespaces and service) skip it.
public struct AdmissionContext: Sendable {
    public var chain: AdmissionChain
    public var userInfo: UserInfo
    /// Where plugins' warnings for the client go; nil drops them.
    public var warnings: AdmissionWarnings?
    /// Where plugins' audit annotations go; nil drops them.
    public var auditAnnotations: AdmissionAuditAnnotations?

    public init(chain: AdmissionChain, userInfo: UserInfo, warnings: AdmissionWarnings? = nil,
                auditAnnotations: AdmissionAuditAnnotations? = nil) {
        self.chain = chain
        self.userInfo = userInfo
        self.warnings = warnings
        self.auditAnnotations = auditAnnotations
    }

    /// No admission: for the server's own writes and for tests of the store alone.
    public static let skipped = AdmissionContext(chain: .empty, userInfo: UserInfo(name: ""))
}
