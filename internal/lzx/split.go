package lzx

// Block splitting: a new block with fresh Huffman codes pays off when the
// symbol statistics change. The parser feeds cheap observations (8 literal
// classes by the top two bits and low bit of the byte, short and long
// matches) and every obsPerCheck observations the new ones are compared with
// the block's so far; a large enough histogram distance ends the block.
const (
	numObsClasses  = 10
	obsPerCheck    = 400
	minBlockSize   = 6500
	softMaxBlock   = 100000
	splitThreshold = 7 // of 8: Σ|new·N − old·n| ≥ n·N·7/8 ends the block
)

type splitter struct {
	obs, newObs [numObsClasses]uint32
	n, newN     uint32
}

func (s *splitter) reset() { *s = splitter{} }

func (s *splitter) literal(b byte) {
	s.newObs[(b>>5)&6|b&1]++
	s.newN++
}

func (s *splitter) match(length uint32) {
	i := 8
	if length >= 5 {
		i = 9
	}
	s.newObs[i]++
	s.newN++
}

// shouldEnd reports whether the block, blockLen bytes so far, should end
// here. It folds the new observations into the block's when it keeps going.
func (s *splitter) shouldEnd(blockLen int) bool {
	if s.newN < obsPerCheck {
		return false
	}
	if s.n != 0 && blockLen >= minBlockSize {
		var dist uint64
		for i := range s.obs {
			a := uint64(s.newObs[i]) * uint64(s.n)
			b := uint64(s.obs[i]) * uint64(s.newN)
			if a > b {
				dist += a - b
			} else {
				dist += b - a
			}
		}
		if dist*8 >= uint64(s.n)*uint64(s.newN)*splitThreshold {
			return true
		}
	}
	for i := range s.obs {
		s.obs[i] += s.newObs[i]
		s.newObs[i] = 0
	}
	s.n += s.newN
	s.newN = 0
	return false
}
