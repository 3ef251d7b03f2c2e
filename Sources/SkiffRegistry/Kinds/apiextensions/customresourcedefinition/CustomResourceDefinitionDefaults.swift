import SkiffAPI

extension CustomResourceDefinitionStrategy {
    public func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            spec.setDefault("names", .emptyObject)
            spec.editMember("names") { names in
                let kind = names.stringValue(at: "kind")
                if names.stringValue(at: "singular").isEmpty { names["singular"] = .string(kind.lowercased()) }
                if names.stringValue(at: "listKind").isEmpty && !kind.isEmpty { names["listKind"] = .string(kind + "List") }
            }
            spec.setDefault("conversion", ["strategy": "None"])
            spec.editMember("conversion") { conversion in
                conversion.editMember("webhook") { webhook in
                    webhook.editMember("clientConfig") { $0.editMember("service") { $0.setDefault("port", 443) } }
                }
            }
        }
    }
}
