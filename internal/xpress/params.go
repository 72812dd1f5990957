package xpress

// parser selects how the compressor chooses between literals and matches.
type parser uint8

const (
	parseGreedy parser = iota // take the longest match at each position
	parseLazy                 // also look one byte ahead before committing
	parseNear                 // minimum-cost parse over all cached matches
)

// levelParams are the compressor settings derived from a level on wimlib's
// scale (20 quick, 50 default, 100 slow; any positive integer).
type levelParams struct {
	parser parser
	// useBT selects the binary-tree matchfinder (needed by the near-optimal
	// parser, which wants every match length at every position); otherwise
	// hash chains.
	useBT bool
	// maxSearchDepth bounds the candidates the matchfinder visits per position.
	maxSearchDepth int
	// niceLen is the length at which a match is taken without looking further.
	niceLen int
	// optimPasses is the number of cost-model passes of the near-optimal parser.
	optimPasses int
}

func params(level int) levelParams {
	// wimlib takes levels up to 2^32-2; past maxLevel every parameter below
	// has saturated, and clamping first keeps the products from overflowing.
	level = min(level, maxLevel)
	switch {
	case level < lazyFromLevel:
		return levelParams{
			parser:         parseGreedy,
			maxSearchDepth: max(1, level*24/20),
			niceLen:        clampNice(level * 60 / 16),
		}
	case level < 30:
		// From depth 4 up, looking one byte ahead buys more than a deeper
		// search: at level 20 the lazy parser with depth 6 codes the Go
		// tree (every file on its own) 0.9% smaller than greedy parsing
		// with depth 24 (wimlib's choice there is greedy with depth 37)
		// in the same time, and the tars and WIM metadata 0.2-1.8%.
		// Below depth 4 greedy wins at equal speed.
		return levelParams{
			parser:         parseLazy,
			maxSearchDepth: level * 6 / 20,
			niceLen:        clampNice(level * 60 / 16),
		}
	case level < 60:
		// The lazy parser weighs offsets (see score), which buys back part
		// of the ratio of a deeper search: depth 28 at level 50 beats
		// wimlib's 46 on the Go tree, on tar files of it and on WIM
		// metadata (depth 16 beat it only on the first).
		return levelParams{
			parser:         parseLazy,
			maxSearchDepth: max(1, level*28/50),
			niceLen:        clampNice(level * 60 / 32),
		}
	}
	return levelParams{
		parser:         parseNear,
		useBT:          true,
		maxSearchDepth: min(max(1, level*28/100), maxDepth),
		niceLen:        clampNice(level * 80 / 100),
		optimPasses:    min(max(1, level/40), maxPasses),
	}
}

// Saturation of the parameters for huge levels: wimlib's near-optimal
// parser would run level/40 passes (50,000 at level 2,000,000) and search
// depth level*28/100 with no bound; we stop at depth 1000 (as internal/lzms)
// and 10 passes (level 400), which bounds the time a chunk can take. nice
// reaches the chunk size at level 81,920, below maxLevel.
const (
	maxLevel  = 1 << 20
	maxDepth  = 1000
	maxPasses = 10
)

// lazyFromLevel is the lowest level with the lazy parser (depth 4).
const lazyFromLevel = 14

func clampNice(n int) int { return min(max(n, minMatchLen), maxChunk) }
