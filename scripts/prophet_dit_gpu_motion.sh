#!/bin/bash
# Session 9's GPU call (docs/results.md part 11): the motion-weighted loss on pick-bottle's own-autoencoder Prophet.
# DiT trainings side by side on one GPU, continued from the Swift-trained DiT (same size): plain loss (mw0),
# --motion-weight 2 and 8; and a larger DiT (D 160, depth 6, fresh) at weight 4 and plain (big-mw4, big-mw0).
# Cosine over the time limit; the weights of the lowest (unweighted) validation loss come back.
# Session 9 ran it on one warm H200 as RUNS="mw0 mw2 mw8 big-mw4" (only mw0's and big-mw4's files came back), then
# RUNS="mw2 mw8 big-mw0".
# Expects .gpu/bottle-ow-data.safetensors.xz (world export-dit-data, then scripts/dit_data_pack.py) and
# .gpu/bottle-ow-init.safetensors (prophrl runs export), and $OUT. Run from the repository root on the GPU machine:
# TL=200 bash scripts/prophet_dit_gpu_motion.sh            (RUNS="mw2 mw8" for a subset)
# The device returns at most 8 files of ≤ 16 MiB per call: the *-best weights and one tar of the logs come back.
cd "$(dirname "$0")/.."
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
python3 -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name(0))"
python3 scripts/prophet_dit_fixture.py --check-loss || exit 1
L=${TL:-200}; S=scripts/prophet_dit_train.py; W=/tmp/w; D=.gpu/bottle-ow-data.safetensors.xz; mkdir -p $W
common="--data $D --steps 100000000 --batch 512 --schedule cosine --schedule-by-time --time-limit $L --min-lr 1e-5 --val-every 500 --val-samples 512 --log-every 500 --tf32 --compile --compile-mode reduce-overhead --seed 1"
run() { # name, options…
  local n=$1; shift
  [[ " ${RUNS:-mw0 mw2 mw8 big-mw4 big-mw0} " == *" $n "* ]] || return 0
  python3 $S $common "$@" --out $OUT/$n-final.safetensors --keep-best $OUT/$n-best.safetensors --log-json $OUT/$n.json > $OUT/$n.log 2>&1 &
}
cont="--init .gpu/bottle-ow-init.safetensors --lr 1e-4 --warmup 200"
run mw0 $cont
run mw2 $cont --motion-weight 2
run mw8 $cont --motion-weight 8
big="--model-width 160 --depth 6 --heads 2 --adalnrank 48 --lr 3e-4 --warmup 1000"
run big-mw4 $big --motion-weight 4
run big-mw0 $big
sleep 60; nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader
wait
for f in $OUT/*.log; do echo "== $f"; grep -m3 "model:\|compile\|Error\|error" $f; tail -n 2 $f; done
(cd $OUT && tar cf dit-logs.tar *.log *.json && rm -f *.log *.json *-final.safetensors)
ls -la $OUT
