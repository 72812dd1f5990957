#!/usr/bin/env bash
# Prepares Wine for running the Windows builds on Linux (scripts/test.sh
# runs it before the tests): installs Debian's wine64 and the MinGW-w64 C
# compiler when missing, creates a Wine prefix, and builds and installs a
# bcryptprimitives.dll exporting ProcessPrng, which Go's Windows runtime
# needs for random numbers since Go 1.24 and Wine 8.0 lacks: it forwards to
# SystemFunction036 (RtlGenRandom) in advapi32, which Wine has.
#
# Then it checks that wimcapture.exe runs: prints its --help under Wine.
# Usage: scripts/wine-setup.sh   (environment: WINEPREFIX, default
# ~/.wine-wimgo). Afterwards run programs as
#   WINEPREFIX=~/.wine-wimgo WINEDEBUG=-all wine prog.exe
# Without the shim such a program dies at start with "fatal error:
# bcryptprimitives.dll not found". Wine 8.0 has no builtin of that name,
# so the native DLL in the prefix's system32 is loaded without a DLL
# override.
set -euo pipefail
cd "$(dirname "$0")/.."

export WINEPREFIX=${WINEPREFIX:-$HOME/.wine-wimgo}
export WINEDEBUG=${WINEDEBUG:--all}
# No Gecko/Mono install prompts and no display.
export WINEDLLOVERRIDES="mscoree,mshtml=;${WINEDLLOVERRIDES:-}"
unset DISPLAY

need=()
command -v wine >/dev/null 2>&1 || need+=(wine wine64)
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(gcc-mingw-w64-x86-64)
if [ ${#need[@]} -gt 0 ]; then
	echo "installing: ${need[*]}"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
wine=wine

if [ ! -f "$WINEPREFIX/system.reg" ]; then
	echo "creating the Wine prefix $WINEPREFIX"
	$wine wineboot --init >/dev/null 2>&1
	wineserver -w 2>/dev/null || true
fi

# The shim: ProcessPrng(PBYTE, SIZE_T) -> RtlGenRandom, which takes a
# ULONG length, so large requests go in pieces. Always returns TRUE, as
# the real one does (Go aborts otherwise).
sys32="$WINEPREFIX/drive_c/windows/system32"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/bcryptprimitives.c" <<'C'
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
C
cat >"$work/bcryptprimitives.def" <<'DEF'
LIBRARY bcryptprimitives.dll
EXPORTS
	ProcessPrng
DEF
x86_64-w64-mingw32-gcc -O2 -shared -s -o "$work/bcryptprimitives.dll" \
	"$work/bcryptprimitives.c" "$work/bcryptprimitives.def" -ladvapi32
cp "$work/bcryptprimitives.dll" "$sys32/bcryptprimitives.dll"

echo "checking wimcapture.exe under Wine"
GOOS=windows GOARCH=amd64 go build -o "$work/wimcapture.exe" ./cmd/wimcapture
out=$($wine "$work/wimcapture.exe" --help 2>&1) || {
	echo "$out"
	echo "wimcapture.exe --help failed under Wine" >&2
	exit 1
}
printf '%s\n' "$out" | sed -n 1,3p
echo "Wine is ready: WINEPREFIX=$WINEPREFIX"
