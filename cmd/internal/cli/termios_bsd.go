//go:build unix && !linux

package cli

import "golang.org/x/sys/unix"

// ioctlGetTermios is the ioctl that reads a terminal's settings (macOS and
// the BSDs).
const ioctlGetTermios = unix.TIOCGETA
