import SkiffAPI
import SkiffProtobuf
import Testing

/// Built-in kinds serialize in kube-apiserver's order: Go's struct field order.
@Suite struct GoFieldOrderTests {
    func serialized(_ value: JSONValue) -> String {
        String(decoding: value.serialized(shapes: GoFieldOrder.shapes), as: UTF8.self)
    }

    @Test func statusBodiesInGoOrder() {
        let status: JSONValue = [
            "code": 404, "details": ["kind": "pods", "name": "web", "causes": [["message": "m", "reason": "r"]], "uid": "u"],
            "reason": "NotFound", "message": #"pods "web" not found"#, "status": "Failure", "metadata": .emptyObject,
            "apiVersion": "v1", "kind": "Status",
        ]
        #expect(serialized(status) == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","#
            + #""message":"pods \"web\" not found","reason":"NotFound","details":{"name":"web","kind":"pods","uid":"u","#
            + #""causes":[{"reason":"r","message":"m"}]},"code":404}"#)
    }

    @Test func podInGoOrderWithMapsSorted() {
        let pod: JSONValue = [
            "status": ["phase": "Running", "conditions": [["status": "True", "type": "Ready"]]],
            "spec": [
                "restartPolicy": "Always",
                "containers": [["image": "nginx", "name": "web", "resources": ["limits": ["memory": "1Gi", "cpu": "1"]]]],
                "initContainers": [["name": "init", "image": "busybox"]],
                "volumes": [["emptyDir": .emptyObject, "name": "data"]],
            ],
            "metadata": ["uid": "1", "labels": ["b": "2", "a": "1"], "namespace": "demo", "name": "web",
                         "creationTimestamp": "2024-01-02T03:04:05Z", "resourceVersion": "7"],
            "apiVersion": "v1", "kind": "Pod",
        ]
        #expect(serialized(pod) == #"{"kind":"Pod","apiVersion":"v1","#
            + #""metadata":{"name":"web","namespace":"demo","uid":"1","resourceVersion":"7","creationTimestamp":"2024-01-02T03:04:05Z","#
            + #""labels":{"a":"1","b":"2"}},"#
            + #""spec":{"volumes":[{"name":"data","emptyDir":{}}],"initContainers":[{"name":"init","image":"busybox"}],"#
            + #""containers":[{"name":"web","image":"nginx","resources":{"limits":{"cpu":"1","memory":"1Gi"}}}],"#
            + #""restartPolicy":"Always"},"#
            + #""status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}"#)
    }

    @Test func tablesAndTheirEmbeddedObjects() {
        let table: JSONValue = [
            "rows": [["object": ["metadata": ["name": "web"], "apiVersion": "meta.k8s.io/v1", "kind": "PartialObjectMetadata"],
                      "cells": ["web"]]],
            "columnDefinitions": [["priority": 0, "description": "d", "format": "name", "type": "string", "name": "Name"]],
            "metadata": ["resourceVersion": "3"], "apiVersion": "meta.k8s.io/v1", "kind": "Table",
        ]
        #expect(serialized(table) == #"{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"3"},"#
            + #""columnDefinitions":[{"name":"Name","type":"string","format":"name","description":"d","priority":0}],"#
            + #""rows":[{"cells":["web"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"web"}}}]}"#)
    }
}
