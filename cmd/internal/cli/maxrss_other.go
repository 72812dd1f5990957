//go:build unix && !darwin

package cli

// maxrssUnit is the unit of getrusage's ru_maxrss: KiB on Linux and the
// BSDs.
const maxrssUnit = 1024
