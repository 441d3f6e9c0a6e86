#!/usr/bin/env bash
# Build, check and measure on a GPU host in one go (works offline once `pnpm install` has run).
#
#   scripts/gpu-host.sh [--prebuilt] [--out DIR] [--record] [--ncu] [--calibrate [IDS]] [--examples]
#                       [--harness] [--overhead [--compare-addon PATH]] [--sota] [--kernel-checks] [--sweep]
#
# 1. builds every package and the native addon with the CUDA backend (skipped with --prebuilt,
#    when built elsewhere and carried here);
# 2. runs the GPU tests (vitest project `native`): every dtype x head dim x causal, odd lengths,
#    the error paths;
# 3. measures the default GPU suite (`ratchet bench --backend cuda`), correctness first; with
#    --record, `ratchet run --backend cuda` instead: judged against the baseline, which takes this
#    GPU's new entries, and the run is kept in the history (as the main job does);
# 4. with --ncu, times one shape independently with Nsight Compute (gpu__time_duration) beside
#    our CUDA-event figure;
# 5. with --calibrate, measures how far verdicts can be trusted on this GPU (ratchet calibrate:
#    25 A/A comparisons per shape and 20 with an injected 1% slowdown, judged at 0.5 and 1%, up to
#    1 s a comparison at a 0.15% CI target: the final run of docs/benchmarks.md, 2026-12-02, about
#    26 s per benchmark, 7 minutes for the 16-benchmark suite on the H200); --calibrate IDS
#    (comma-separated benchmark ids) takes only those, each judged as one of the whole suite;
# 6. with --examples, guards the CUDA plugin and Triton examples from fresh repositories of their
#    own (scripts/gpu-examples.sh: new, unchanged, A/A, and a deliberately slowed commit caught);
#    with --harness, imports a real harness's output (scripts/gpu-harness.sh: Triton's perf_report
#    CSV compared A/A and against a slowed build, and `run --command --from triton --base`);
# 7. with --overhead, what one sample costs beyond the kernel (scripts/sample-overhead.mjs), and
#    with --compare-addon, the same for another build (e.g. one from before the generic harness),
#    alternated with this one so drift shows;
# 8. with --sota, our suite beside PyTorch SDPA (FlashAttention-2, memory-efficient, cuDNN),
#    measured in turns with ours (ratchet sota);
# 9. with --kernel-checks (needs nvcc), builds kernels/dev/flash_sm90_bench and checks every
#    Hopper version against the reference on the test matrix and on climbing scores (adversarial),
#    then under compute-sanitizer memcheck and racecheck on small shapes when it is installed;
# 10. with --sweep (needs nvcc and PyTorch with CUDA), builds the kernels as one shared library with
#    the versions on trial (-DRATCHET_DEV_KNOBS) and runs kernels/dev/sdpa_sweep.py: every version on
#    the odd-shape matrix against fp64, then every Hopper version in turns beside cuDNN on the suite's
#    and FlashAttention-3's shapes in both dtypes (the table the default dispatch is chosen from, per
#    GPU), then the default alone beside cuDNN and FA2, 20 rounds, every sample after its own side
#    (about 3 minutes on an H100 before that doubled the launches), then kernels/dev/clock_probe.py:
#    FlashAttention-3's long D128 shapes rested and at the board's power limit, with the SM clock;
#    and, where Nsight Compute is installed, the SM clock inside a B2 H16 S8192 D128 launch, ours and
#    cuDNN's, in both dtypes (kernels/dev/ncu_clock.py: NVML's reading is the clock around a launch);
# and prints a short table last. Logs and JSON land in --out (default results/gpu-host).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 3
prebuilt=0; sweep=0; ncu=0; calibrate=0; calibrate_ids=; examples=0; harness=0; overhead=0; record=0; compare_addon=; sota=0; kernel_checks=0; out=results/gpu-host
while [ $# -gt 0 ]; do
  case "$1" in
    --prebuilt) prebuilt=1 ;;
    --ncu) ncu=1 ;;
    --calibrate) calibrate=1; case "${2:-}" in ''|--*) ;; *) calibrate_ids="$2"; shift ;; esac ;;
    --examples) examples=1 ;;
    --harness) harness=1 ;;
    --overhead) overhead=1 ;;
    --record) record=1 ;;
    --compare-addon) compare_addon="$2"; shift ;;
    --out) out="$2"; shift ;;
    --sota) sota=1 ;;
    --kernel-checks) kernel_checks=1 ;;
    --sweep) sweep=1 ;;
    *) echo "gpu-host.sh: unknown option $1 (expected --prebuilt, --record, --ncu, --calibrate [IDS], --examples, --harness, --overhead, --compare-addon PATH, --sota, --kernel-checks, --sweep, --out DIR)" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$out"
node=${RATCHET_NODE:-node}
command -v "$node" >/dev/null || { echo "gpu-host.sh: no node on PATH (set RATCHET_NODE)" >&2; exit 3; }
status=0

