import SkiffAPI

/// Upstream's defaults for a pod spec (`SetDefaults_PodSpec` and the defaults of the types inside
/// it: containers, probes, volumes, downward API references), shared by pods and every pod
/// template; plus the few that only pods get (`SetDefaults_Pod`).
enum PodSpecDefaults {
    /// Defaults every pod spec gets, in a pod or in a template.
    static func apply(to spec: inout JSONValue) {
        spec.setDefault("dnsPolicy", "ClusterFirst")
        spec.setDefault("restartPolicy", "Always")
        spec.setDefault("securityContext", .emptyObject)
        spec.setDefault("terminationGracePeriodSeconds", 30)
        spec.setDefault("schedulerName", "default-scheduler")
        // v1's deprecated `serviceAccount` mirrors `serviceAccountName` (either may be given).
        if let account = spec["serviceAccountName"] ?? spec["serviceAccount"], account != .null {
            spec["serviceAccountName"] = account
            spec["serviceAccount"] = account
        }
        for field in ["containers", "initContainers", "ephemeralContainers"] {
            spec.editElements(field, applyContainerDefaults)
        }
        spec.editElements("volumes", applyVolumeDefaults)
    }

    /// Defaults only pods get: requests default to limits, service links are enabled, and under
    /// host networking container ports default their host port.
    static func applyPodOnly(to spec: inout JSONValue) {
        for field in ["containers", "initContainers"] {
            spec.editElements(field) { container in
                guard let limits = container[path: "resources", "limits"]?.objectValue else { return }
                var requests = container[path: "resources", "requests"]?.objectValue ?? [:]
                requests.merge(limits) { request, _ in request }
                container[path: "resources", "requests"] = .object(requests)
            }
        }
        spec.setDefault("enableServiceLinks", true)
        if spec["hostNetwork"]?.boolValue == true {
            for field in ["containers", "initContainers"] {
                spec.editElements(field) { container in
                    container.editElements("ports") { port in
                        if port.intValue(at: "hostPort") == 0, let containerPort = port["containerPort"] { port["hostPort"] = containerPort }
                    }
                }
            }
        }
    }

    /// Container defaults: image pull policy from the tag, termination message, probes, port
    /// protocols, downward API references; `resources` is always present (a Go struct).
    private static func applyContainerDefaults(_ container: inout JSONValue) {
        if container["imagePullPolicy"] == nil || container["imagePullPolicy"] == "" {
            container["imagePullPolicy"] = .string(pullPolicy(forImage: container.stringValue(at: "image")))
        }
        container.setDefault("terminationMessagePath", "/dev/termination-log")
        container.setDefault("terminationMessagePolicy", "File")
        container.setDefault("resources", .emptyObject)
        container.editElements("ports") { $0.setDefault("protocol", "TCP") }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            container.editMember(probe) { probe in
                probe.setDefault("timeoutSeconds", 1)
                probe.setDefault("periodSeconds", 10)
                probe.setDefault("successThreshold", 1)
                probe.setDefault("failureThreshold", 3)
                probe.editMember("httpGet", applyHTTPGetDefaults)
            }
        }
        container.editMember("lifecycle") { lifecycle in
            for hook in ["postStart", "preStop"] {
                lifecycle.editMember(hook) { $0.editMember("httpGet", applyHTTPGetDefaults) }
            }
        }
        container.editElements("env") { $0.editMember("valueFrom", applyDownwardReferenceDefaults) }
    }

    private static func applyHTTPGetDefaults(_ action: inout JSONValue) {
        action.setDefault("path", "/")
        action.setDefault("scheme", "HTTP")
    }

    /// `fieldRef.apiVersion` defaults to `v1`; `resourceFieldRef.divisor` is always present.
    private static func applyDownwardReferenceDefaults(_ source: inout JSONValue) {
        source.editMember("fieldRef") { $0.setDefault("apiVersion", "v1") }
        source.editMember("resourceFieldRef") { $0.setDefault("divisor", "0") }
    }

    /// Volume defaults: a volume without a source is an `emptyDir`; file modes of projected
    /// files default to 0644 (420); service account tokens last an hour.
    private static func applyVolumeDefaults(_ volume: inout JSONValue) {
        if (volume.objectValue ?? [:]).keys.allSatisfy({ $0 == "name" }) { volume["emptyDir"] = .emptyObject }
        for source in ["secret", "configMap", "downwardAPI", "projected"] {
            volume.editMember(source) { $0.setDefault("defaultMode", 420) }
        }
        volume.editMember("downwardAPI") { $0.editElements("items", applyDownwardReferenceDefaults) }
        volume.editMember("projected") { projected in
            projected.editElements("sources") { source in
                source.editMember("serviceAccountToken") { $0.setDefault("expirationSeconds", 3600) }
                source.editMember("downwardAPI") { $0.editElements("items", applyDownwardReferenceDefaults) }
            }
        }
        volume.editMember("hostPath") { $0.setDefault("type", "") }
        volume.editMember("ephemeral") { ephemeral in
            ephemeral.editMember("volumeClaimTemplate") { $0.editMember("spec", PersistentVolumeClaimStrategy.applySpecDefaults) }
        }
    }

    /// `Always` when the image's tag is `latest` or absent (without a digest), else `IfNotPresent`.
    static func pullPolicy(forImage image: String) -> String {
        var reference = Substring(image)
        let digest = reference.firstIndex(of: "@")
        if let digest { reference = reference[..<digest] }
        let lastComponent = reference.split(separator: "/", omittingEmptySubsequences: false).last ?? reference
        guard let colon = lastComponent.lastIndex(of: ":") else { return digest == nil ? "Always" : "IfNotPresent" }
        return lastComponent[lastComponent.index(after: colon)...] == "latest" ? "Always" : "IfNotPresent"
    }
}
