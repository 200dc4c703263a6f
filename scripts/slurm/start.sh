#!/usr/bin/env bash
# Starts a private Slurm on this machine for tests and benches: munged, slurmctld and two slurmd
# nodes (n1, n2) on 127.0.0.1, all state, logs and pid files under one folder. Settings are the ones
# ../shared/design/SLURM.md records as working on Debian 12's Slurm 22.05 without systemd.
#
#   scripts/slurm/start.sh DIR     # then: export SLURM_CONF=DIR/slurm.conf (also written to DIR/env)
#   scripts/slurm/stop.sh DIR      # stops every daemon by its pid file
#
# Needs root (slurmd launches jobs as the submitting user) and the Debian packages slurmctld, slurmd,
# slurm-client and munge. Exits non-zero, with the daemon's log tail, when a daemon does not come up.
set -euo pipefail

dir=${1:?usage: scripts/slurm/start.sh DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
chmod 0755 "$dir"   # munge and slurm users must reach their folders inside
for cmd in munged slurmctld slurmd sinfo; do
  command -v "$cmd" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin"
  command -v "$cmd" >/dev/null 2>&1 || { echo "start.sh: $cmd not found; install: apt-get install slurmctld slurmd slurm-client munge" >&2; exit 3; }
done
[ "$(id -u)" = 0 ] || { echo "start.sh: needs root (slurmd starts jobs as the submitting user)" >&2; exit 3; }

host=$(hostname -s)
mkdir -p "$dir/munge" "$dir/state" "$dir/log" "$dir/jobs"

# munge: a private socket and key here, so another munged on this machine is left alone.
key=/etc/munge/munge.key
if [ ! -r "$key" ]; then
  key="$dir/munge/munge.key"
  [ -f "$key" ] || dd if=/dev/urandom of="$key" bs=1024 count=1 status=none
fi
chown -R munge: "$dir/munge"
chmod 0700 "$dir/munge"
[ "$key" = "$dir/munge/munge.key" ] && chmod 0400 "$key"
socket="$dir/munge/munge.socket"
runuser -u munge -- munged --socket="$socket" --key-file="$key" --pid-file="$dir/munge/munged.pid" \
  --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" --force
chmod 0755 "$dir/munge"

# Three free TCP ports: slurmctld and one per slurmd.
read -r p0 p1 p2 < <(node -e '
  const net = require("net"); const ports = [];
  const next = () => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { ports.push(s.address().port);
    if (ports.length < 3) next(); else { console.log(ports.join(" ")); process.exit(0); } }); };
  next();')

cat > "$dir/slurm.conf" <<CONF
ClusterName=digitlab
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$p0
SlurmUser=slurm
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$dir/state
SlurmctldPidFile=$dir/slurmctld.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdSpoolDir=$dir/spool-%n
SlurmdPidFile=$dir/slurmd-%n.pid
SlurmdLogFile=$dir/log/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
MailProg=/bin/true
MinJobAge=300
KillWait=10
MpiDefault=none
NodeName=n1 NodeHostname=$host NodeAddr=127.0.0.1 Port=$p1 CPUs=1 RealMemory=1000 State=UNKNOWN
NodeName=n2 NodeHostname=$host NodeAddr=127.0.0.1 Port=$p2 CPUs=1 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
chown -R slurm: "$dir/state"
chown slurm: "$dir/log"
printf 'export SLURM_CONF=%s\n' "$dir/slurm.conf" > "$dir/env"
export SLURM_CONF="$dir/slurm.conf"

fail() {
  echo "start.sh: $1; log tail:" >&2
  tail -n 20 "$2" >&2 2>/dev/null || true
  exit 1
}
slurmctld || fail "slurmctld did not start" "$dir/log/slurmctld.log"
for n in n1 n2; do
  slurmd -N "$n" || fail "slurmd $n did not start" "$dir/log/slurmd-$n.log"
done

# Ready when both nodes are idle (the daemons usually need well under a second).
for _ in $(seq 1 150); do
  idle=$(sinfo -h -N -o '%N %t' 2>/dev/null | grep -c ' idle$' || true)
  [ "$idle" -ge 2 ] && { echo "slurm up: SLURM_CONF=$SLURM_CONF (nodes n1, n2 idle)"; exit 0; }
  sleep 0.2
done
sinfo -N >&2 || true
fail "nodes not idle after 30 s" "$dir/log/slurmctld.log"