echo "== device"
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,temperature.gpu,power.draw --format=csv 2>&1 | tee "$out/nvidia-smi.csv"

if [ "$prebuilt" = 0 ]; then
  echo "== build"
  "$node" node_modules/nx/dist/bin/nx.js run-many -t build --outputStyle=static 2>&1 | tee "$out/build.log" || exit 3
fi

echo "== GPU tests"
"$node" node_modules/vitest/vitest.mjs run --project native --reporter=default --reporter=json \
  --outputFile="$out/gpu-tests.json" 2>&1 | tee "$out/gpu-tests.log" || status=1

echo "== default GPU suite"
suite_command=bench; [ "$record" = 1 ] && suite_command=run
"$node" packages/cli/dist/bin.js --config ratchet.config.json "$suite_command" --backend cuda 2>&1 | tee "$out/bench.log"
[ "${PIPESTATUS[0]}" = 0 ] || status=1
cp results/current.json "$out/current.json" 2>/dev/null

if [ "$ncu" = 1 ] && command -v ncu >/dev/null; then
  echo "== independent timing (Nsight Compute)"
  "$node" scripts/timing-crosscheck.mjs --ncu 2>&1 | tee "$out/crosscheck.log" || status=1
fi

if [ "$overhead" = 1 ]; then
  echo "== per-sample overhead"
  for _ in 1 2; do
    [ -n "$compare_addon" ] && { "$node" scripts/sample-overhead.mjs --addon "$compare_addon" 2>&1 | tee -a "$out/overhead.log" || status=1; }
    "$node" scripts/sample-overhead.mjs 2>&1 | tee -a "$out/overhead.log" || status=1
  done
fi

if [ "$kernel_checks" = 1 ]; then
  echo "== Hopper kernel checks (flash_sm90_bench)"
  if command -v nvcc >/dev/null; then
    # The build command of kernels/dev/flash_sm90_bench.cu's header.
    nvcc -O3 -std=c++17 --use_fast_math -gencode=arch=compute_90a,code=sm_90a -Ikernels -Inative/src \
      kernels/dev/flash_sm90_bench.cu kernels/flash_fwd_variants.cu kernels/flash_fwd_{fp16,bf16}_d{64,128}.cu \
      kernels/reference.cu kernels/tensor_map.cu kernels/flash_sm90_v{1,2,3,4,5,6,7,8,9}.cu -DRATCHET_WITH_SM90A \
      -o "$out/flash_sm90_bench" > "$out/kernel-checks.log" 2>&1 || status=1
    for mode in check adversarial; do
      [ -x "$out/flash_sm90_bench" ] && { "$out/flash_sm90_bench" "$mode" 2>&1 | tee -a "$out/kernel-checks.log" | tail -n 1; [ "${PIPESTATUS[0]}" = 0 ] || status=1; }
    done
    # Memory errors and shared-memory races on small shapes (S 17 and 129, fp16), every version.
    if [ -x "$out/flash_sm90_bench" ] && command -v compute-sanitizer >/dev/null; then
      for tool in memcheck racecheck; do
        compute-sanitizer --tool "$tool" --error-exitcode 1 "$out/flash_sm90_bench" sanitize > "$out/sanitizer-$tool.log" 2>&1
        sanitized=$?
        echo "compute-sanitizer $tool: exit $sanitized ($(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "$out/sanitizer-$tool.log" | tail -n 1))"
        [ "$sanitized" = 0 ] || status=1
      done
    fi
  else
    echo "no nvcc here: kernel checks skipped (build kernels/dev/flash_sm90_bench elsewhere, see its header)"
  fi
fi

