package lzx

type nearOptimal struct{}

func newNearOptimal(maxChunk int, p levelParams) *nearOptimal { return nil }
func nearOptimalMemory(maxChunk int) int64                    { return 0 }
func (no *nearOptimal) compress(c *Compressor, in []byte, n int) bool {
	return false
}
