/// One representative object of every served kind, as a client would create it, with the fields
/// that make each kind's model interesting (nested specs, maps, int-or-string, quantities, times).
enum ServedObjects {
    /// A create (`POST path`), optionally followed by a status write (`PUT path/name/status`).
    struct Fixture {
        var path: String
        var name: String
        var object: String
        var status: String?
    }

    static let namespace = "models"

    static let podSpec = """
        {"containers":[{"name":"web","image":"nginx:1.27","command":["nginx"],"args":["-g","daemon off;"],
           "ports":[{"name":"http","containerPort":80,"protocol":"TCP"}],
           "env":[{"name":"MODE","value":"prod"},{"name":"POD","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
                  {"name":"LIMIT","valueFrom":{"resourceFieldRef":{"resource":"limits.memory","divisor":"1Mi"}}}],
           "envFrom":[{"configMapRef":{"name":"web"}}],
           "resources":{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":"250m","memory":"128Mi"}},
           "readinessProbe":{"httpGet":{"path":"/healthz","port":"http","scheme":"HTTP"},"periodSeconds":5,"failureThreshold":3},
           "livenessProbe":{"tcpSocket":{"port":80},"initialDelaySeconds":10},
           "startupProbe":{"exec":{"command":["true"]}},
           "lifecycle":{"preStop":{"sleep":{"seconds":5}}},
           "securityContext":{"runAsNonRoot":true,"runAsUser":1000,"capabilities":{"drop":["ALL"]},"readOnlyRootFilesystem":true},
           "volumeMounts":[{"name":"data","mountPath":"/data"},{"name":"config","mountPath":"/etc/web","readOnly":true}]}],
         "initContainers":[{"name":"init","image":"busybox","command":["sh","-c","true"]}],
         "volumes":[{"name":"data","emptyDir":{"sizeLimit":"1Gi"}},
                    {"name":"config","configMap":{"name":"web","items":[{"key":"a","path":"a.conf"}],"defaultMode":420}},
                    {"name":"token","projected":{"sources":[{"serviceAccountToken":{"path":"token","expirationSeconds":3600}}]}}],
         "affinity":{"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":100,
            "podAffinityTerm":{"topologyKey":"kubernetes.io/hostname","labelSelector":{"matchLabels":{"app":"web"}}}}]}},
         "tolerations":[{"key":"dedicated","operator":"Equal","value":"web","effect":"NoSchedule","tolerationSeconds":60}],
         "nodeSelector":{"kubernetes.io/os":"linux"},"serviceAccountName":"web","terminationGracePeriodSeconds":30}
        """

