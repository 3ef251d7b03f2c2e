import SkiffModels

/// Which Ingresses a controller serves: those whose `spec.ingressClassName` is its class;
/// those without one that carry the deprecated annotation `kubernetes.io/ingress.class` with
/// its class; and those with neither when its class is the cluster's default (annotation
/// `ingressclass.kubernetes.io/is-default-class: "true"`).
struct IngressClassMembership: Sendable {
    static let classAnnotation = "kubernetes.io/ingress.class"
    static let defaultClassAnnotation = "ingressclass.kubernetes.io/is-default-class"

    var className: String
    /// Whether the class is the default one.
    var isDefault: Bool

    /// The membership of `className` among `classes` (the cluster's IngressClasses).
    init(className: String, classes: [NetworkingV1.IngressClass]) {
        self.className = className
        self.isDefault = classes.contains { $0.name == className && Self.isDefault($0) }
    }

    /// Whether the controller serves `ingress`.
    func serves(_ ingress: NetworkingV1.Ingress) -> Bool {
        if let name = ingress.spec?.ingressClassName { return name == className }
        if let annotated = ingress.metadata?.annotations?[Self.classAnnotation] { return annotated == className }
        return isDefault
    }

    /// Whether `ingressClass` is marked as the default.
    static func isDefault(_ ingressClass: NetworkingV1.IngressClass) -> Bool {
        ingressClass.metadata?.annotations?[defaultClassAnnotation] == "true"
    }
}
