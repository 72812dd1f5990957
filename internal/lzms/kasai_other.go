//go:build !amd64 || purego

package lzms

// kasai is kasaiGo without the amd64 assembly.
func (f *lcpFinder) kasai(in []byte, sa, isa []uint32) {
	f.kasaiGo(in, sa, isa)
}
