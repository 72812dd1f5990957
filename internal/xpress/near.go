package xpress

type nearState struct{}

func newNearState(maxChunk int) *nearState { return &nearState{} }
func nearMemory(maxChunk int) int64        { return 0 }
func (c *Compressor) parseNear(n int) int  { return c.parseGreedyFallback(n) }
func (c *Compressor) parseGreedyFallback(n int) int {
	if c.hc == nil {
		c.hc = new(hcMatchfinder)
	}
	return c.parseGreedy(n)
}
