import Foundation
import SkiffAPI

extension CertificateSigningRequestStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let request = object[path: "spec", "request"]
        let decoded = request?.stringValue.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
        if request == nil {
            errors.append(.required("spec.request"))
        } else if !decoded.contains("-----BEGIN CERTIFICATE REQUEST-----") {
            errors.append(.invalid("spec.request", request ?? .null, "PEM block type must be CERTIFICATE REQUEST"))
        }
        if object.stringValue(at: "spec", "signerName").isEmpty { errors.append(.required("spec.signerName")) }
        let usages = object.elements(at: "spec", "usages")
        if usages.isEmpty { errors.append(.required("spec.usages")) }
        for (index, usage) in usages.enumerated() where !Self.usages.contains(usage.stringValue ?? "") {
            errors.append(.notSupported("spec.usages[\(index)]", usage, supported: Self.usages))
        }
        if let seconds = object[path: "spec", "expirationSeconds"]?.intValue, seconds < 600 {
            errors.append(.invalid("spec.expirationSeconds", .int(seconds), "may not specify a duration less than 600 seconds (10 minutes)"))
        }
        errors += Self.validateConditions(object.elements(at: "status", "conditions"))
        return errors
    }

    /// Known condition types; `Approved` and `Denied` only as `True`, and not both.
    private static func validateConditions(_ conditions: [JSONValue]) -> [FieldError] {
        var errors: [FieldError] = []
        let types = conditions.map { $0.stringValue(at: "type") }
        for (index, condition) in conditions.enumerated() {
            let path = "status.conditions[\(index)]"
            errors += FieldRules.supported(condition["type"], field: "\(path).type", values: ["Approved", "Denied", "Failed"])
            if ["Approved", "Denied"].contains(types[index]) {
                errors += FieldRules.supported(condition["status"], field: "\(path).status", values: ["True"])
            }
            if types[index] == "Denied", types.contains("Approved") {
                errors.append(.invalid("\(path).type", "Denied", "Approved and Denied conditions are mutually exclusive"))
            }
        }
        return errors
    }
}
