import SkiffAPI

/// Upstream's defaults for a service (`SetDefaults_Service`), and what upstream's service REST
/// storage fills in on writes.
enum ServiceDefaults {
    /// Session affinity, type, ports' protocol and target port, traffic policies, `clusterIPs`
    /// from `clusterIP`, the IP families and their policy; the load balancer status.
    static func apply(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            spec.setDefault("sessionAffinity", "None")
            if spec["sessionAffinity"] == "None" { spec["sessionAffinityConfig"] = nil }
            if spec["sessionAffinity"] == "ClientIP" && spec[path: "sessionAffinityConfig", "clientIP", "timeoutSeconds"] == nil {
                spec["sessionAffinityConfig"] = ["clientIP": ["timeoutSeconds": 10800]]
            }
            spec.setDefault("type", "ClusterIP")
            spec.editElements("ports") { port in
                port.setDefault("protocol", "TCP")
                if port["targetPort"] == nil || port["targetPort"] == 0 || port["targetPort"] == "" { port["targetPort"] = port["port"] ?? 0 }
            }
            let type = spec.stringValue(at: "type")
            let externallyAccessible = type == "LoadBalancer" || type == "NodePort"
                || (type == "ClusterIP" && !spec.elements(at: "externalIPs").isEmpty)
            if externallyAccessible { spec.setDefault("externalTrafficPolicy", "Cluster") }
            if ["ClusterIP", "NodePort", "LoadBalancer"].contains(type) { spec.setDefault("internalTrafficPolicy", "Cluster") }
            if type == "LoadBalancer" { spec.setDefault("allocateLoadBalancerNodePorts", true) }
            guard type != "ExternalName" else { return }
            let clusterIP = spec.stringValue(at: "clusterIP")
            if !clusterIP.isEmpty && spec.elements(at: "clusterIPs").isEmpty { spec["clusterIPs"] = [.string(clusterIP)] }
            if clusterIP == "None" && spec.stringMap(at: "selector").isEmpty {
                // Headless services without a selector serve every family the cluster has.
                spec.setDefault("ipFamilyPolicy", "RequireDualStack")
                spec.setDefault("ipFamilies", ["IPv4"])
                if spec["ipFamilyPolicy"] != "SingleStack", spec.elements(at: "ipFamilies").count < 2 {
                    spec["ipFamilies"] = .array(spec.elements(at: "ipFamilies") + [spec.elements(at: "ipFamilies").first == "IPv6" ? "IPv4" : "IPv6"])
                }
            } else {
                spec.setDefault("ipFamilyPolicy", "SingleStack")
                spec.setDefault("ipFamilies", ["IPv4"])
            }
        }
        let loadBalancer = object.stringValue(at: "spec", "type") == "LoadBalancer"
        object.setDefault("status", .emptyObject)
        object.editMember("status") { status in
            status.setDefault("loadBalancer", .emptyObject)
            guard loadBalancer else { return }
            status.editMember("loadBalancer") { balancer in
                balancer.editElements("ingress") { ingress in
                    if !ingress.stringValue(at: "ip").isEmpty { ingress.setDefault("ipMode", "VIP") }
                }
            }
        }
    }
}
