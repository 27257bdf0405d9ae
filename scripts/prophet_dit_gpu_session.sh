#!/bin/bash
# Session 8's GPU call (docs/results.md part 10): four DiT trainings side by side on one GPU. Per task, the Swift-trained
# DiT continued ("cont", same size) and a larger DiT from scratch ("big": D 160, depth 6); cosine over the time limit;
# the lowest validation loss is kept. Expects .gpu/{bottle,bowl}-data.safetensors.xz (world export-dit-data, then
# scripts/dit_data_pack.py) and .gpu/{bottle,bowl}-init.safetensors (the runs' denoiser.* weights), and $OUT for the
# results. Run from the repository root on the GPU machine: TL=260 bash scripts/prophet_dit_gpu_session.sh
cd "$(dirname "$0")/.."
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
python3 -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name(0))"
L=${TL:-260}; S=scripts/prophet_dit_train.py; W=/tmp/w; mkdir -p $W
common="--steps 100000000 --batch 512 --schedule cosine --schedule-by-time --time-limit $L --min-lr 1e-5 --val-every 1000 --val-samples 512 --log-every 500 --tf32 --compile --compile-mode reduce-overhead --seed 1"
for k in bottle bowl; do
  python3 $S --data .gpu/$k-data.safetensors.xz --init .gpu/$k-init.safetensors --lr 1e-4 --warmup 200 $common \
    --out $W/$k-cont.safetensors --keep-best $OUT/$k-cont-best.safetensors --log-json $W/$k-cont.json > $W/$k-cont.log 2>&1 &
  python3 $S --data .gpu/$k-data.safetensors.xz --model-width 160 --depth 6 --heads 2 --adalnrank 48 --lr 3e-4 --warmup 1000 $common \
    --out $W/$k-big.safetensors --keep-best $OUT/$k-big-best.safetensors --log-json $W/$k-big.json > $W/$k-big.log 2>&1 &
done
sleep 60; nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader
wait
for f in $W/*.log; do echo "== $f"; grep -m3 "model:\|compile\|Error\|error" $f; tail -n 3 $f; done
tar czf $OUT/logs.tgz -C $W $(cd $W && ls *.log *.json *-cont.safetensors 2>/dev/null)
ls -la $OUT
