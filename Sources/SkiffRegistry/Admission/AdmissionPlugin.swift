/// An admission plugin: a check or a change every write of the resources it cares about goes
/// through, between the handler and storage (upstream's `admission.Interface`).
public protocol AdmissionPlugin: Sendable {
    /// The plugin's name, as `--enable-admission-plugins` spells it (`NamespaceLifecycle`).
    var name: String { get }

    /// Whether the plugin looks at writes of this kind at all.
    func handles(_ operation: AdmissionAttributes.Operation) -> Bool
}

/// A plugin that may change the object before it is defaulted and validated (upstream's
/// `admission.MutationInterface`). Throwing refuses the write: an `APIError` is answered as it is,
/// any other error as `403 Forbidden` naming the object.
public protocol MutatingAdmissionPlugin: AdmissionPlugin {
    func admit(_ attributes: inout AdmissionAttributes) async throws
}

/// A plugin that accepts or refuses the object as it will be stored, after the kind's defaulting
/// and validation (upstream's `admission.ValidationInterface`). Errors as for mutating plugins.
public protocol ValidatingAdmissionPlugin: AdmissionPlugin {
    func validate(_ attributes: AdmissionAttributes) async throws
}

extension AdmissionPlugin {
    /// By default a plugin looks at every operation.
    public func handles(_ operation: AdmissionAttributes.Operation) -> Bool { true }
}
