import SkiffAPI
import SkiffModels
import Testing

@Suite struct ModelRoundTripTests {
    @Test func pod() throws {
        let json = """
            {"apiVersion":"v1","kind":"Pod",
             "metadata":{"name":"web-0","namespace":"demo","uid":"4c5e6f","resourceVersion":"12",
                         "creationTimestamp":"2024-05-01T10:00:00Z","labels":{"app":"web"},
                         "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-7d","uid":"9a","controller":true}]},
             "spec":{"containers":[{"name":"web","image":"nginx:1.27","args":[],
                                    "ports":[{"containerPort":80,"protocol":"TCP","name":"http"}],
                                    "resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"250m"}},
                                    "readinessProbe":{"httpGet":{"path":"/healthz","port":"http"},"periodSeconds":5},
                                    "livenessProbe":{"tcpSocket":{"port":80}},
                                    "env":[{"name":"MODE","value":"prod"},
                                           {"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}}],
                                    "volumeMounts":[{"name":"data","mountPath":"/data"}]}],
                     "volumes":[{"name":"data","emptyDir":{"sizeLimit":"1Gi"}},
                                {"name":"cfg","configMap":{"name":"web","defaultMode":420}}],
                     "nodeSelector":{},"restartPolicy":"Always","terminationGracePeriodSeconds":30},
             "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2024-05-01T10:00:05Z"}],
                       "podIP":"10.0.0.5","startTime":"2024-05-01T10:00:01Z"}}
            """
        let result = try roundTrip(CoreV1.Pod.self, json)
        #expect(result.reencoded == result.original)
        let pod = result.value
        #expect(pod.cacheKey == "demo/web-0")
        #expect(pod.spec?.containers[0].resources?.limits?["cpu"] == "500m")
        #expect(pod.spec?.containers[0].readinessProbe?.httpGet?.port == .string("http"))
        #expect(pod.spec?.containers[0].livenessProbe?.tcpSocket?.port == .int(80))
        #expect(pod.spec?.containers[0].args == [], "an empty array stays distinct from an absent one")
        #expect(pod.spec?.nodeSelector == [:])
        #expect(pod.spec?.containers[0].command == nil)
        #expect(pod.status?.startTime == Timestamp(rfc3339: "2024-05-01T10:00:01Z"))
    }

    /// v1.32's OpenAPI lists `serviceName` as required, but the API server accepts a StatefulSet
    /// without one (kr8s' tests make such sets): the controller's informer must decode it.
    @Test func statefulSetWithoutServiceName() throws {
        let json = """
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"db"}},
                     "template":{"metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"pause"}]}}}}
            """
        let result = try roundTrip(AppsV1.StatefulSet.self, json)
        #expect(result.reencoded == result.original)
        #expect(result.value.spec?.serviceName == nil)
    }