    static let fixtures: [Fixture] = [
        Fixture(path: "/api/v1/namespaces", name: namespace, object: """
            {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\(namespace)","labels":{"team":"models"}}}
            """),
        Fixture(path: "/api/v1/namespaces/\(namespace)/configmaps", name: "web", object: """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"web"},"data":{"a":"1","b":"two"},"binaryData":{"bin":"AAEC"}}
            """),
        Fixture(path: "/api/v1/namespaces/\(namespace)/secrets", name: "web", object: """
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"web"},"type":"Opaque","data":{"password":"c2VjcmV0"},"immutable":false}
            """),
        Fixture(path: "/api/v1/namespaces/\(namespace)/serviceaccounts", name: "web", object: """
            {"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"web"},"secrets":[{"name":"web"}],
             "imagePullSecrets":[{"name":"registry"}],"automountServiceAccountToken":false}
            """),
        Fixture(path: "/api/v1/namespaces/\(namespace)/pods", name: "web-0", object: """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","labels":{"app":"web"},"annotations":{"note":"x"}},
             "spec":\(podSpec)}
            """, status: """
            {"phase":"Running","podIP":"10.0.0.5","podIPs":[{"ip":"10.0.0.5"}],"hostIP":"192.0.2.10","qosClass":"Burstable",
             "startTime":"2024-05-01T10:00:00Z",
             "conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2024-05-01T10:00:05Z"}],
             "containerStatuses":[{"name":"web","image":"nginx:1.27","imageID":"sha256:abc","ready":true,"restartCount":1,
                                   "started":true,"state":{"running":{"startedAt":"2024-05-01T10:00:02Z"}},
                                   "lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled","finishedAt":"2024-05-01T10:00:01Z"}}}]}
            """),
        Fixture(path: "/api/v1/namespaces/\(namespace)/services", name: "web", object: """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},
             "spec":{"type":"NodePort","selector":{"app":"web"},"sessionAffinity":"ClientIP",
                     "sessionAffinityConfig":{"clientIP":{"timeoutSeconds":600}},
                     "ports":[{"name":"http","port":80,"targetPort":"http","protocol":"TCP"},
                              {"name":"metrics","port":9090,"targetPort":9090,"protocol":"TCP"}]}}
            """),
        Fixture(path: "/api/v1/namespaces/\(namespace)/endpoints", name: "web", object: """
            {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web"},
             "subsets":[{"addresses":[{"ip":"10.0.0.5","targetRef":{"kind":"Pod","name":"web-0","namespace":"\(namespace)"}}],
                         "notReadyAddresses":[{"ip":"10.0.0.6"}],"ports":[{"name":"http","port":80,"protocol":"TCP"}]}]}
            """),
        Fixture(path: "/api/v1/namespaces/\(namespace)/persistentvolumeclaims", name: "data", object: """
            {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data"},
             "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"10Gi"}},"storageClassName":"standard",
                     "volumeMode":"Filesystem"}}
            """),
        Fixture(path: "/api/v1/nodes", name: "node-a", object: """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"node-a","labels":{"kubernetes.io/hostname":"node-a"}},
             "spec":{"podCIDR":"10.244.0.0/24","podCIDRs":["10.244.0.0/24"],
                     "taints":[{"key":"dedicated","value":"web","effect":"NoSchedule"}]}}
            """, status: """
            {"capacity":{"cpu":"4","memory":"16Gi","pods":"110"},"allocatable":{"cpu":"3800m","memory":"15Gi","pods":"110"},
             "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","lastHeartbeatTime":"2024-05-01T10:00:00Z",
                            "lastTransitionTime":"2024-05-01T09:00:00Z"}],
             "addresses":[{"type":"InternalIP","address":"192.0.2.10"},{"type":"Hostname","address":"node-a"}],
             "daemonEndpoints":{"kubeletEndpoint":{"Port":10250}},
             "nodeInfo":{"machineID":"m","systemUUID":"s","bootID":"b","kernelVersion":"6.1","osImage":"Debian",
                         "containerRuntimeVersion":"containerd://1.7","kubeletVersion":"v1.32.0","kubeProxyVersion":"",
                         "operatingSystem":"linux","architecture":"amd64"},
             "images":[{"names":["nginx:1.27"],"sizeBytes":70000000}]}
            """),
        Fixture(path: "/api/v1/namespaces/\(namespace)/events", name: "web-0.1", object: """
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"web-0.1"},
             "involvedObject":{"kind":"Pod","namespace":"\(namespace)","name":"web-0","apiVersion":"v1"},
             "reason":"Started","message":"Started container web","type":"Normal","count":2,
             "source":{"component":"kubelet","host":"node-a"},
             "firstTimestamp":"2024-05-01T10:00:00Z","lastTimestamp":"2024-05-01T10:00:02Z"}
            """),
        Fixture(path: "/apis/events.k8s.io/v1/namespaces/\(namespace)/events", name: "web-0.2", object: """
            {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"web-0.2"},
             "eventTime":"2024-05-01T10:00:03.123456Z","reportingController":"example.com/probe","reportingInstance":"probe-1",
             "action":"Probe","reason":"Unhealthy","note":"readiness probe failed","type":"Warning",
             "regarding":{"kind":"Pod","namespace":"\(namespace)","name":"web-0"},
             "series":{"count":3,"lastObservedTime":"2024-05-01T10:00:09.000001Z"}}
            """),
        Fixture(path: "/apis/apps/v1/namespaces/\(namespace)/deployments", name: "web", object: """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"replicas":3,"revisionHistoryLimit":5,"minReadySeconds":2,
                     "selector":{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"NotIn","values":["db"]}]},
                     "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"}},
                     "template":{"metadata":{"labels":{"app":"web"}},"spec":\(podSpec)}}}
            """),
        Fixture(path: "/apis/apps/v1/namespaces/\(namespace)/replicasets", name: "web-1", object: """
            {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-1","labels":{"app":"web"}},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}}
            """),
        Fixture(path: "/apis/apps/v1/namespaces/\(namespace)/statefulsets", name: "db", object: """
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},
             "spec":{"serviceName":"db","replicas":2,"podManagementPolicy":"Parallel","selector":{"matchLabels":{"app":"db"}},
                     "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0,"maxUnavailable":1}},
                     "persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Delete","whenScaled":"Retain"},
                     "template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"postgres:16",
                        "volumeMounts":[{"name":"pgdata","mountPath":"/var/lib/postgresql"}]}]}},
                     "volumeClaimTemplates":[{"metadata":{"name":"pgdata"},
                        "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"5Gi"}}}}]}}
            """),
        Fixture(path: "/apis/apps/v1/namespaces/\(namespace)/daemonsets", name: "agent", object: """
            {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent"},
             "spec":{"selector":{"matchLabels":{"app":"agent"}},
                     "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"10%","maxSurge":0}},
                     "template":{"metadata":{"labels":{"app":"agent"}},
                                 "spec":{"hostNetwork":true,"containers":[{"name":"agent","image":"agent:1"}],
                                         "volumes":[{"name":"logs","hostPath":{"path":"/var/log","type":"Directory"}}]}}}}
            """),
        Fixture(path: "/apis/apps/v1/namespaces/\(namespace)/controllerrevisions", name: "db-7b9c5d8f4", object: """
            {"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"db-7b9c5d8f4","labels":{"app":"db"}},
             "revision":2,"data":{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"db"}},
                                                     "spec":{"containers":[{"name":"db","image":"postgres:16"}]}}}}}
            """),
        Fixture(path: "/apis/batch/v1/namespaces/\(namespace)/jobs", name: "migrate", object: """
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"migrate"},
             "spec":{"completions":3,"parallelism":2,"backoffLimit":4,"completionMode":"Indexed","ttlSecondsAfterFinished":600,
                     "podFailurePolicy":{"rules":[{"action":"FailJob","onExitCodes":{"operator":"In","values":[42]}},
                                                  {"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget","status":"True"}]}]},
                     "template":{"spec":{"restartPolicy":"Never","containers":[{"name":"migrate","image":"migrate:1"}]}}}}
            """),
        Fixture(path: "/apis/batch/v1/namespaces/\(namespace)/cronjobs", name: "nightly", object: """
            {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"nightly"},
             "spec":{"schedule":"0 3 * * *","timeZone":"Etc/UTC","concurrencyPolicy":"Forbid","startingDeadlineSeconds":120,
                     "successfulJobsHistoryLimit":2,"failedJobsHistoryLimit":1,
                     "jobTemplate":{"metadata":{"labels":{"job":"nightly"}},
                                    "spec":{"template":{"spec":{"restartPolicy":"OnFailure",
                                                                "containers":[{"name":"backup","image":"backup:1"}]}}}}}}
            """),
        Fixture(path: "/apis/coordination.k8s.io/v1/namespaces/\(namespace)/leases", name: "controller", object: """
            {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"controller"},
             "spec":{"holderIdentity":"node-a_1234","leaseDurationSeconds":15,"leaseTransitions":3,
                     "acquireTime":"2024-05-01T10:00:00.000000Z","renewTime":"2024-05-01T10:00:12.345678Z"}}
            """),
        Fixture(path: "/apis/discovery.k8s.io/v1/namespaces/\(namespace)/endpointslices", name: "web-abc", object: """
            {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice",
             "metadata":{"name":"web-abc","labels":{"kubernetes.io/service-name":"web"}},"addressType":"IPv4",
             "endpoints":[{"addresses":["10.0.0.5"],"conditions":{"ready":true,"serving":true,"terminating":false},
                           "nodeName":"node-a","zone":"a","hints":{"forZones":[{"name":"a"}]},
                           "targetRef":{"kind":"Pod","name":"web-0","namespace":"\(namespace)"}}],
             "ports":[{"name":"http","port":80,"protocol":"TCP","appProtocol":"http"}]}
            """),
        Fixture(path: "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", name: "widgets.example.com", object: """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
             "spec":{"group":"example.com","scope":"Namespaced",
                     "names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList","shortNames":["wd"],
                              "categories":["all"]},
                     "versions":[{"name":"v1","served":true,"storage":true,
                                  "subresources":{"status":{},"scale":{"specReplicasPath":".spec.replicas",
                                                                       "statusReplicasPath":".status.replicas"}},
                                  "additionalPrinterColumns":[{"name":"Size","type":"integer","jsonPath":".spec.size"}],
                                  "schema":{"openAPIV3Schema":{"type":"object","properties":{
                                     "spec":{"type":"object","required":["size"],"properties":{
                                        "size":{"type":"integer","minimum":1,"maximum":10,"default":3},
                                        "replicas":{"type":"integer","format":"int32"},
                                        "mode":{"type":"string","enum":["fast","safe"]},
                                        "ratio":{"type":"number","multipleOf":0.5},
                                        "tags":{"type":"array","items":{"type":"string"},"x-kubernetes-list-type":"set"},
                                        "labels":{"type":"object","additionalProperties":{"type":"string"}},
                                        "port":{"x-kubernetes-int-or-string":true,
                                                "anyOf":[{"type":"integer"},{"type":"string"}]},
                                        "extra":{"type":"object","x-kubernetes-preserve-unknown-fields":true}},
                                     "x-kubernetes-validations":[{"rule":"self.size <= 10","message":"too big"}]},
                                     "status":{"type":"object","properties":{"replicas":{"type":"integer"}}}}}}}]}}
            """),
        Fixture(path: "/api/v1/namespaces/\(namespace)/replicationcontrollers", name: "legacy", object: """
            {"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"legacy"},
             "spec":{"replicas":2,"selector":{"app":"legacy"},"template":{"metadata":{"labels":{"app":"legacy"}},"spec":\(podSpec)}}}
            """, status: #"{"replicas":2,"readyReplicas":1,"availableReplicas":1,"fullyLabeledReplicas":2,"observedGeneration":1}"#),
        Fixture(path: "/api/v1/namespaces/\(namespace)/podtemplates", name: "tmpl", object: """
            {"apiVersion":"v1","kind":"PodTemplate","metadata":{"name":"tmpl"},"template":{"metadata":{"labels":{"app":"t"}},"spec":\(podSpec)}}
            """),
        Fixture(path: "/api/v1/persistentvolumes", name: "models-pv", object: """
            {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"models-pv"},
             "spec":{"capacity":{"storage":"5Gi"},"accessModes":["ReadWriteOnce"],"storageClassName":"local",
                     "hostPath":{"path":"/data/pv","type":"DirectoryOrCreate"},
                     "nodeAffinity":{"required":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"kubernetes.io/hostname","operator":"In","values":["node-a"]}]}]}}}}
            """, status: #"{"phase":"Available","lastPhaseTransitionTime":"2024-01-01T00:00:00Z"}"#),
        Fixture(path: "/api/v1/namespaces/\(namespace)/limitranges", name: "limits", object: """
            {"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"limits"},
             "spec":{"limits":[{"type":"Container","default":{"cpu":"500m"},"defaultRequest":{"cpu":"100m"},"max":{"memory":"1Gi"}}]}}
            """),
        Fixture(path: "/api/v1/namespaces/\(namespace)/resourcequotas", name: "quota", object: """
            {"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"quota"},"spec":{"hard":{"pods":"10","requests.cpu":"2"}}}
            """, status: #"{"hard":{"pods":"10","requests.cpu":"2"},"used":{"pods":"1","requests.cpu":"250m"}}"#),
        Fixture(path: "/apis/rbac.authorization.k8s.io/v1/namespaces/\(namespace)/roles", name: "reader", object: """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"reader"},
             "rules":[{"apiGroups":[""],"resources":["pods","pods/log"],"verbs":["get","list"],"resourceNames":["web"]}]}
            """),
        Fixture(path: "/apis/rbac.authorization.k8s.io/v1/clusterroles", name: "models-viewer", object: """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"models-viewer"},
             "rules":[{"nonResourceURLs":["/healthz"],"verbs":["get"]}],
             "aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"rbac.example.com/aggregate":"true"}}]}}
            """),
        Fixture(path: "/apis/rbac.authorization.k8s.io/v1/namespaces/\(namespace)/rolebindings", name: "read", object: """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"read"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"reader"},
             "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"jane"},{"kind":"ServiceAccount","name":"web","namespace":"\(namespace)"}]}
            """),
        Fixture(path: "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", name: "models-view", object: """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"models-view"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"models-viewer"},
             "subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"viewers"}]}
            """),
        Fixture(path: "/apis/networking.k8s.io/v1/namespaces/\(namespace)/ingresses", name: "web", object: """
            {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"web"},
             "spec":{"ingressClassName":"models","tls":[{"hosts":["web.example.com"],"secretName":"tls"}],
                     "rules":[{"host":"web.example.com","http":{"paths":[{"path":"/","pathType":"Prefix",
                               "backend":{"service":{"name":"web","port":{"name":"http"}}}}]}}]}}
            """, status: #"{"loadBalancer":{"ingress":[{"ip":"192.0.2.10","ports":[{"port":443,"protocol":"TCP"}]}]}}"#),
        Fixture(path: "/apis/networking.k8s.io/v1/ingressclasses", name: "models", object: """
            {"apiVersion":"networking.k8s.io/v1","kind":"IngressClass","metadata":{"name":"models"},
             "spec":{"controller":"example.com/ingress","parameters":{"apiGroup":"example.com","kind":"Params","name":"p","scope":"Cluster"}}}
            """),
        Fixture(path: "/apis/networking.k8s.io/v1/namespaces/\(namespace)/networkpolicies", name: "web", object: """
            {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"web"},
             "spec":{"podSelector":{"matchLabels":{"app":"web"}},"policyTypes":["Ingress","Egress"],
                     "ingress":[{"from":[{"ipBlock":{"cidr":"10.0.0.0/8","except":["10.1.0.0/16"]}}],"ports":[{"protocol":"TCP","port":"http"}]}],
                     "egress":[{"to":[{"namespaceSelector":{}}],"ports":[{"protocol":"UDP","port":53,"endPort":60}]}]}}
            """),
        Fixture(path: "/apis/policy/v1/namespaces/\(namespace)/poddisruptionbudgets", name: "web", object: """
            {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"web"},
             "spec":{"maxUnavailable":"25%","selector":{"matchLabels":{"app":"web"}},"unhealthyPodEvictionPolicy":"AlwaysAllow"}}
            """, status: #"{"observedGeneration":1,"disruptionsAllowed":1,"currentHealthy":3,"desiredHealthy":2,"expectedPods":3}"#),
        Fixture(path: "/apis/autoscaling/v2/namespaces/\(namespace)/horizontalpodautoscalers", name: "web", object: """
            {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"web"},
             "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":2,"maxReplicas":6,
                     "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":70}}}]}}
            """, status: #"{"currentReplicas":2,"desiredReplicas":2,"currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":40,"averageValue":"100m"}}}]}"#),
        Fixture(path: "/apis/storage.k8s.io/v1/storageclasses", name: "local", object: """
            {"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"local"},"provisioner":"rancher.io/local-path",
             "parameters":{"type":"ssd"},"volumeBindingMode":"WaitForFirstConsumer","allowVolumeExpansion":true,"mountOptions":["noatime"]}
            """),
        Fixture(path: "/apis/storage.k8s.io/v1/csidrivers", name: "csi.example.com", object: """
            {"apiVersion":"storage.k8s.io/v1","kind":"CSIDriver","metadata":{"name":"csi.example.com"},
             "spec":{"attachRequired":false,"tokenRequests":[{"audience":"vault","expirationSeconds":3600}]}}
            """),
        Fixture(path: "/apis/storage.k8s.io/v1/csinodes", name: "node-a", object: """
            {"apiVersion":"storage.k8s.io/v1","kind":"CSINode","metadata":{"name":"node-a"},
             "spec":{"drivers":[{"name":"csi.example.com","nodeID":"node-a","topologyKeys":["zone"],"allocatable":{"count":8}}]}}
            """),
        Fixture(path: "/apis/storage.k8s.io/v1/namespaces/\(namespace)/csistoragecapacities", name: "cap", object: """
            {"apiVersion":"storage.k8s.io/v1","kind":"CSIStorageCapacity","metadata":{"name":"cap"},"storageClassName":"local",
             "capacity":"100Gi","maximumVolumeSize":"10Gi","nodeTopology":{"matchLabels":{"zone":"a"}}}
            """),
        Fixture(path: "/apis/storage.k8s.io/v1/volumeattachments", name: "attach", object: """
            {"apiVersion":"storage.k8s.io/v1","kind":"VolumeAttachment","metadata":{"name":"attach"},
             "spec":{"attacher":"csi.example.com","nodeName":"node-a","source":{"persistentVolumeName":"models-pv"}}}
            """, status: #"{"attached":true,"attachmentMetadata":{"device":"/dev/sdb"}}"#),
        Fixture(path: "/apis/node.k8s.io/v1/runtimeclasses", name: "gvisor", object: """
            {"apiVersion":"node.k8s.io/v1","kind":"RuntimeClass","metadata":{"name":"gvisor"},"handler":"runsc",
             "overhead":{"podFixed":{"memory":"64Mi"}},"scheduling":{"nodeSelector":{"runtime":"gvisor"}}}
            """),
        Fixture(path: "/apis/certificates.k8s.io/v1/certificatesigningrequests", name: "jane", object: """
            {"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"jane"},
             "spec":{"request":"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlJQkFBPT0KLS0tLS1FTkQgQ0VSVElGSUNBVEUgUkVRVUVTVC0tLS0tCg==",
                     "signerName":"kubernetes.io/kube-apiserver-client","usages":["client auth"],"expirationSeconds":86400}}
            """, status: #"{"conditions":[{"type":"Approved","status":"True","reason":"Manual","lastUpdateTime":"2024-01-01T00:00:00Z"}]}"#),
        Fixture(path: "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations", name: "check", object: """
            {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration","metadata":{"name":"check"},
             "webhooks":[{"name":"check.example.com","clientConfig":{"service":{"namespace":"\(namespace)","name":"hook","path":"/check"}},
                          "rules":[{"apiGroups":[""],"apiVersions":["v1"],"operations":["CREATE"],"resources":["pods"]}],
                          "sideEffects":"None","admissionReviewVersions":["v1"]}]}
            """),
        Fixture(path: "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations", name: "inject", object: """
            {"apiVersion":"admissionregistration.k8s.io/v1","kind":"MutatingWebhookConfiguration","metadata":{"name":"inject"},
             "webhooks":[{"name":"inject.example.com","clientConfig":{"url":"https://hook.example.com/inject"},
                          "sideEffects":"NoneOnDryRun","admissionReviewVersions":["v1","v1beta1"],"timeoutSeconds":5}]}
            """),
        Fixture(path: "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies", name: "replicas", object: """
            {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingAdmissionPolicy","metadata":{"name":"replicas"},
             "spec":{"matchConstraints":{"resourceRules":[{"apiGroups":["apps"],"apiVersions":["v1"],"operations":["CREATE","UPDATE"],
                                                            "resources":["deployments"]}]},
                     "validations":[{"expression":"object.spec.replicas <= 5","message":"too many"}]}}
            """),
        Fixture(path: "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings", name: "replicas", object: """
            {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingAdmissionPolicyBinding","metadata":{"name":"replicas"},
             "spec":{"policyName":"replicas","validationActions":["Deny","Audit"]}}
            """),
        Fixture(path: "/apis/apiregistration.k8s.io/v1/apiservices", name: "v1.models.example.com", object: """
            {"apiVersion":"apiregistration.k8s.io/v1","kind":"APIService","metadata":{"name":"v1.models.example.com"},
             "spec":{"group":"models.example.com","version":"v1","groupPriorityMinimum":1000,"versionPriority":15,
                     "service":{"namespace":"\(namespace)","name":"api","port":443},"insecureSkipTLSVerify":true}}
            """),
    ]
}