if [ "$sweep" = 1 ]; then
  echo "== every Hopper version beside cuDNN (kernels/dev/sdpa_sweep.py)"
  if command -v nvcc >/dev/null && python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    # sdpa_sweep.py's header's build, one object per source in parallel, then one shared library.
    objects="$out/sweep-objects"; mkdir -p "$objects"
    ls kernels/flash_fwd_variants.cu kernels/flash_fwd_{fp16,bf16}_d{64,128}.cu kernels/reference.cu kernels/tensor_map.cu kernels/flash_sm90_v*.cu |
      xargs -P "$(nproc)" -I{} sh -c 'nvcc -O3 -std=c++17 --use_fast_math -lineinfo -Xcompiler -fPIC -gencode=arch=compute_90a,code=sm_90a -Ikernels \
        -DRATCHET_WITH_SM90A -DRATCHET_DEV_KNOBS -c {} -o "$1/$(basename {} .cu).o"' _ "$objects" > "$out/sweep-build.log" 2>&1 &&
      nvcc -shared "$objects"/*.o -o "$out/libratchet_attention.so" >> "$out/sweep-build.log" 2>&1 || { echo "sweep: the build failed ($out/sweep-build.log)"; status=1; }
    if [ -f "$out/libratchet_attention.so" ]; then
      sweep_tool="python3 kernels/dev/sdpa_sweep.py --lib $out/libratchet_attention.so"
      $sweep_tool --check-matrix > "$out/sweep-check-matrix.log" 2>&1 || status=1
      tail -n 1 "$out/sweep-check-matrix.log"
      if grep -q -E "FAILED|Traceback" "$out/sweep-check-matrix.log"; then
        echo "sweep: a version failed the odd-shape matrix: not timed ($out/sweep-check-matrix.log)"; status=1
      else
        # Every sample after its own side (--precede own): in rotation a side mostly follows one other, and
        # at ~50 us shapes that moved one kernel by 2% on an H100, the dispatch's own threshold.
        $sweep_tool --shapes suite,fa3 --dtypes fp16,bf16 --rounds 10 --peers cudnn --precede own --json "$out/sweep-versions.json" > "$out/sweep-versions.log" 2>&1 || status=1
        $sweep_tool --shapes suite,fa3 --dtypes fp16,bf16 --rounds 20 --variants default --precede own --json "$out/sweep-default.json" > "$out/sweep-default.log" 2>&1 || status=1
        grep -E "^(fp16|bf16)" "$out/sweep-versions.log" | sed 's/sm90_//g; s/ | default .*//' | tee "$out/sweep-best.txt" | tail -n 3
        # The long D128 shapes rested and at the board's power limit, with the SM clock behind each figure.
        python3 kernels/dev/clock_probe.py --lib "$out/libratchet_attention.so" --json "$out/clock-probe.json" > "$out/clock-probe.log" 2>&1 || status=1
        tail -n 2 "$out/clock-probe.log"
        if command -v ncu >/dev/null; then
          # NVML reads the clock around a launch; Nsight Compute counts the SM's cycles inside it. -c 8 keeps
          # the non-causal shape's launches (6 a side at --rounds 1, first) and none of its causal twin's,
          # which --only also matches, so the summary's FLOP count holds for every launch it reads.
          sms=$(python3 -c "import torch; print(torch.cuda.get_device_properties(0).multi_processor_count)")
          for dtype in fp16 bf16; do
            ncu --clock-control none --cache-control all --csv -k regex:"flashForward|fprop" -c 8 \
              --metrics sm__cycles_elapsed.avg.per_second,gpu__time_duration.sum,sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_active \
              $sweep_tool --shapes fa3 --only "$dtype B2 H16 S8192 D128" --dtypes $dtype --rounds 1 --variants default --peers cudnn \
              > "$out/ncu-clock-$dtype.csv" 2>&1 || status=1
            python3 kernels/dev/ncu_clock.py "$out/ncu-clock-$dtype.csv" --flops $((4 * 2 * 16 * 8192 * 8192 * 128)) --sms "$sms" \
              | sed "s/^/$dtype B2 H16 S8192 D128 /" | tee -a "$out/ncu-clock.txt" || status=1
          done
        fi
      fi
    fi
  else
    echo "no nvcc or no PyTorch with CUDA here: the sweep skipped (kernels/dev/sdpa_sweep.py's header has the commands)"
  fi
fi

if [ "$sota" = 1 ]; then
  echo "== ours beside SDPA (in turns)"
  "$node" packages/cli/dist/bin.js --config ratchet.config.json sota --backend cuda \
    --peers torch-sdpa/flash torch-sdpa/efficient torch-sdpa/cudnn 2>&1 | tee "$out/sota.log"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
  cp results/sota.md results/sota.json results/sota.svg "$out/" 2>/dev/null
fi

if [ "$examples" = 1 ]; then
  echo "== examples"
  scripts/gpu-examples.sh --out "$out/examples" || status=1
fi

if [ "$harness" = 1 ]; then
  echo "== harness"
  scripts/gpu-harness.sh --out "$out/harness" || status=1
fi

if [ "$calibrate" = 1 ]; then
  echo "== calibration"
  IFS=, read -r -a ids <<<"$calibrate_ids"
  "$node" packages/cli/dist/bin.js --config ratchet.config.json calibrate --backend cuda --trials 25 \
    --slowdowns 1 --sensitivity-trials 20 --set-time-ms 1000 --set-target 0.0015 --thresholds 0.5,1 "${ids[@]}" 2>&1 | tee "$out/calibration.log"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
  cp results/calibration.json results/calibration.md "$out/" 2>/dev/null
fi

echo "== summary"
if [ -f "$out/gpu-tests.json" ]; then
  "$node" -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(`GPU tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)' "$out/gpu-tests.json"
fi
[ -f "$out/current.json" ] && "$node" scripts/results-table.mjs "$out/current.json"
[ -f "$out/sweep-default.log" ] && grep -E "^(fp16|bf16)" "$out/sweep-default.log" | sed 's/: .* | default /: /; s/ (.*//'
exit "$status"
