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
    ]
}
