//go:build !amd64 || purego

package lzms

// deltaNext hashes position pos's first deltaMinLen differences at every
// span into slots and prefetches those table entries; w is the text from
// pos-maxSpan to pos+4.
func deltaNext(slots *[deltaPowers]uint32, w []byte, pos int, table []int32) {
	deltaNextGo(slots, w, pos, table)
}

const deltaWide = false

func (f *deltaFinder) findWide(p int, out []match) []match { return f.findGo(p, out, true) }
