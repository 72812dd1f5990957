//go:build !amd64 || purego

package lzms

// direct is directGo without the amd64 assembly.
func (f *lcpFinder) direct(in []byte, sa []uint32) {
	f.directGo(in, sa)
}
