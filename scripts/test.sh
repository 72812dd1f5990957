#!/usr/bin/env bash
# Runs every test: installs what the oracle tests need when missing
# (wimlib's tools, 7-Zip, ntfs-3g, hivex's shell for test hives), then go
# vet (natively and for the cross-build targets), a gofmt check and go test.
# Long fuzzing and benchmarks are separate: see the README.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v wimlib-imagex >/dev/null 2>&1 || need+=(wimtools)
command -v 7zz >/dev/null 2>&1 || need+=(7zip)
command -v mkntfs >/dev/null 2>&1 || need+=(ntfs-3g)
[ -e /usr/include/ntfs-3g/volume.h ] || need+=(ntfs-3g-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v setfattr >/dev/null 2>&1 || need+=(attr)
command -v hivexsh >/dev/null 2>&1 || need+=(libhivex-bin)
if [ ${#need[@]} -gt 0 ]; then
	echo "installing: ${need[*]}"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The Windows build runs under Wine in the oracle tests: install Wine and
# MinGW when missing, and prepare the prefix with the ProcessPrng shim.
scripts/wine-setup.sh

# NTFS volume capture is behind the ntfs3g tag (cgo + libntfs-3g); the
# build without it must keep working too.
go vet ./...
go vet -tags ntfs3g ./...
# Cross builds: every release target vets (test files included) and its
# commands build; linux/386 catches 32-bit overflows, linux/s390x
# big-endian ones, the others the OS-specific code behind build tags.
for target in windows/amd64 windows/arm64 darwin/arm64 darwin/amd64 \
	freebsd/amd64 linux/386 linux/arm64 linux/s390x; do
	GOOS=${target%/*} GOARCH=${target#*/} go vet ./...
	GOOS=${target%/*} GOARCH=${target#*/} go build -o /dev/null ./cmd/...
done
# staticcheck, pinned, from the Go module proxy the first time.
staticcheck_version=v0.8.2
staticcheck="$(go env GOPATH)/bin/staticcheck"
if ! "$staticcheck" -version 2>/dev/null | grep -q "${staticcheck_version#v}"; then
	GOFLAGS= go install "honnef.co/go/tools/cmd/staticcheck@$staticcheck_version"
fi
"$staticcheck" ./...
"$staticcheck" -tags ntfs3g ./...
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go test -tags ntfs3g -timeout 25m "$@" ./...
# The codecs' unchecked word loads have a checked twin under the purego
# tag, which panics on a load outside the buffer where the unchecked one
# would read past it unnoticed: the codec tests run with both.
go test -tags purego -timeout 10m "$@" ./internal/...
# Pointer arithmetic around the assembly calls (unsafe.Add, SliceData)
# must stay inside each allocation, or the garbage collector may throw on
# a pointer past it: checkptr checks every conversion in the packages that
# do it (and the pipeline that drives them).
go test -short -gcflags=all=-d=checkptr -timeout 10m "$@" ./internal/lzx ./internal/lzms ./internal/xpress ./engine/resource