    @Test func deployment() throws {
        let json = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"demo","generation":3},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"},
                                              "matchExpressions":[{"key":"tier","operator":"In","values":["front"]}]},
                     "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":0}},
                     "template":{"metadata":{"labels":{"app":"web","tier":"front"}},
                                 "spec":{"containers":[{"name":"web","image":"nginx"}]}}},
             "status":{"replicas":3,"readyReplicas":2,"observedGeneration":3,
                       "conditions":[{"type":"Available","status":"True","reason":"MinimumReplicasAvailable",
                                      "lastUpdateTime":"2024-05-01T10:00:00Z","lastTransitionTime":"2024-05-01T10:00:00Z"}]}}
            """
        let result = try roundTrip(AppsV1.Deployment.self, json)
        #expect(result.reencoded == result.original)
        #expect(result.value.spec?.strategy?.rollingUpdate?.maxSurge == "25%")
        #expect(result.value.spec?.strategy?.rollingUpdate?.maxUnavailable == 0)
        #expect(result.value.spec?.selector.matchExpressions?[0].operator == "In")
        #expect(AppsV1.Deployment.groupVersionResource.description == "apps/v1, Resource=deployments")
    }

    @Test func service() throws {
        let json = """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"demo"},
             "spec":{"type":"ClusterIP","clusterIP":"10.96.0.20","clusterIPs":["10.96.0.20"],"selector":{"app":"web"},
                     "ports":[{"name":"http","port":80,"targetPort":"http","protocol":"TCP"},
                              {"name":"metrics","port":9090,"targetPort":9090,"protocol":"TCP"}],
                     "sessionAffinity":"None","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack"},
             "status":{"loadBalancer":{}}}
            """
        let result = try roundTrip(CoreV1.Service.self, json)
        #expect(result.reencoded == result.original)
        #expect(result.value.spec?.ports?.map(\.targetPort) == [.string("http"), .int(9090)])
        #expect(result.value.status?.loadBalancer == CoreV1.LoadBalancerStatus(), "an empty object stays present")
    }

    @Test func customResourceDefinitionWithNestedSchema() throws {
        let json = """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
             "spec":{"group":"example.com","scope":"Namespaced",
                     "names":{"plural":"widgets","singular":"widget","kind":"Widget","shortNames":["wd"]},
                     "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
                                  "additionalPrinterColumns":[{"name":"Size","type":"integer","jsonPath":".spec.size"}],
                                  "schema":{"openAPIV3Schema":{"type":"object","properties":{
                                     "spec":{"type":"object","required":["size"],"properties":{
                                        "size":{"type":"integer","minimum":1,"maximum":10.5,"default":3},
                                        "mode":{"type":"string","enum":["fast","safe"],"not":{"pattern":"^x"}},
                                        "tags":{"type":"array","items":{"type":"string"},"x-kubernetes-list-type":"set"},
                                        "pairs":{"type":"array","items":[{"type":"string"},{"type":"integer"}]},
                                        "labels":{"type":"object","additionalProperties":{"type":"string"}},
                                        "open":{"type":"object","additionalProperties":false},
                                        "deps":{"type":"object","dependencies":{"a":["b"],"c":{"required":["d"]}}},
                                        "port":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]},
                                        "extra":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                                        "link":{"$ref":"#/definitions/other","$schema":"http://json-schema.org/schema#"}},
                                     "x-kubernetes-validations":[{"rule":"self.size <= 10","message":"too big"}]},
                                     "status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}]},
             "status":{"acceptedNames":{"plural":"widgets","kind":"Widget"},"storedVersions":["v1"],
                       "conditions":[{"type":"Established","status":"True","lastTransitionTime":"2024-05-01T10:00:00Z"}]}}
            """
        let result = try roundTrip(ApiextensionsV1.CustomResourceDefinition.self, json)
        #expect(result.reencoded == result.original)
        let spec = try #require(result.value.spec.versions[0].schema?.openAPIV3Schema?.properties?["spec"])
        #expect(spec.properties?["size"]?.default == 3)
        #expect(spec.properties?["size"]?.maximum == 10.5)
        #expect(spec.properties?["mode"]?.not?.value.pattern == "^x")
        #expect(spec.properties?["open"]?.additionalProperties == .bool(false))
        #expect(spec.properties?["link"]?.ref == "#/definitions/other")
        #expect(spec.properties?["extra"]?.xKubernetesPreserveUnknownFields == true)
        #expect(spec.properties?["deps"]?.dependencies?["a"] == .strings(["b"]))
        guard case .array(let pair) = spec.properties?["pairs"]?.items else {
            Issue.record("positional items decode as an array")
            return
        }
        #expect(pair.map(\.type) == ["string", "integer"])
    }

    @Test func leaseWithMicroTime() throws {
        let json = """
            {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"controller","namespace":"kube-system"},
             "spec":{"holderIdentity":"node-a","leaseDurationSeconds":15,"leaseTransitions":2,
                     "acquireTime":"2024-05-01T10:00:00.000000Z","renewTime":"2024-05-01T10:00:12.345678Z"}}
            """
        let result = try roundTrip(CoordinationV1.Lease.self, json)
        #expect(result.reencoded == result.original)
        let renew = try #require(result.value.spec?.renewTime)
        #expect(renew.timestamp.nanoseconds == 345_678_000)
        #expect(renew > result.value.spec!.acquireTime!)
    }

    @Test func intOrString() throws {
        let values = try roundTrip([IntOrString].self, #"[80, "http", "25%", 0]"#)
        #expect(values.reencoded == values.original)
        #expect(values.value == [.int(80), .string("http"), "25%", 0])
        #expect(throws: (any Error).self) { try roundTrip(IntOrString.self, "true") }
    }

    @Test func quantity() throws {
        let values = try roundTrip([String: Quantity].self, #"{"cpu":"500m","memory":"1Gi","pods":"110","storage":"1e3"}"#)
        #expect(values.reencoded == values.original)
        #expect(values.value["cpu"] == "500m")
        #expect(values.value["memory"]?.description == "1Gi")
        let bare = try roundTrip(Quantity.self, "2")
        #expect(bare.value == "2", "a bare number is accepted and re-encoded as its string form")
    }

    @Test func initializersDefaultToTheirKind() {
        let lease = CoordinationV1.Lease(metadata: ObjectMeta(name: "l", namespace: "n"))
        #expect(lease.apiVersion == "coordination.k8s.io/v1")
        #expect(lease.kind == "Lease")
        #expect(CoordinationV1.Lease.isNamespaced)
        #expect(!CoreV1.Node.isNamespaced)
        #expect(CoreV1.Endpoints.resource == "endpoints")
        let list = CoreV1.PodList(items: [CoreV1.Pod()])
        #expect(list.kind == "PodList")
        #expect(list.items.count == 1)
    }
}
