package lzx

// levelParams are the compressor settings derived from a level on wimlib's
// scale, where 20 is quick, 50 the default and 100 slow.
type levelParams struct {
	// nearOptimal selects the binary-tree matchfinder and the minimum-cost
	// parser; otherwise hash chains feed a lazy parser.
	nearOptimal bool
	// maxSearchDepth bounds the candidates the matchfinder visits per position.
	maxSearchDepth int
	// niceLen is the length at which a match is taken without looking further.
	niceLen int
	// optimPasses is the number of cost-model passes of the near-optimal parser.
	optimPasses int
}

// lazyMaxLevel is the highest level using the lazy parser, as in wimlib.
const lazyMaxLevel = 34

// highLevel is where "high" compression starts on wimlib's scale.
const highLevel = 100

func params(level int) levelParams {
	// wimlib takes levels up to 2^32-2; past maxLevel every parameter below
	// has saturated, and clamping first keeps the products from overflowing.
	level = min(level, maxLevel)
	if level <= lazyMaxLevel {
		return levelParams{
			maxSearchDepth: max(1, 60*level/20),
			niceLen:        clampNice(80 * level / 20),
		}
	}
	passes := 1
	for _, l := range [...]int{45, 70, 100, 150, 200, 300} {
		if level >= l {
			passes++
		}
	}
	nice := 48 * level / 50
	if level >= highLevel {
		// Measured on the whole Go tree: with wimlib's 96 at level 100 our
		// output was 5 KB larger than wimlib's; 128 makes it 11 KB smaller
		// for about 4% more time.
		nice = 64 * level / 50
	}
	return levelParams{
		nearOptimal:    true,
		maxSearchDepth: min(max(1, 24*level/50), maxDepth),
		niceLen:        clampNice(nice),
		optimPasses:    passes,
	}
}

// Saturation for huge levels: the search depth stops at 1000 (level 2084;
// as internal/lzms), which bounds the time per position and keeps a
// position's matches within the parser's match cache (LZX:2000000 had
// depth 960,000 and overran it). The lazy levels (up to 34) and the nice
// length (257 from level 201) saturate by themselves.
const (
	maxLevel = 1 << 20
	maxDepth = 1000
)

func clampNice(n int) int { return min(max(n, 3), maxMatchLen) }
