package lzms

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// saisInputs are texts of the shapes the suffix sorter meets, each in
// several sizes: random over small and full alphabets, periodic, runs,
// binary (random bytes with zero runs and repeats) and text (words with
// repeats); and the edge cases n = 0, 1, 2 and all-equal.
func saisInputs(sizes []int) map[string][]byte {
	rng := rand.New(rand.NewPCG(11, 12))
	words := []string{"func ", "return ", "if err != nil {", "\n\t", "}\n", "x", "int", "byte", " := ", "for ", "range ", "// "}
	out := map[string][]byte{
		"empty": {}, "one": {7}, "two-eq": {3, 3}, "two-up": {1, 2}, "two-down": {2, 1},
	}
	for _, n := range sizes {
		gen := []struct {
			name string
			at   func(i int, b []byte) byte
		}{
			{"rand2", func(int, []byte) byte { return byte(rng.IntN(2)) }},
			{"rand4", func(int, []byte) byte { return byte(rng.IntN(4)) }},
			{"rand256", func(int, []byte) byte { return byte(rng.Uint32()) }},
			{"equal", func(int, []byte) byte { return 'a' }},
			{"period3", func(i int, _ []byte) byte { return "abc"[i%3] }},
			{"period7", func(i int, _ []byte) byte { return byte(i % 7 * 40) }},
			{"period1000", func(i int, b []byte) byte {
				if i < 1000 {
					return byte(rng.IntN(256))
				}
				return b[i-1000]
			}},
			{"runs", func(i int, b []byte) byte {
				if i > 0 && rng.IntN(20) != 0 {
					return b[i-1]
				}
				return byte(rng.IntN(3))
			}},
			{"binary", func(i int, b []byte) byte {
				switch {
				case i%4096 < 512:
					return 0
				case i >= 5000 && rng.IntN(8) != 0:
					return b[i-5000+rng.IntN(2)]
				}
				return byte(rng.Uint32())
			}},
		}
		for _, g := range gen {
			b := make([]byte, n)
			for i := range b {
				b[i] = g.at(i, b)
			}
			out[fmt.Sprintf("%s/%d", g.name, n)] = b
		}
		var text []byte
		for len(text) < n {
			if len(text) > 200 && rng.IntN(3) == 0 {
				at := rng.IntN(len(text) - 100)
				text = append(text, text[at:at+1+rng.IntN(99)]...)
			} else {
				text = append(text, words[rng.IntN(len(words))]...)
			}
		}
		out[fmt.Sprintf("text/%d", n)] = text[:n]
	}
	return out
}

// naiveSuffixArray sorts the suffixes by comparing them.
func naiveSuffixArray(in []byte) []int32 {
	sa := make([]int32, len(in))
	for i := range sa {
		sa[i] = int32(i)
	}
	slices.SortFunc(sa, func(a, b int32) int { return bytes.Compare(in[a:], in[b:]) })
	return sa
}

// sortedErr tells why sa is not the suffix array of in: a permutation of
// its positions in increasing order of their suffixes. Neighbours are
// compared by their first byte, then by the ranks of the suffixes one
// further on (the empty suffix ranks lowest): linear, where comparing the
// suffixes is quadratic on periodic texts.
func sortedErr(in []byte, sa []int32) error {
	n := len(in)
	if len(sa) != n {
		return fmt.Errorf("%d entries for %d positions", len(sa), n)
	}
	rank := make([]int32, n+1) // rank[p]: 1 + the rank of suffix p; rank[n] = 0
	for r, p := range sa {
		if p < 0 || int(p) >= n || rank[p] != 0 {
			return fmt.Errorf("entry %d is %d: not a permutation", r, p)
		}
		rank[p] = int32(r + 1)
	}
	for r := 1; r < n; r++ {
		a, b := sa[r-1], sa[r]
		if in[a] > in[b] || in[a] == in[b] && rank[a+1] >= rank[b+1] {
			return fmt.Errorf("suffixes %d and %d out of order at rank %d", a, b, r)
		}
	}
	return nil
}

func buildSA(in []byte) []int32 {
	n := len(in)
	sa := make([]int32, n)
	suffixArray(in, sa, 256, make([]int32, n+256), make([]uint64, saisBitmap(n)))
	return sa
}

