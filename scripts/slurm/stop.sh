#!/usr/bin/env bash
# Stops the Slurm that scripts/slurm/start.sh DIR started: every daemon by its pid file, never by
# name (other Slurm or munge daemons on this machine are left alone). Safe to call twice.
set -uo pipefail
dir=${1:?usage: scripts/slurm/stop.sh DIR}

stop_pid_file() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file" 2>/dev/null) || return 0
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# Jobs first (this private cluster holds only the tests' jobs), so no job step outlives its slurmd.
if [ -f "$dir/slurm.conf" ] && [ -f "$dir/slurmctld.pid" ] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; then
  SLURM_CONF="$dir/slurm.conf" timeout 10 scancel --user="$(id -un)" 2>/dev/null || true
  for _ in $(seq 1 30); do
    [ -z "$(SLURM_CONF="$dir/slurm.conf" timeout 5 squeue -h -t running,completing -o %i 2>/dev/null)" ] && break
    sleep 0.5
  done
fi
for f in "$dir"/slurmd-*.pid; do stop_pid_file "$f"; done
stop_pid_file "$dir/slurmctld.pid"
stop_pid_file "$dir/munge/munged.pid"
exit 0
