#!/usr/bin/env bash
# Rebuilds, from nothing, one task's files that docs/results.md parts 10–17 start from:
# demos, SFT, Prophet's training data, the own-data autoencoder, the own-autoencoder Prophet (OBJECT-prophet-ownae.sqlite,
# OBJECT = the task name after its dash: bowl, bottle, …), the SFT policy on autoencoder-viewed frames (and those frames,
# demos-viewed.hdf5), and judge-only episodes. Every step is seeded; a step that finished (OUT.done) is kept,
# so an interrupted run resumes. Two jobs at a time (one per core, OPENBLAS_NUM_THREADS=1 each).
#
#   scripts/task-pipeline.sh TASK DIR [PROPHRL]      # about 30 min per task on the project's 2-core VM
#
# Seeds (never reused for evaluation, which uses 50,000,000… and validation 60,000,000…):
#   demos 0…199; SFT η 0.4 rollouts 40,000,000…; noisy experts 1000…; judge-only: SFT η 0.4 41,000,000…,
#   SFT ODE 42,000,000…, noisy experts 3000…, experts 5000…; held-out judge check: SFT η 0.2 43,000,000….
set -euo pipefail
usage="usage: task-pipeline.sh TASK DIR [PROPHRL]   (TASK: pick-bottle, place-bowl, pull-tissue, place-cube)"
T=${1:?$usage}
DIR=${2:?$usage}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
P=${3:-$ROOT/.build/release/prophrl}
case $T in pick-bottle|place-bowl|pull-tissue|place-cube) ;; *) echo "task-pipeline: unknown task '$T'. $usage" >&2; exit 2 ;; esac
W=${T#*-}-prophet-ownae.sqlite
export OPENBLAS_NUM_THREADS=1
mkdir -p "$DIR"
cd "$DIR"

# step OUT COMMAND...: runs COMMAND (logging to OUT.log) unless OUT.done says it finished before; a step that was
# killed or failed starts again from nothing.
step() {
  local out=$1; shift
  if [[ -e $out.done ]]; then echo "keep $out"; return 0; fi
  rm -f "$out"
  echo "make $out: $*"
  local t0=$SECONDS
  "$@" > "$out.log" 2>&1 || { echo "FAILED $out (see $DIR/$out.log)"; return 1; }
  touch "$out.done"
  echo "done $out in $((SECONDS - t0)) s"
}

step demos.hdf5 "$P" sim collect --task $T --episodes 200 --out demos.hdf5
step sft.sqlite "$P" policy sft --data demos.hdf5 --config "$ROOT/configs/pick-bottle-sft.json" --out sft.sqlite

# Prophet's data and the judge-only episodes, two at a time.
eval_rollouts() { # OUT SEEDBASE EPISODES [extra sim-eval options]
  local out=$1 base=$2 n=$3; shift 3
  step "$out" "$P" sim eval --policy sft.sqlite --task $T --episodes "$n" --runs 1 --seed-base "$base" "$@" --rollouts-out "$out"
}
eval_rollouts sft-eta04.hdf5 40000000 200 --eta 0.4 &
step noisy02.hdf5 "$P" sim collect --task $T --episodes 100 --seed 1000 --waypoint-noise 0.02 --out noisy02.hdf5
wait
eval_rollouts j-sft-eta04.hdf5 41000000 100 --eta 0.4 &
eval_rollouts j-sft-ode.hdf5 42000000 100
wait
(step j-noisy02.hdf5 "$P" sim collect --task $T --episodes 50 --seed 3000 --waypoint-noise 0.02 --out j-noisy02.hdf5 &&
 step j-expert.hdf5 "$P" sim collect --task $T --episodes 25 --seed 5000 --out j-expert.hdf5) &

# The autoencoder on the task's own 500 episodes (part 10), then the DiT on it; the SFT policy on frames seen
# through that Prophet's autoencoder (part 12).
step ae8.sqlite "$P" world train --data demos.hdf5 sft-eta04.hdf5 noisy02.hdf5 --out ae8.sqlite --config a --chunk-frames 4 \
  --latent-downsampling 8 --ae-steps 400 --ae-batch 4 --dit-steps 0 --threads 1 --seed 0
wait
eval_rollouts check-int-eta02.hdf5 43000000 200 --eta 0.2 --integrated-state &
step $W "$P" world train --data demos.hdf5 sft-eta04.hdf5 noisy02.hdf5 --out $W \
  --config small --chunk-frames 4 --autoencoder-from ae8.sqlite --action-frames --dit-steps 12000 --batch 8 --lr 3e-4 \
  --warmup 100 --threads 1
# The demos seen through the autoencoder once (world view); the viewed SFT and every anchored RL run read them as
# they are (--anchor-demos demos-viewed.hdf5) instead of viewing the 200 demos again (8–19 min each).
step demos-viewed.hdf5 "$P" world view --model $W --data demos.hdf5 --out demos-viewed.hdf5
step sft-view.sqlite "$P" policy sft --data demos-viewed.hdf5 --config "$ROOT/configs/pick-bottle-sft.json" \
  --view-through $W --out sft-view.sqlite
wait
# Steps run in the background report failure only in their logs; the .done markers say what finished.
for out in demos.hdf5 sft.sqlite sft-eta04.hdf5 noisy02.hdf5 j-sft-eta04.hdf5 j-sft-ode.hdf5 j-noisy02.hdf5 j-expert.hdf5 \
           check-int-eta02.hdf5 ae8.sqlite $W demos-viewed.hdf5 sft-view.sqlite; do
  [[ -e $out.done ]] || { echo "$T pipeline: $out did not finish (see $DIR/$out.log)"; exit 1; }
done
echo "$T pipeline: every file is in $DIR"
