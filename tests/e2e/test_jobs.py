"""Jobs and cron jobs through the real kubectl: `kubectl create job` runs to completion,
`kubectl create cronjob` is accepted, starts a job within a minute, and
`kubectl create job --from=cronjob/x` works, and
`kubectl get jobs` shows STATUS, COMPLETIONS and DURATION. Pods run on `skiff up`'s simulated node;
the `skiff.dev/simulate-*` annotations tell its kubelet when and how their containers exit."""
import json
from datetime import datetime, timezone

from conftest import kubectl, wait_for


def get_json(*args):
    return json.loads(kubectl("get", "-o", "json", *args).stdout)


RUN_ONE_SECOND = {"skiff.dev/simulate-run-seconds": "1"}


def create_with_pod_annotations(namespace, args, annotations, template_path):
    """`kubectl create ARGS` (a job or cron job generator) with `annotations` added to the pod
    template at `template_path`: they tell the simulated kubelet how the containers end."""
    generated = json.loads(kubectl("create", "-n", namespace, "--dry-run=client", "-o", "json", *args).stdout)
    template = generated
    for key in template_path:
        template = template[key]
    template.setdefault("metadata", {}).setdefault("annotations", {}).update(annotations)
    kubectl("create", "-n", namespace, "-f", "-", input=json.dumps(generated))


def condition(job, type_):
    return next((c for c in job.get("status", {}).get("conditions", []) if c["type"] == type_), None)


def test_job_runs_to_completion(namespace):
    create_with_pod_annotations(namespace, ["job", "pi", "--image=busybox", "--", "true"], RUN_ONE_SECOND, ["spec", "template"])
    wait_for(lambda: len(get_json("pods", "-n", namespace, "-l", "job-name=pi")["items"]) == 1, message="the job's pod")
    pod = get_json("pods", "-n", namespace, "-l", "job-name=pi")["items"][0]
    assert pod["metadata"]["name"].startswith("pi-") and len(pod["metadata"]["name"]) == len("pi-") + 5
    assert "batch.kubernetes.io/job-tracking" in pod["metadata"]["finalizers"]
    labels = pod["metadata"]["labels"]
    assert labels["batch.kubernetes.io/job-name"] == "pi" and labels["job-name"] == "pi"
    assert labels["batch.kubernetes.io/controller-uid"] == labels["controller-uid"]
    owner = pod["metadata"]["ownerReferences"][0]
    assert (owner["kind"], owner["name"], owner["controller"]) == ("Job", "pi", True)

    columns = kubectl("get", "jobs", "-n", namespace).stdout.splitlines()
    assert columns[0].split() == ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]
    assert columns[1].split()[0] == "pi" and columns[1].split()[1:3] in (["Running", "0/1"], ["Complete", "1/1"])

    kubectl("wait", "--for=condition=Complete", "job/pi", "-n", namespace, "--timeout=30s")
    job = get_json("job", "pi", "-n", namespace)
    status = job["status"]
    assert status["succeeded"] == 1 and "completionTime" in status and "startTime" in status
    assert status["uncountedTerminatedPods"] == {} and status["ready"] == 0 and status["terminating"] == 0
    assert condition(job, "SuccessCriteriaMet")["reason"] == "CompletionsReached"
    assert condition(job, "Complete")["message"] == "Reached expected number of succeeded pods"
    pod = get_json("pods", "-n", namespace, "-l", "job-name=pi")["items"][0]
    assert "batch.kubernetes.io/job-tracking" not in pod["metadata"].get("finalizers", [])
    row = kubectl("get", "jobs", "-n", namespace).stdout.splitlines()[1].split()
    assert row[:3] == ["pi", "Complete", "1/1"]
    # Events are written after the fact, as upstream's recorder writes them.
    wait_for(lambda: {"SuccessfulCreate", "Completed"} <= {e["reason"] for e in get_json("events", "-n", namespace)["items"]
                                                          if e["involvedObject"]["name"] == "pi"}, message="the job's events")


def test_failed_pods_exhaust_the_backoff_limit(namespace):
    kubectl("apply", "-n", namespace, "-f", "-", input="""
apiVersion: batch/v1
kind: Job
metadata: {name: flaky}
spec:
  backoffLimit: 0
  template:
    metadata:
      annotations: {skiff.dev/simulate-run-seconds: "1", skiff.dev/simulate-exit-code: "1"}
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
""")
    wait_for(lambda: len(get_json("pods", "-n", namespace, "-l", "job-name=flaky")["items"]) == 1, message="the pod")
    kubectl("wait", "--for=condition=Failed", "job/flaky", "-n", namespace, "--timeout=30s")
    job = get_json("job", "flaky", "-n", namespace)
    assert job["status"]["failed"] == 1
    assert condition(job, "FailureTarget")["reason"] == "BackoffLimitExceeded"
    assert condition(job, "Failed")["message"] == "Job has reached the specified backoff limit"
    assert kubectl("get", "jobs", "-n", namespace).stdout.splitlines()[1].split()[:3] == ["flaky", "Failed", "0/1"]


def test_cron_job_and_a_job_from_it(namespace):
    # Its jobs run 5 s: long enough to be seen in the cron job's `active` list.
    create_with_pod_annotations(namespace, ["cronjob", "tick", "--image=busybox", "--schedule=*/1 * * * *", "--", "date"],
                                {"skiff.dev/simulate-run-seconds": "5"}, ["spec", "jobTemplate", "spec", "template"])
    cron_job = get_json("cronjob", "tick", "-n", namespace)
    assert cron_job["spec"]["schedule"] == "*/1 * * * *"
    assert cron_job["spec"]["concurrencyPolicy"] == "Allow" and cron_job["spec"]["successfulJobsHistoryLimit"] == 3
    header = kubectl("get", "cronjobs", "-n", namespace).stdout.splitlines()[0].split()
    assert header[:3] == ["NAME", "SCHEDULE", "TIMEZONE"]

    kubectl("create", "job", "manual", "--from=cronjob/tick", "-n", namespace)
    job = get_json("job", "manual", "-n", namespace)
    assert job["metadata"]["annotations"]["cronjob.kubernetes.io/instantiate"] == "manual"
    assert job["metadata"]["ownerReferences"][0]["kind"] == "CronJob"
    wait_for(lambda: len(get_json("pods", "-n", namespace, "-l", "job-name=manual")["items"]) == 1, message="its pod")
    kubectl("wait", "--for=condition=Complete", "job/manual", "-n", namespace, "--timeout=30s")
    # The cron job counts the job it owns as its latest success.
    wait_for(lambda: get_json("cronjob", "tick", "-n", namespace).get("status", {}).get("lastSuccessfulTime"),
             message="lastSuccessfulTime")

    # Within a minute the schedule itself starts a job named after its scheduled minute.
    def scheduled_jobs():
        return [job for job in get_json("jobs", "-n", namespace)["items"]
                if "batch.kubernetes.io/cronjob-scheduled-timestamp" in job["metadata"].get("annotations", {})]
    job = wait_for(lambda: (scheduled_jobs() or [None])[0], timeout=75, interval=1, message="a scheduled job")
    stamp = datetime.strptime(job["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"],
                              "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert job["metadata"]["name"] == "tick-%d" % (int(stamp.timestamp()) // 60)
    wait_for(lambda: any(ref["name"] == job["metadata"]["name"]
                         for ref in get_json("cronjob", "tick", "-n", namespace).get("status", {}).get("active", [])),
             message="the scheduled job listed as active")
