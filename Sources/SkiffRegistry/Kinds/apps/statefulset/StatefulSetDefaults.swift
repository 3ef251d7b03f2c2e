import SkiffAPI

extension StatefulSetStrategy {
    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            spec.setDefault("podManagementPolicy", "OrderedReady")
            spec.setDefault("updateStrategy", .emptyObject)
            spec.editMember("updateStrategy") { strategy in
                if strategy.stringValue(at: "type").isEmpty {
                    strategy["type"] = "RollingUpdate"
                    strategy.setDefault("rollingUpdate", .emptyObject)
                }
                if strategy["type"] == "RollingUpdate" { strategy.editMember("rollingUpdate") { $0.setDefault("partition", 0) } }
            }
            spec.setDefault("persistentVolumeClaimRetentionPolicy", .emptyObject)
            spec.editMember("persistentVolumeClaimRetentionPolicy") { policy in
                policy.setDefault("whenDeleted", "Retain")
                policy.setDefault("whenScaled", "Retain")
            }
            spec.setDefault("replicas", 1)
            spec.setDefault("revisionHistoryLimit", 10)
            spec.editElements("volumeClaimTemplates") { claim in
                claim.setDefault("apiVersion", "v1")
                claim.setDefault("kind", "PersistentVolumeClaim")
                claim.setDefault("metadata", .emptyObject)
                claim.editMember("metadata") { if $0["creationTimestamp"] == nil { $0["creationTimestamp"] = .null } }
                PersistentVolumeClaimStrategy.applyClaimDefaults(&claim)
            }
        }
        PodTemplate.applyDefaults(inWorkload: &object)
    }
}
