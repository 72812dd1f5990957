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
	// nice is wimlib's 48·level/50 times 4/3. Measured at level 50:
	// 0.02-0.2% smaller on the tar corpora, 0.15% on the whole Go tree
	// (which wimlib's 48 left only 11 KB under wimlib), 1.5% on the
	// metadata of a tree of numbered files (where 48 was 0.8% over
	// wimlib: a 60-byte stretch per dentry is worth weighing, not taking
	// whole), for about 4% more time. At level 100, 96 left the Go tree
	// 5 KB over wimlib; 128 is 11 KB under.
	nice := 64 * level / 50
	return levelParams{
		nearOptimal:    true,
		maxSearchDepth: max(1, 24*level/50),
		niceLen:        clampNice(nice),
		optimPasses:    passes,
	}
}

func clampNice(n int) int { return min(max(n, 3), maxMatchLen) }
