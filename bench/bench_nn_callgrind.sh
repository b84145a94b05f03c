#!/bin/sh
# Host instructions per sdk/nn inference (valgrind callgrind, exact and repeatable) for the MLPerf Tiny int8
# models, beside TFLM's reference-kernel figures from ../shared/models/expected/README.md ("host x86 instr").
# Usage: bench_nn_callgrind.sh NN_INVOKE_ONCE SHARED_MODELS_DIR
# The input of each model is its oracle case rand0 (inputs change the count by well under 0.1%).
set -eu
runner=$1
models=$2
expected=$models/expected
command -v valgrind >/dev/null || { echo "bench_nn_callgrind.sh: valgrind is not installed" >&2; exit 1; }
[ -d "$expected" ] || { echo "bench_nn_callgrind.sh: $expected: no such directory" >&2; exit 1; }
thousands() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# model, TFLM host x86 instructions (reference kernels)
table="mlperf_tiny_ad01_int8 2507949
mlperf_tiny_kws_ref_model 49949904
mlperf_tiny_str_ww_ref_model 10378512
mlperf_tiny_pretrainedResnet_quant 132845091
mlperf_tiny_vww_96_int8 121087677
tflm_person_detect 116419795
mlperf_tiny_pretrainedResnet_large_int8 666433022"

printf '| %-40s | %15s | %15s | %7s |\n' "model (int8)" "kiln sdk/nn" "TFLM reference" "ratio"
printf '|%s|%s|%s|%s|\n' "------------------------------------------" "----------------:" "----------------:" "--------:"
echo "$table" | while read -r model tflm; do
  out=$tmp/$model.callgrind
  valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no --callgrind-out-file="$out" \
    "$runner" "$models/$model.tflite" "$expected/$model/rand0.in.bin" >/dev/null 2>"$tmp/log" ||
    { echo "bench_nn_callgrind.sh: $model failed:" >&2; cat "$tmp/log" >&2; exit 1; }
  ours=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$out")
  [ -n "$ours" ] || ours=$(sed -n 's/^summary: \([0-9]*\).*/\1/p' "$out")
  ratio=$(awk -v a="$ours" -v b="$tflm" 'BEGIN { printf "%.2f", a / b }')
  printf '| %-40s | %15s | %15s | %7s |\n' "$model" "$(thousands "$ours")" "$(thousands "$tflm")" "$ratio"
done
