//go:build !amd64 || purego

package lzms

// phiScan is phiGo's scan without the amd64 assembly.
func (f *lcpFinder) phiScan(in []byte, links []uint32, first int) {
	f.phiScanGo(in, links, first)
}

// buildIntervalsPhi is intervalsPhiGo without the amd64 assembly.
func (f *lcpFinder) buildIntervalsPhi(sa, links []uint32) int {
	return f.intervalsPhiGo(sa, links)
}
