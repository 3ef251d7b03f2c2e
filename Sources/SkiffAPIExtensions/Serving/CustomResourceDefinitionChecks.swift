import SkiffAPI
import SkiffCEL
import SkiffRegistry

/// The checks of a CRD's versions that need the schema machinery: every schema is structural
/// and every `x-kubernetes-validations` rule compiles (within the cost limits). A CRD that fails
/// them is refused with `422`, so nothing of it is stored or served.
public enum CustomResourceDefinitionChecks {
    /// The errors of `crd`, with upstream's paths.
    @Sendable public static func errors(of crd: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, version) in (crd[path: "spec", "versions"]?.arrayValue ?? []).enumerated() {
            guard let schema = version[path: "schema", "openAPIV3Schema"] else { continue }
            let path = "spec.versions[\(index)].schema.openAPIV3Schema"
            let structural = StructuralSchemaCheck.errors(of: schema, path: path)
            errors += structural
            guard structural.isEmpty else { continue }
            var compileErrors: [ValidationRuleTree.CompileError] = []
            _ = ValidationRuleTree(schema: CustomResourceSchema(schema), errors: &compileErrors)
            for failure in compileErrors {
                let field = path + "." + failure.path
                let shown = Self.goRule(failure.rule)
                if failure.failure.isCostRefusal {
                    errors.append(.forbidden(field, failure.failure.description))
                } else {
                    errors.append(FieldError(.fieldValueInvalid, field: field, detail: "\(shown): \(failure.failure.description)"))
                }
            }
            for (column, printer) in (version["additionalPrinterColumns"]?.arrayValue ?? []).enumerated() {
                let type = printer["type"]?.stringValue ?? ""
                if !["integer", "number", "string", "boolean", "date"].contains(type) {
                    errors.append(.notSupported("spec.versions[\(index)].additionalPrinterColumns[\(column)].type", .string(type),
                                                supported: ["boolean", "date", "integer", "number", "string"]))
                }
            }
        }
        return errors
    }

    /// A rule as Go's `%#v` prints upstream's `ValidationRule` (the value of a compile error).
    static func goRule(_ rule: CELValidationRule) -> String {
        let reason = rule.reason.map { "\"\($0)\"" } ?? "(*apiextensions.FieldValueErrorReason)(nil)"
        return "apiextensions.ValidationRule{Rule:\"\(rule.rule)\", Message:\"\(rule.message ?? "")\", "
            + "MessageExpression:\"\(rule.messageExpression ?? "")\", Reason:\(reason), FieldPath:\"\(rule.fieldPath ?? "")\", "
            + "OptionalOldSelf:(*bool)(nil)}"
    }
}

extension CustomResourceDefinitionChecks {
    /// `entries` with the CRD resource's strategy checking schemas and rules.
    public static func installed(in entries: [Registry.Entry]) -> [Registry.Entry] {
        entries.map { entry in
            guard entry.info.groupResource == CustomResourceDefinitionController.resource else { return entry }
            return Registry.Entry(info: entry.info, strategy: CustomResourceDefinitionStrategy(schemaChecks: errors(of:)))
        }
    }
}
