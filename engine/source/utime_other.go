//go:build unix && !darwin

package source

import "golang.org/x/sys/unix"

// utimeOmit leaves a time unchanged in utimensat(2).
const utimeOmit = unix.UTIME_OMIT
