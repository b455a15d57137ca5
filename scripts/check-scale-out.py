"""The scale-out examples of docs/scale-out/ (Kubernetes Indexed Job, GitHub Actions matrix, AWS
Batch array job) checked as far as a machine without those engines allows: each manifest parses
and is consistent (shard counts agree, the shard step uses --shard, the merge waits for the
shards), and then the very commands each manifest runs are run here, once per task, with the
environment variables that engine sets (JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, the
matrix's values), and their merged output must equal one `archsim sweep` process byte for byte.

Usage: check-scale-out.py ARCHSIM_BINARY
"""

import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "scale-out"
SCENARIO = ROOT / "scenarios" / "plan-functions-vs-containers.yaml"


def fail(msg):
    print(f"check-scale-out: {msg}", file=sys.stderr)
    sys.exit(1)


def run(cmd, env, cwd):
    """Runs one task's shell command as the engine would, with archsim on the PATH."""
    full = dict(os.environ)
    for k in ("SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "ARCHSIM_SHARD_COUNT"):
        full.pop(k, None)
    full.update(env)
    full["PATH"] = f"{pathlib.Path(sys.argv[1]).resolve().parent}:{full['PATH']}"
    r = subprocess.run(["sh", "-c", cmd], env=full, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"`{cmd}` with {env} exited {r.returncode}: {r.stderr}")


def same(a, b, what):
    if pathlib.Path(a).read_bytes() != pathlib.Path(b).read_bytes():
        fail(f"{what}: {a} differs from {b}")


def kubernetes(reference, tmp):
    docs = [yaml.safe_load((DOCS / "kubernetes" / f).read_text()) for f in ("sweep-job.yaml", "merge-job.yaml")]
    sweep, merge = docs
    spec = sweep["spec"]
    if sweep["kind"] != "Job" or spec["completionMode"] != "Indexed":
        fail("the Kubernetes sweep is not an Indexed Job")
    c = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in c["env"]}
    n = spec["completions"]
    if int(env["ARCHSIM_SHARD_COUNT"]) != n or spec["parallelism"] > n:
        fail(f"ARCHSIM_SHARD_COUNT {env['ARCHSIM_SHARD_COUNT']} is not the Job's completions {n}")
    cmd = c["args"][0]
    if "--shard auto" not in cmd:
        fail("the Kubernetes shard command does not use --shard auto")
    mcmd = merge["spec"]["template"]["spec"]["containers"][0]["args"][0]
    parts = tmp / "k8s"
    parts.mkdir()
    fix = lambda s: s.replace("/scenario/scenario.yaml", str(SCENARIO)).replace("/parts", str(parts))
    for i in range(n):
        run(fix(cmd), {"JOB_COMPLETION_INDEX": str(i), **env}, tmp)
    run(fix(mcmd), {}, tmp)
    same(parts / "sweep.json", reference / "one.json", "Kubernetes")
    same(parts / "sweep.csv", reference / "one.csv", "Kubernetes")
    print(f"kubernetes: Indexed Job of {n} and merge Job: same bytes as one process")


def github_actions(reference, tmp):
    wf = yaml.safe_load((DOCS / "github-actions" / "sweep.yml").read_text())
    jobs = wf["jobs"]
    matrix = jobs["sweep"]["strategy"]["matrix"]
    (total,) = matrix["total"]
    if matrix["shard"] != list(range(1, total + 1)):
        fail(f"the matrix's shards {matrix['shard']} are not 1..{total}")
    if jobs["merge"]["needs"] != "sweep":
        fail("the merge job does not wait for the sweep jobs")
    step = next(s["run"] for s in jobs["sweep"]["steps"] if "archsim sweep" in s.get("run", ""))
    merge = next(s["run"] for s in jobs["merge"]["steps"] if "archsim merge" in s.get("run", ""))
    out = tmp / "gha"
    out.mkdir()
    for shard in matrix["shard"]:
        cmd = step.replace("${{ matrix.shard }}", str(shard)).replace("${{ matrix.total }}", str(total))
        if re.search(r"\$\{\{", cmd):
            fail(f"an expression left in `{cmd}`")
        run(cmd, {"SCENARIO": str(SCENARIO)}, out)
    run(merge, {}, out)
    same(out / "sweep.json", reference / "one.json", "GitHub Actions")
    same(out / "sweep.csv", reference / "one.csv", "GitHub Actions")
    print(f"github actions: matrix of {total} and merge job: same bytes as one process")


def aws_batch(reference, tmp):
    jd = json.loads((DOCS / "aws-batch" / "job-definition.json").read_text())
    submit = json.loads((DOCS / "aws-batch" / "submit.json").read_text())
    msubmit = json.loads((DOCS / "aws-batch" / "merge-submit.json").read_text())
    props = jd["containerProperties"]
    env = {e["name"]: e["value"] for e in props["environment"]}
    n = submit["arrayProperties"]["size"]
    if int(env["ARCHSIM_SHARD_COUNT"]) != n:
        fail(f"ARCHSIM_SHARD_COUNT {env['ARCHSIM_SHARD_COUNT']} is not the array size {n}")
    if submit["jobDefinition"] != jd["jobDefinitionName"] or not msubmit.get("dependsOn"):
        fail("the AWS Batch submissions do not name the job definition, or the merge does not depend on the array")
    cmd = props["command"][2]
    mcmd = msubmit["containerOverrides"]["command"][2]
    efs = tmp / "efs"
    (efs / "parts").mkdir(parents=True)
    fix = lambda s: s.replace("/mnt/efs/scenario.yaml", str(SCENARIO)).replace("/mnt/efs", str(efs))
    for i in range(n):
        run(fix(cmd), {"AWS_BATCH_JOB_ARRAY_INDEX": str(i), **env}, tmp)
    run(fix(mcmd), {}, tmp)
    same(efs / "sweep.json", reference / "one.json", "AWS Batch")
    same(efs / "sweep.csv", reference / "one.csv", "AWS Batch")
    print(f"aws batch: array job of {n} and merge job: same bytes as one process")


def main():
    if len(sys.argv) != 2:
        fail(__doc__)
    with tempfile.TemporaryDirectory() as t:
        tmp = pathlib.Path(t)
        ref = tmp / "ref"
        ref.mkdir()
        run(f"archsim sweep {SCENARIO} --json one.json --csv one.csv", {}, ref)
        kubernetes(ref, tmp)
        github_actions(ref, tmp)
        aws_batch(ref, tmp)


main()
