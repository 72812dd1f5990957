package fsutil

import "golang.org/x/sys/unix"

// noATime is the open flag that leaves the access time alone.
const noATime = unix.O_NOATIME