// TestSuffixArrayNaive compares suffixArray with a comparison sort on every
// shape of saisInputs up to 4 KiB, and checks the order of the bigger ones,
// past cachedChunk (where the induction passes prefetch and the recursion's
// branch).
func TestSuffixArrayNaive(t *testing.T) {
	sizes := []int{3, 4, 5, 8, 17, 64, 65, 100, 1000, 4097, 40000}
	if !testing.Short() {
		sizes = append(sizes, 700<<10)
	}
	for name, in := range saisInputs(sizes) {
		sa := buildSA(in)
		if len(in) <= 4097 {
			if want := naiveSuffixArray(in); !slices.Equal(sa, want) {
				t.Fatalf("%s: suffix array differs from the naive sort", name)
			}
		}
		if err := sortedErr(in, sa); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

// TestSortedErr checks the order check: it takes the naive sort's arrays
// and refuses them with two neighbours swapped or an entry repeated.
func TestSortedErr(t *testing.T) {
	for name, in := range saisInputs([]int{5, 100, 1000}) {
		sa := naiveSuffixArray(in)
		if err := sortedErr(in, sa); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for r := 1; r < len(sa); r += 1 + r/4 {
			bad := slices.Clone(sa)
			bad[r-1], bad[r] = bad[r], bad[r-1]
			if sortedErr(in, bad) == nil {
				t.Fatalf("%s: ranks %d and %d swapped, not seen", name, r-1, r)
			}
			bad[r-1] = bad[r]
			if sortedErr(in, bad) == nil {
				t.Fatalf("%s: entry %d repeated, not seen", name, r)
			}
		}
	}
}

// TestSuffixArrayMaxChunk checks the suffix array of a 64 MiB chunk, the
// widest positions the lcp-interval finder takes.
func TestSuffixArrayMaxChunk(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB")
	}
	const n = 64 << 20
	in := saisInputs([]int{n / 2})["binary/33554432"]
	in = append(in, saisInputs([]int{n / 2})["text/33554432"]...)
	if err := sortedErr(in, buildSA(in)); err != nil {
		t.Fatal(err)
	}
}

// TestStoreLCP checks both ways of storing the lcps (direct comparisons
// into sa, and storeLCPPhi's into links) against the lcps measured one by one, on chunks below and
// above cachedChunk, at nice values with one code per lcp and with shared
// codes (26-bit positions).
func TestStoreLCP(t *testing.T) {
	sizes := []int{2, 5, 100, 4097}
	if !testing.Short() {
		sizes = append(sizes, 600<<10)
	}
	for name, in := range saisInputs(sizes) {
		n := len(in)
		if n < 2 {
			continue
		}
		sa0 := buildSA(in)
		for _, c := range []struct{ chunk, nice int }{{1 << 20, 255}, {1 << 26, 100}, {1 << 26, 8}} {
			var f lcpFinder
			f.init(c.chunk, c.nice)
			mask := uint32(1)<<f.posBits - 1
			want := make([]uint32, n)
			for r, p := range sa0 {
				want[r] = uint32(p)
				if r > 0 {
					q := int(sa0[r-1])
					h := extend(in, q, int(p), 0, min(c.nice, n-max(q, int(p))))
					want[r] |= uint32(f.code[h]) << f.posBits
				}
			}
			for _, way := range []string{"direct", "phi"} {
				sa := make([]uint32, n)
				for r, p := range sa0 {
					sa[r] = uint32(p)
				}
				if way == "direct" {
					f.storeLCPDirect(in, sa)
				} else {
					// The lcps in links, by position: moved to
					// sa as the direct way stores them.
					links := make([]uint32, n)
					f.storeLCPPhi(in, sa, links)
					for r, p := range sa {
						sa[r] = p | links[p]
					}
				}
				for r := range sa {
					if sa[r] != want[r] {
						t.Fatalf("%s chunk %d nice %d %s: rank %d: position %d lcp code %d, want %d %d",
							name, c.chunk, c.nice, way, r, sa[r]&mask, sa[r]>>f.posBits, want[r]&mask, want[r]>>f.posBits)
					}
				}
			}
		}
	}
}

// TestIndexWays checks that index's two ways (lcps into links and the
// interval scan reading them there; lcps into sa and the scan over sa)
// build the same interval tree and links, on chunks below and above
// cachedChunk, with one code per lcp and with shared codes.
func TestIndexWays(t *testing.T) {
	sizes := []int{2, 5, 100, 4097, 131072}
	if !testing.Short() {
		sizes = append(sizes, 600<<10)
	}
	for name, in := range saisInputs(sizes) {
		n := len(in)
		if n < 2 {
			continue
		}
		sa0 := buildSA(in)
		for _, c := range []struct{ chunk, nice int }{{1 << 20, 255}, {1 << 26, 100}, {1 << 17, 8}} {
			if n > c.chunk {
				continue
			}
			var f lcpFinder
			f.init(c.chunk, c.nice)
			direct, phi := make([]uint32, n), make([]uint32, n)
			for r, p := range sa0 {
				direct[r], phi[r] = uint32(p), uint32(p)
			}
			directLinks, phiLinks := make([]uint32, n), make([]uint32, n)
			f.storeLCPDirect(in, direct)
			f.buildIntervals(direct, directLinks)
			f.storeLCPPhi(in, phi, phiLinks)
			f.buildIntervalsPhi(phi, phiLinks)
			what := fmt.Sprintf("%s chunk %d nice %d", name, c.chunk, c.nice)
			// Past the intervals, the arrays hold what the scans
			// left of sa (with and without lcps).
			mask := uint32(1)<<f.posBits - 1
			used := uint32(0)
			for _, v := range directLinks {
				used = max(used, v&mask+1)
			}
			for i := uint32(0); i < used; i++ {
				used = max(used, direct[i]&mask+1)
			}
			if used > uint32(n) {
				t.Fatalf("%s: %d intervals", what, used)
			}
			phi, direct = phi[:used], direct[:used]
			if i := firstDiffU32(phi, direct); i >= 0 {
				t.Fatalf("%s: interval %d: %#x, want %#x", what, i, phi[i], direct[i])
			}
			if i := firstDiffU32(phiLinks, directLinks); i >= 0 {
				t.Fatalf("%s: link of %d: %#x, want %#x", what, i, phiLinks[i], directLinks[i])
			}
		}
	}
}

// firstDiffU32 is the first index where a and b (of one length) differ, or -1.
func firstDiffU32(a, b []uint32) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// TestLongLCPs checks the pick between the two ways: a block repeated at a
// distance past repeats.go's reach has nearly every lcp at nice (the text-order
// way), text and binaries far fewer (direct), and a text repeated at half
// its length has every other lcp at nice (the sample must not fall in step
// with that).
func TestLongLCPs(t *testing.T) {
	const n = 1 << 20
	ins := saisInputs([]int{n / 2, n})
	cases := []struct {
		name string
		in   []byte
		long bool
	}{
		{"text", ins["text/1048576"], false},
		{"binary", ins["binary/1048576"], false},
		{"period1000", ins["period1000/1048576"], true},
		{"halves", append(bytes.Clone(ins["rand256/524288"]), ins["rand256/524288"]...), true},
	}
	for _, c := range cases {
		var f lcpFinder
		f.init(n, 200)
		sa := buildSA(c.in)
		if got := f.longLCPs(c.in, unsafe.Slice((*uint32)(unsafe.Pointer(&sa[0])), n)); got != c.long {
			t.Errorf("%s: longLCPs %v, want %v", c.name, got, c.long)
		}
	}
}

// TestCompressRoundTripBig round-trips a few MiB through 4 MiB chunks: the
// build's paths for chunks past cachedChunk (prefetched induction, direct
// lcps).
func TestCompressRoundTripBig(t *testing.T) {
	const chunk = 4 << 20
	ins := saisInputs([]int{2 << 20})
	data := append(bytes.Clone(ins["text/2097152"]), ins["binary/2097152"]...)
	data = append(data, ins["runs/2097152"][:1<<20]...)
	c, err := NewCompressor(chunk, 50)
	if err != nil {
		t.Fatal(err)
	}
	recs := compressAll(t, c, chunk, data)
	if got := decodeRecords(t, chunk, recs); !bytes.Equal(got, data) {
		t.Fatalf("round trip differs at %d", firstDiff(got, data))
	}
}

// TestFindLMS compares findLMS's bitmap with the LMS positions found from
// the types one position at a time, over byte texts (the eight-at-a-time
// comparisons, bytes with the top bit set among them) and the same texts
// as int32 symbols.
func TestFindLMS(t *testing.T) {
	for name, in := range saisInputs([]int{3, 8, 9, 63, 64, 65, 100, 1000, 4097}) {
		n := len(in)
		want := make([]uint64, (n+63)/64)
		sType := false // of p+1; the last position is L-type
		for p := n - 1; p >= 0; p-- {
			s := p < n-1 && (in[p] < in[p+1] || in[p] == in[p+1] && sType)
			if !s && sType {
				want[(p+1)>>6] |= 1 << ((p + 1) & 63)
			}
			sType = s
		}
		got := make([]uint64, len(want))
		findLMS(in, got)
		if !slices.Equal(got, want) {
			t.Fatalf("%s: byte text: LMS bitmap differs", name)
		}
		in32 := make([]int32, n)
		for i, c := range in {
			in32[i] = int32(c) * 1000
		}
		clear(got)
		findLMS(in32, got)
		if !slices.Equal(got, want) {
			t.Fatalf("%s: int32 text: LMS bitmap differs", name)
		}
	}
}

// TestSaisEqual compares the naming's substring comparison with
// slices.Equal over every pair of offsets and length in a short text
// that differs from its copy in one place, near either end of the text
// (where the eight-byte loads do not fit).
func TestSaisEqual(t *testing.T) {
	const n = 40
	for d := 0; d < n; d += 3 {
		in := make([]byte, 2*n)
		for i := range n {
			in[i] = byte(i * 7)
			in[n+i] = in[i]
		}
		in[n+d] ^= 0x80
		in32 := make([]int32, len(in))
		for i, c := range in {
			in32[i] = int32(c) << 16
		}
		for a := 0; a < n; a++ {
			for l := 0; a+n+l <= len(in); l++ {
				want := slices.Equal(in[a:a+l], in[a+n:a+n+l])
				if got := saisEqual(in, a, a+n, l); got != want {
					t.Fatalf("bytes at %d and %d, length %d (differ at %d): %v", a, a+n, l, d, got)
				}
				if got := saisEqual(in32, a+n, a, l); got != want {
					t.Fatalf("int32 at %d and %d, length %d (differ at %d): %v", a+n, a, l, d, got)
				}
			}
		}
	}
}

// TestSuffixArrayAllShort compares suffixArray with the naive sort on every
// text of up to 8 symbols over a 3-symbol alphabet: the edge cases of the
// LMS substrings (one reaching the end of the text, equal to another but
// for the sentinel) all occur among them.
func TestSuffixArrayAllShort(t *testing.T) {
	for n := 1; n <= 8; n++ {
		in := make([]byte, n)
		for {
			if sa, want := buildSA(in), naiveSuffixArray(in); !slices.Equal(sa, want) {
				t.Fatalf("%v: suffix array %v, want %v", in, sa, want)
			}
			i := 0
			for i < n && in[i] == 2 {
				in[i] = 0
				i++
			}
			if i == n {
				break
			}
			in[i]++
		}
	}
}

// TestSuffixArraySmallAlphabets checks random texts of 9 to 300 symbols
// over 2 to 4 letters against the naive sort: many LMS substrings there
// share their first bytes, at every pair of lengths, which the naming's
// one-word comparison of substrings up to 8 bytes must tell apart
// (texts of up to 8 bytes never take it).
func TestSuffixArraySmallAlphabets(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for iter := range 3000 {
		k := 2 + iter%3
		in := make([]byte, 9+rng.IntN(292))
		for i := range in {
			in[i] = 'a' + byte(rng.IntN(k))
		}
		if sa, want := buildSA(in), naiveSuffixArray(in); !slices.Equal(sa, want) {
			t.Fatalf("%q: suffix array %v, want %v", in, sa, want)
		}
	}
}
