import SkiffAPI

/// PriorityLevelConfigurations (flowcontrol.apiserver.k8s.io/v1, cluster-scoped): status kept on
/// main-resource writes, upstream's concurrency and queuing defaults, TYPE/
/// NOMINALCONCURRENCYSHARES/QUEUES/HANDSIZE/QUEUELENGTHLIMIT columns. Enforced by `SkiffAPIServer`'s
/// priority and fairness filter.
struct PriorityLevelConfigurationStrategy: StatusKeepingStrategy {
    var tracksGeneration: Bool { true }

    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            spec.editMember("exempt") { exempt in
                exempt.setDefault("nominalConcurrencyShares", 0)
                exempt.setDefault("lendablePercent", 0)
            }
            spec.editMember("limited") { limited in
                limited.setDefault("nominalConcurrencyShares", 30)
                limited.setDefault("lendablePercent", 0)
                limited.setDefault("limitResponse", .emptyObject)
                limited.editMember("limitResponse") { response in
                    response.editMember("queuing") { queuing in
                        queuing.setDefault("queues", 64)
                        queuing.setDefault("handSize", 8)
                        queuing.setDefault("queueLengthLimit", 50)
                    }
                }
            }
        }
    }
}
