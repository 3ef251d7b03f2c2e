import Foundation
import SkiffAPI
import SkiffModels
import SkiffTesting
import Testing

@testable import SkiffKubelet

/// Pod volumes prepared from fake sources under a scratch directory, with time moved by hand.
struct VolumeManagerTests {
    let time = ManualClock()
    let root: String
    let sources: FakeVolumeSources
    let mounter = FakeVolumeMounter()
    let manager: VolumeManager

    init() throws {
        root = try volumeScratchDirectory()
        sources = FakeVolumeSources(clock: time)
        manager = VolumeManager(podsDirectory: root, reader: sources, mounter: mounter, nodeAllocatable: ["cpu": "4", "memory": "8Gi"])
    }

    static func pod(volumes: [JSONValue], labels: [String: String] = [:], containers: [JSONValue] = [["name": "app", "image": "busybox"]]) -> CoreV1.Pod {
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": "p", "namespace": "ns", "uid": "u-1", "labels": .object(labels.mapValues(JSONValue.string))],
            "spec": ["serviceAccountName": "robot", "containers": .array(containers), "volumes": .array(volumes)],
        ]
        return pod.typed()
    }

    func paths(_ pod: CoreV1.Pod) async throws -> [String: String] {
        guard case .ready(let paths, _) = await manager.setUp(pod, uid: "u-1", now: time.now) else {
            Issue.record("volumes not ready")
            return [:]
        }
        return paths
    }

    @Test func emptyDirsLiveUnderThePodDirectoryAndMemoryOnesAreTmpfs() async throws {
        let pod = Self.pod(volumes: [["name": "scratch", "emptyDir": [:]], ["name": "fast", "emptyDir": ["medium": "Memory"]]])
        let paths = try await paths(pod)
        #expect(paths["scratch"] == "\(root)/u-1/volumes/kubernetes.io~empty-dir/scratch")
        #expect(paths["fast"] == "\(root)/u-1/volumes/kubernetes.io~empty-dir/fast")
        #expect(mounter.mounted == ["\(root)/u-1/volumes/kubernetes.io~empty-dir/fast"])
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: paths["scratch"] ?? "", isDirectory: &isDirectory) && isDirectory.boolValue)

        await manager.tearDown(uid: "u-1")
        #expect(mounter.unmounted == ["\(root)/u-1"])
        #expect(!FileManager.default.fileExists(atPath: "\(root)/u-1"))
    }

    @Test func configMapAndSecretKeysBecomeFilesWithTheirModes() async throws {
        sources.setConfigMap("settings", ["mode": "fast", "level": "3"])
        sources.setSecret("creds", ["password": "s3cret"])
        let pod = Self.pod(volumes: [
            ["name": "config", "configMap": ["name": "settings", "defaultMode": 0o600]],
            ["name": "creds", "secret": ["secretName": "creds", "items": [["key": "password", "path": "db/pass", "mode": 0o400]]]],
        ])
        let paths = try await paths(pod)
        let config = try #require(paths["config"])
        #expect(fileText("\(config)/mode") == "fast" && fileText("\(config)/level") == "3")
        #expect(fileMode("\(config)/..data/mode") == 0o600)
        let creds = try #require(paths["creds"])
        #expect(fileText("\(creds)/db/pass") == "s3cret")
        #expect(fileMode("\(creds)/..data/db/pass") == 0o400)
        #expect(mounter.mounted == [creds])
    }

    @Test func changesReachTheFilesOnTheNextRefresh() async throws {
        sources.setConfigMap("settings", ["mode": "fast"])
        let pod = Self.pod(volumes: [["name": "config", "configMap": ["name": "settings"]]])
        let config = try #require(try await paths(pod)["config"])
        sources.setConfigMap("settings", ["mode": "slow"])
        _ = try await paths(pod)
        #expect(fileText("\(config)/mode") == "fast")
        time.advance(by: VolumeManager.defaultRefreshPeriod)
        _ = try await paths(pod)
        #expect(fileText("\(config)/mode") == "slow")
    }

    @Test func aMissingConfigMapFailsWithUpstreamsMessageAndIsRetriedWithBackoff() async throws {
        let pod = Self.pod(volumes: [["name": "config", "configMap": ["name": "absent"]]])
        let first = await manager.setUp(pod, uid: "u-1", now: time.now)
        let message = "MountVolume.SetUp failed for volume \"config\" : configmap \"absent\" not found"
        #expect(first == .failed(message, fresh: true, retryAt: time.now.adding(seconds: 1)))
        #expect(await manager.setUp(pod, uid: "u-1", now: time.now) == .failed(message, fresh: false, retryAt: time.now.adding(seconds: 1)))
        time.advance(seconds: 1)
        #expect(await manager.setUp(pod, uid: "u-1", now: time.now) == .failed(message, fresh: true, retryAt: time.now.adding(seconds: 2)))
        sources.setConfigMap("absent", ["k": "v"])
        time.advance(seconds: 2)
        #expect(fileText("\(try await paths(pod)["config"] ?? "")/k") == "v")
    }

    @Test func optionalSourcesMayBeMissingButListedKeysMustExist() async throws {
        let optional = Self.pod(volumes: [["name": "config", "configMap": ["name": "absent", "optional": true]]])
        #expect(try await paths(optional)["config"] != nil)
        sources.setSecret("creds", ["user": "me"])
        let pod = Self.pod(volumes: [["name": "creds", "secret": ["secretName": "creds", "items": [["key": "password", "path": "p"]]]]])
        guard case .failed(let message, _, _) = await manager.setUp(pod, uid: "u-2", now: time.now) else {
            Issue.record("a missing key was accepted")
            return
        }
        #expect(message == "MountVolume.SetUp failed for volume \"creds\" : references non-existent secret key: password")
    }

    @Test func downwardAPIFilesHoldTheLabelsAndResources() async throws {
        let pod = Self.pod(
            volumes: [[
                "name": "info",
                "downwardAPI": ["items": [
                    ["path": "labels", "fieldRef": ["fieldPath": "metadata.labels"]],
                    ["path": "name", "fieldRef": ["fieldPath": "metadata.name"]],
                    ["path": "tier", "fieldRef": ["fieldPath": "metadata.labels['tier']"]],
                    ["path": "cpu", "resourceFieldRef": ["containerName": "app", "resource": "limits.cpu", "divisor": "1m"]],
                    ["path": "memory", "resourceFieldRef": ["containerName": "app", "resource": "limits.memory", "divisor": "1Mi"]],
                ]],
            ]],
            labels: ["tier": "web", "app": "shop \"x\""],
            containers: [["name": "app", "image": "busybox", "resources": ["limits": ["memory": "64Mi"]]]])
        let info = try #require(try await paths(pod)["info"])
        #expect(fileText("\(info)/labels") == "app=\"shop \\\"x\\\"\"\ntier=\"web\"")
        #expect(fileText("\(info)/name") == "p")
        #expect(fileText("\(info)/tier") == "web")
        #expect(fileText("\(info)/cpu") == "4000")
        #expect(fileText("\(info)/memory") == "64")
    }

    @Test func projectedTokensAreBoundToThePodAndRenewedAtEightyPercent() async throws {
        sources.setConfigMap("kube-root-ca.crt", ["ca.crt": "CA"])
        let pod = Self.pod(volumes: [[
            "name": "kube-api-access-abcde",
            "projected": ["defaultMode": 0o644, "sources": [
                ["serviceAccountToken": ["expirationSeconds": 3607, "path": "token"]],
                ["configMap": ["name": "kube-root-ca.crt", "items": [["key": "ca.crt", "path": "ca.crt"]]]],
                ["downwardAPI": ["items": [["path": "namespace", "fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"]]]]],
            ]],
        ]])
        guard case .ready(let prepared, let refreshAt) = await manager.setUp(pod, uid: "u-1", now: time.now) else {
            Issue.record("volumes not ready")
            return
        }
        let directory = try #require(prepared["kube-api-access-abcde"])
        #expect(fileText("\(directory)/token") == "token-1")
        #expect(fileText("\(directory)/ca.crt") == "CA")
        #expect(fileText("\(directory)/namespace") == "ns")
        #expect(sources.tokenRequests == [ServiceAccountTokenRequest(
            namespace: "ns", serviceAccount: "robot", audience: "", expirationSeconds: 3607, podName: "p", podUID: "u-1")])
        // The one-minute refresh comes first; the token is kept until 80 % of 3607 s have passed.
        #expect(refreshAt == time.now.advanced(by: VolumeManager.defaultRefreshPeriod))
        time.advance(seconds: 2885)
        _ = try await paths(pod)
        #expect(fileText("\(directory)/token") == "token-1")
        time.advance(seconds: 1)
        _ = try await paths(pod)
        #expect(fileText("\(directory)/token") == "token-2")
    }

    @Test func hostPathTypesAreChecked() async throws {
        let missing = "\(root)/host/missing"
        let create = "\(root)/host/created"
        let pod = Self.pod(volumes: [["name": "dir", "hostPath": ["path": .string(create), "type": "DirectoryOrCreate"]]])
        #expect(try await paths(pod)["dir"] == create)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: create, isDirectory: &isDirectory) && isDirectory.boolValue)
        let file = Self.pod(volumes: [["name": "file", "hostPath": ["path": .string(create), "type": "File"]]])
        guard case .failed(let message, _, _) = await manager.setUp(file, uid: "u-2", now: time.now) else {
            Issue.record("a directory passed as a file")
            return
        }
        #expect(message == "MountVolume.SetUp failed for volume \"file\" : hostPath type check failed: \(create) is not a file")
        let unchecked = Self.pod(volumes: [["name": "any", "hostPath": ["path": .string(missing)]]])
        guard case .ready = await manager.setUp(unchecked, uid: "u-3", now: time.now) else {
            Issue.record("an unchecked host path was refused")
            return
        }
    }

    @Test func containerMountsBindSubPathsReadOnly() throws {
        let volume = try volumeScratchDirectory()
        let mounts: [CoreV1.VolumeMount] = [
            .init(mountPath: "/data", name: "shared", readOnly: true, subPath: "logs"),
            .init(mountPath: "/unknown", name: "not-prepared"),
        ]
        let binds = ContainerMounts.binds(mounts, volumes: ["shared": volume])
        #expect(binds == [ContainerConfig.Mount(containerPath: "/data", hostPath: "\(volume)/logs", readOnly: true)])
        #expect(FileManager.default.fileExists(atPath: "\(volume)/logs"))
    }

    @Test func aPodWaitsInContainerCreatingUntilItsVolumesAreReady() async throws {
        let runtime = SimulatedRuntime(clock: time)
        let lifecycle = PodLifecycle(
            runtime: runtime, hostIP: "172.16.0.1", ips: PodIPAllocator(subnet: try #require(IPv4Subnet("10.128.0.0/24"))), volumes: manager)
        var pod = Self.pod(
            volumes: [["name": "config", "configMap": ["name": "settings"]]],
            containers: [["name": "app", "image": "busybox", "volumeMounts": [["name": "config", "mountPath": "/etc/app"]]]])
        pod.spec?.nodeName = "skiff-node-0"
        var record = PodRecord(uid: "u-1", nodeName: "skiff-node-0")
        let waiting = try await lifecycle.sync(pod, record: &record, now: time.now)
        #expect(waiting.status.phase == "Pending")
        #expect(waiting.status.containerStatuses?.first?.state?.waiting?.reason == "ContainerCreating")
        #expect(waiting.wakeAt == time.now.adding(seconds: 1))
        #expect(record.sandboxID == nil)

        sources.setConfigMap("settings", ["k": "v"])
        time.advance(seconds: 1)
        let running = try await lifecycle.sync(pod, record: &record, now: time.now)
        #expect(running.status.phase == "Running")
        #expect(record.volumePaths["config"] == "\(root)/u-1/volumes/kubernetes.io~configmap/config")
        try await lifecycle.tearDown(&record)
        #expect(!FileManager.default.fileExists(atPath: "\(root)/u-1"))
    }
}
