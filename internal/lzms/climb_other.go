//go:build !amd64 || purego

package lzms

// climbs is climbsGo without the amd64 assembly.
func (f *lcpFinder) climbs(from, to int, out []match) int {
	return f.climbsGo(from, to, out)
}
