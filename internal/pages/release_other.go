//go:build !unix

package pages

// Release keeps the pages where there is no madvise (see
// release_unix.go): memory is only held longer.
func Release([]byte) {}
