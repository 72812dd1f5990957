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

// Literals are counted only in newN as they come; their classes are
// taken from the block's literal tally when a check is due (litClasses),
// which equals what counting each literal's class would have given (the
// tally and the splitter start together) without a second counter update
// per literal, that was a chain of increments of a few hot counters.

// litClasses sets the new observations' literal classes from lits, the
// block's literal counts so far.
func (s *splitter) litClasses(lits *[maxMainSyms]uint32) {
	var sum [8]uint32
	for q := range 4 {
		even, odd := uint32(0), uint32(0)
		for i := q * 64; i < q*64+64; i += 2 {
			even += lits[i]
			odd += lits[i+1]
		}
		sum[2*q], sum[2*q+1] = even, odd
	}
	for i := range 8 {
		s.newObs[i] = sum[i] - s.obs[i]
	}
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
// here, lits being its literal counts. It folds the new observations into
// the block's when it keeps going.
func (s *splitter) shouldEnd(blockLen int, lits *[maxMainSyms]uint32) bool {
	s.litClasses(lits)
	return s.decide(blockLen)
}

// decide is shouldEnd once the new observations are complete.
func (s *splitter) decide(blockLen int) bool {
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
