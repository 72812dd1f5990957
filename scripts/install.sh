#!/usr/bin/env bash
# Builds and installs wimcapture and wimappend into ${PREFIX:-/usr/local}/bin,
# with NTFS volume capture (libntfs-3g; Debian's ntfs-3g-dev is installed
# when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${PREFIX:-/usr/local}
tags=ntfs3g
if ! pkg-config --exists libntfs-3g 2>/dev/null; then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	if command -v apt-get >/dev/null 2>&1; then
		$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq ntfs-3g-dev pkg-config >/dev/null
	fi
fi
pkg-config --exists libntfs-3g 2>/dev/null || { echo "libntfs-3g not found: building without NTFS volume capture"; tags=""; }
mkdir -p "$prefix/bin"
go build -tags "$tags" -o "$prefix/bin/" ./cmd/...
echo "installed $prefix/bin/wimcapture and $prefix/bin/wimappend"
