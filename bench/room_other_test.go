//go:build !linux

package bench

// checkRoom: the free-space check is Linux-only (Statfs differs by OS);
// elsewhere the generator just runs.
func checkRoom(dir string, inodes, bytes int64) error { return nil }
