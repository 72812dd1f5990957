//go:build unix && !linux

package fsutil

// noATime is 0 where open(2) has no O_NOATIME (macOS, the BSDs): reading
// updates the access time there, as it does for every other reader.
const noATime = 0
