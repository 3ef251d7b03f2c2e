import SkiffAPI

extension NamespaceStrategy {
    /// Finalizers are qualified names; unqualified ones must be standard (`kubernetes`, …).
    func validate(_ object: JSONValue) -> [FieldError] {
        object.elements(at: "spec", "finalizers").flatMap { finalizer -> [FieldError] in
            let name = finalizer.stringValue ?? ""
            var errors = LabelSelector.validateKey(name).map { FieldError.invalid("spec.finalizers", finalizer, $0) }
            if errors.isEmpty && !name.contains("/") && ![Finalizers.orphan, Finalizers.foregroundDeletion, "kubernetes"].contains(name) {
                errors.append(.invalid("spec.finalizers", finalizer, "name is neither a standard finalizer name nor is it fully qualified"))
            }
            return errors
        }
    }
}
