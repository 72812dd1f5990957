//go:build !amd64 || purego

package lzms

// climbs is climbsGo without the amd64 assembly.
func (f *lcpFinder) climbs(from, to int, out []match, ends []int32) (k, end int) {
	return f.climbsGo(from, to, out, ends)
}
