//go:build !amd64 || purego

package lzms

// buildIntervals is buildIntervalsGo without the amd64 assembly.
func (f *lcpFinder) buildIntervals(sa, links []uint32) int {
	return f.buildIntervalsGo(sa, links)
}
