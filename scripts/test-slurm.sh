#!/usr/bin/env bash
# npm run test:slurm — the README's Slurm job-array example on a real, single-node Slurm cluster.
#
# Installs Debian's slurm-wlm and munge when missing, starts munged, slurmctld and slurmd on this
# machine (configuration, state, spool and logs in a temporary folder), submits
# examples/slurm/study-array.sbatch unchanged, waits for its array tasks, merges their shards with
# `dtrain merge` and checks that the merged study folder and tables are byte for byte those of the
# same study run unsharded. Whatever happens, it then cancels the job and stops what it started.
#
# Needs root and apt, so `npm test` does not run it; .ci/run runs it after `npm test`.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
job_script="$repo/examples/slurm/study-array.sbatch"
# The study the job array shards; the unsharded run below must be the same study.
study_args=(scenarios/quickstart.yaml --seeds 1..10 --strategy 's1s4,sync-sgd' --baseline sync-sgd)
study_line="npx dtrain study ${study_args[*]} \\"
timeout_seconds=600

say() { printf 'test:slurm: %s\n' "$*"; }
fail() {
  printf 'test:slurm: FAILED: %s\n' "$*" >&2
  exit 1
}

[ "$(id -u)" = 0 ] || fail "needs root: it installs Debian packages and starts munged, slurmctld and slurmd"
grep -qxF -- "$study_line" "$job_script" || fail "$job_script no longer runs the study this test compares with (expected the line: $study_line)"
[ -f "$repo/dist/cli.js" ] || (cd "$repo" && npm run build)

missing=()
for command in munged munge unmunge mungekey slurmctld slurmd sbatch squeue sinfo scontrol scancel; do
  command -v "$command" >/dev/null || missing+=("$command")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing Debian's slurm-wlm and munge (missing: ${missing[*]})"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge
fi

work=$(mktemp -d /tmp/dtrain-slurm.XXXXXX)
chmod 755 "$work"
started=()  # pids of the daemons this script started, in start order
job_id=''

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$job_id" ]; then scancel "$job_id" 2>/dev/null || true; fi
  if [ "$status" -ne 0 ]; then
    for log in "$work"/*.log "$work"/submit/slurm-study-*.out; do
      [ -f "$log" ] || continue
      printf '\n--- %s (last 30 lines) ---\n' "$log" >&2
      tail -n 30 "$log" >&2
    done
  fi
  # Stop the daemons in reverse order (slurmd, slurmctld, then munged), TERM first, then KILL.
  local i pid
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do
    pid=${started[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
  if [ "$status" -eq 0 ]; then say "passed; stopped everything it started"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# munge: slurm's authentication. A munged that already answers (a system service) is used as it
# is; otherwise one is started as the munge user, which needs its directories to be its own.
munge_works() { munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; }
if munge_works; then
  say "using the munged already running"
else
  mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
  if [ ! -s /etc/munge/munge.key ]; then mungekey --create --keyfile=/etc/munge/munge.key; fi
  chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge
  chmod 700 /etc/munge /var/log/munge
  chmod 711 /var/lib/munge
  chmod 755 /run/munge
  chmod 600 /etc/munge/munge.key
  # --force: a munged killed earlier leaves its socket's lock and pid file behind
  setpriv --reuid=munge --regid=munge --init-groups munged --foreground --force >"$work/munged.log" 2>&1 &
  started+=("$!")
  for _ in $(seq 1 50); do
    munge_works && break
    kill -0 "${started[-1]}" 2>/dev/null || fail "munged exited at start"
    sleep 0.2
  done
  munge_works || fail "munged started but does not answer"
  say "munged started (pid ${started[-1]})"
fi

# Two free TCP ports, so that another Slurm on this machine (or a leftover) is never in the way.
read -r controller_port node_port < <(node -e '
  const net = require("node:net");
  const free = () => new Promise((done) => { const s = net.createServer().listen(0, () => { const { port } = s.address(); s.close(() => done(port)); }); });
  (async () => { const a = await free(); let b = await free(); while (b === a) b = await free(); console.log(a, b); })();
')

host=$(hostname -s)
cpus=$(nproc --all)
# a bit under the machine's memory: slurmd refuses a node that claims more than it has
memory_mb=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
mkdir -p "$work/state" "$work/spool"
export SLURM_CONF="$work/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=dtrain-test
SlurmctldHost=$host
SlurmctldPort=$controller_port
SlurmdPort=$node_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
NodeName=$host CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

slurmctld -D -c -f "$SLURM_CONF" >"$work/slurmctld.stdout" 2>&1 &
started+=("$!")
slurmd -D -f "$SLURM_CONF" >"$work/slurmd.stdout" 2>&1 &
started+=("$!")
state=''
for _ in $(seq 1 150); do
  state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  for pid in "${started[@]: -2}"; do kill -0 "$pid" 2>/dev/null || fail "a Slurm daemon exited at start (see the logs below)"; done
  sleep 0.2
done
[ "$state" = idle ] || fail "node $host is '$state' 30 s after slurmd started, not idle"
say "single-node Slurm up: node $host, $cpus CPUs, ${memory_mb} MB, ports $controller_port/$node_port"

# What a user has where they submit: `npx dtrain` works and scenarios/ is there. Each folder
# looks like a project with dtrain installed, so nothing is written into the checkout.
sandbox() {
  mkdir -p "$1/node_modules/.bin"
  ln -s "$repo" "$1/node_modules/dtrain"
  ln -s ../dtrain/bin/dtrain.js "$1/node_modules/.bin/dtrain"
  ln -s "$repo/scenarios" "$1/scenarios"
}
sandbox "$work/submit"
sandbox "$work/plain"

job_id=$(cd "$work/submit" && sbatch --parsable "$job_script")
job_id=${job_id%%;*}
say "submitted $job_script as job $job_id"
start=$SECONDS
while [ -n "$(squeue -h -j "$job_id" -o %i 2>/dev/null)" ]; do
  [ $((SECONDS - start)) -lt "$timeout_seconds" ] || fail "job $job_id still queued or running after $timeout_seconds s"
  sleep 1
done
job_info=$(scontrol -o show job "$job_id")
tasks=$(grep -c 'JobState=' <<<"$job_info" || true)
done_ok=$(grep -c 'JobState=COMPLETED .*ExitCode=0:0' <<<"$job_info" || true)
if [ "$tasks" -eq 0 ] || [ "$done_ok" != "$tasks" ]; then
  fail "not every array task of job $job_id completed with exit code 0:
$job_info"
fi
say "job $job_id: $tasks array tasks completed in $((SECONDS - start)) s"
job_id=''

# The README's merge command, in the folder the job ran in; then the same study unsharded.
(cd "$work/submit" && npx dtrain merge study-part-* --out study) >"$work/merged.txt" 2>"$work/merge-stderr.log"
(cd "$work/plain" && npx dtrain study "${study_args[@]}" --jobs "$cpus" --out study) >"$work/unsharded.txt" 2>"$work/unsharded-stderr.log"
diff -r "$work/submit/study" "$work/plain/study" || fail "the merged study folder differs from the unsharded study's"
cmp "$work/merged.txt" "$work/unsharded.txt" || fail "dtrain merge printed other tables than the unsharded study"
say "merged $tasks shards: $(find "$work/submit/study" -type f | wc -l) files and the printed tables byte-identical to the unsharded study"
