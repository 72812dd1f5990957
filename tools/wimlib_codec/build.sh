#!/usr/bin/env bash
# Builds wimlib-codec (codec.c) against wimlib's compressors, from a wimlib
# source tree, with symbols and Debian's optimization flags (-O2), so that
# perf profiles of wimlib's codecs name its functions.
#   tools/wimlib_codec/build.sh WIMLIB_SRC OUT_DIR
# WIMLIB_SRC: a checkout of https://github.com/ebiggers/wimlib at the tag
# of the wimlib being compared (v1.13.5 for Debian's wimtools here).
# Then, for example:
#   perf record -e cpu-clock OUT_DIR/wimlib-codec lzx 32768 20 file.tar
#   perf report --sort sym
set -euo pipefail
src=${1:?wimlib source tree}
out=${2:?output directory}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
cfg=$(mktemp -d)
trap 'rm -rf "$cfg"' EXIT
: > "$cfg/config.h" # the codec sources need no configure results
cd "$src"
gcc -O2 -g -I include -I "$cfg" -DHAVE_CONFIG_H -o "$out/wimlib-codec" "$here/codec.c" \
	src/xpress_compress.c src/lzx_compress.c src/lzx_common.c \
	src/lzms_compress.c src/lzms_common.c src/lcpit_matchfinder.c src/divsufsort.c \
	src/compress_common.c src/x86_cpu_features.c src/util.c -lm
echo "$out/wimlib-codec"
