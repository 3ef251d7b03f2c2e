"""Deployments through the real kubectl: rollouts, scaling, image updates, history, undo,
pause and resume. Pods become ready for real: the scheduler binds them to `skiff up`'s simulated
node, whose kubelet runs them."""
import json

from conftest import kubectl, wait_for


def get_json(*args):
    return json.loads(kubectl("get", "-o", "json", *args).stdout)


def rollout_status(namespace, name):
    """`kubectl rollout status` of a Deployment whose pods the scheduler places on the cluster's
    simulated node and its kubelet runs; returns its output."""
    return kubectl("rollout", "status", "deployment/" + name, "-n", namespace, "--timeout=60s").stdout


def replica_sets(namespace, name):
    """The deployment's replica sets as (name, spec.replicas, revision), by revision."""
    uid = get_json("deploy", name, "-n", namespace)["metadata"]["uid"]
    owned = [rs for rs in get_json("rs", "-n", namespace)["items"]
             if any(ref["uid"] == uid for ref in rs["metadata"].get("ownerReferences", []))]
    rows = [(rs["metadata"]["name"], rs["spec"]["replicas"],
             int(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"])) for rs in owned]
    return sorted(rows, key=lambda row: row[2])


def history_revisions(namespace, name):
    lines = kubectl("rollout", "history", "deployment/" + name, "-n", namespace).stdout.strip().splitlines()
    assert lines[1].split() == ["REVISION", "CHANGE-CAUSE"]
    return [int(line.split()[0]) for line in lines[2:]]


def test_rollout_status_and_columns(namespace):
    created = kubectl("create", "deployment", "web", "--image=nginx", "--replicas=3", "-n", namespace).stdout
    assert created.strip() == "deployment.apps/web created"
    assert 'deployment "web" successfully rolled out' in rollout_status(namespace, "web")
    row = kubectl("get", "deploy", "web", "-n", namespace, "--no-headers").stdout.split()
    assert row[:4] == ["web", "3/3", "3", "3"]
    [(rs_name, replicas, revision)] = replica_sets(namespace, "web")
    assert rs_name.startswith("web-") and replicas == 3 and revision == 1
    pods = get_json("pods", "-n", namespace, "-l", "app=web")["items"]
    assert len(pods) == 3 and all(pod["metadata"]["name"].startswith(rs_name + "-") for pod in pods)
    deployment = get_json("deploy", "web", "-n", namespace)
    conditions = {c["type"]: c["reason"] for c in deployment["status"]["conditions"]}
    assert conditions == {"Available": "MinimumReplicasAvailable", "Progressing": "NewReplicaSetAvailable"}
    # Events are written after the fact, as upstream's recorder writes them.
    wait_for(lambda: any(e["reason"] == "ScalingReplicaSet" and e["message"] == "Scaled up replica set %s from 0 to 3" % rs_name
                         for e in get_json("events", "-n", namespace, "--field-selector", "involvedObject.name=web")["items"]),
             message="the ScalingReplicaSet event")


def test_scale_set_image_history_and_undo(namespace):
    kubectl("create", "deployment", "web", "--image=nginx", "--replicas=2", "-n", namespace)
    rollout_status(namespace, "web")
    assert kubectl("scale", "deployment", "web", "--replicas=4", "-n", namespace).stdout.strip() == "deployment.apps/web scaled"
    rollout_status(namespace, "web")
    assert [row[1] for row in replica_sets(namespace, "web")] == [4]

    kubectl("set", "image", "deployment/web", "nginx=nginx:1.27", "-n", namespace)
    rollout_status(namespace, "web")
    sets = replica_sets(namespace, "web")
    assert [(row[1], row[2]) for row in sets] == [(0, 1), (4, 2)]
    assert history_revisions(namespace, "web") == [1, 2]
    assert kubectl("get", "deploy", "web", "-n", namespace, "--no-headers").stdout.split()[:4] == ["web", "4/4", "4", "4"]

    assert kubectl("rollout", "undo", "deployment/web", "-n", namespace).stdout.strip() == "deployment.apps/web rolled back"
    rollout_status(namespace, "web")
    image = kubectl("get", "deploy", "web", "-n", namespace, "-o", "jsonpath={.spec.template.spec.containers[0].image}").stdout
    assert image == "nginx"
    # The first replica set came back as revision 3; no third set was made.
    assert replica_sets(namespace, "web") == [(sets[1][0], 0, 2), (sets[0][0], 4, 3)]
    assert history_revisions(namespace, "web") == [2, 3]


def test_pause_and_resume(namespace):
    kubectl("create", "deployment", "web", "--image=nginx", "--replicas=2", "-n", namespace)
    rollout_status(namespace, "web")
    assert kubectl("rollout", "pause", "deployment/web", "-n", namespace).stdout.strip() == "deployment.apps/web paused"
    kubectl("set", "image", "deployment/web", "nginx=nginx:1.27", "-n", namespace)

    def observed():
        deployment = get_json("deploy", "web", "-n", namespace)
        return deployment["status"].get("observedGeneration") == deployment["metadata"]["generation"] and deployment

    paused = wait_for(observed, message="the paused deployment observed")
    progressing = [c for c in paused["status"]["conditions"] if c["type"] == "Progressing"][0]
    assert (progressing["status"], progressing["reason"]) == ("Unknown", "DeploymentPaused")
    assert len(replica_sets(namespace, "web")) == 1

    assert kubectl("rollout", "resume", "deployment/web", "-n", namespace).stdout.strip() == "deployment.apps/web resumed"
    rollout_status(namespace, "web")
    assert [row[1] for row in replica_sets(namespace, "web")] == [0, 2]
