import ServiceLifecycle

/// One controller a `ControllerManager` can run (kube-controller-manager's
/// `ControllerDescriptor`): its canonical name, the older names `--controllers` still accepts,
/// whether `*` leaves it off, and how to make it from the shared context.
public struct ControllerDescriptor: Sendable {
    /// The canonical name (upstream's, e.g. `replicaset-controller`).
    public let name: String
    /// Older names accepted for it (e.g. `replicaset`).
    public let aliases: [String]
    /// Whether `*` leaves this controller off (it then runs only when named).
    public let isDisabledByDefault: Bool
    /// The service account in `kube-system` the controller acts as when the manager uses service
    /// account credentials (upstream's, e.g. `replicaset-controller`); nil: the manager's own.
    public let serviceAccount: String?
    /// Makes the controller, a `Service` the manager runs; nil when the configuration lacks what
    /// it needs (the CSR signer without a CA), and the manager then skips it, as upstream does.
    let make: @Sendable (ControllerContext, ControllerManager.Configuration) -> (any Service)?

    /// A controller named `name` (also known as `aliases`), acting as `serviceAccount`, made by `make`.
    public init(
        name: String, aliases: [String] = [], isDisabledByDefault: Bool = false, serviceAccount: String? = nil,
        make: @escaping @Sendable (ControllerContext, ControllerManager.Configuration) -> (any Service)?
    ) {
        self.name = name
        self.aliases = aliases
        self.isDisabledByDefault = isDisabledByDefault
        self.serviceAccount = serviceAccount
        self.make = make
    }
}
