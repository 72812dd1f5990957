package lzms

import (
	"bytes"
	"fmt"
	"sync/atomic"
	"testing"
)

// testSpare is a Spare whose answers follow the test: take says whether
// the n-th Take succeeds, crowded whether the n-th Crowded is true.
type testSpare struct {
	take, crowded      func(n int64) bool
	takes, asks, gives atomic.Int64
	tries              atomic.Int64
}

func (s *testSpare) Take() bool {
	if !s.take(s.tries.Add(1)) {
		return false
	}
	s.takes.Add(1)
	return true
}
func (s *testSpare) Give()         { s.gives.Add(1) }
func (s *testSpare) Crowded() bool { return s.crowded(s.asks.Add(1)) }

// aheadInput is text-like data (words, long copies of earlier passages)
// and, with period, a long periodic stretch that the finder leaves out of
// its suffix array (repeats.go).
func aheadInput(n int, period bool) []byte {
	words := []string{"func ", "return ", "if err != nil ", "{\n\t", "}\n", "package lzms\n", "x := ", "for i := range ", "match", "offset", "length", "(p, out, record)", "// comment ", "\t\t", "0x1f, "}
	var b []byte
	s := uint64(7)
	next := func() uint64 { s = s*6364136223846793005 + 1442695040888963407; return s >> 33 }
	for len(b) < n {
		switch r := next() % 100; {
		case r < 2 && len(b) > 5000:
			// A long copy: the parser takes it whole and only
			// visits the positions inside.
			from := int(next() % uint64(len(b)-4000))
			b = append(b, b[from:from+300+int(next()%3000)]...)
		case r < 3 && period && len(b) > n/4 && len(b) < n/2:
			for range 200000 {
				b = append(b, "abcde"...)
			}
		default:
			b = append(b, words[next()%uint64(len(words))]...)
			if next()%5 == 0 {
				b = fmt.Appendf(b, "%d", next()%1000)
			}
		}
	}
	return b[:n]
}

// TestAheadSameBytes: a chunk whose matchfinder runs on a spare thread for
// all of it, from some point on, or by turns (the threads crowd and the
// parser takes the finder back, then a thread is spare again) comes out
// byte for byte as without a spare, and every thread taken is given back.
func TestAheadSameBytes(t *testing.T) {
	defer func(m int) { aheadMin = m }(aheadMin)
	aheadMin = 64 << 10
	const chunk = 4 << 20
	never := func(int64) bool { return false }
	always := func(int64) bool { return true }
	policies := []struct {
		name          string
		take, crowded func(int64) bool
		wantTake      bool
	}{
		{"never", never, never, false},
		{"always", always, never, true},
		{"later", func(n int64) bool { return n > 100 }, never, true},
		{"by turns", func(n int64) bool { return n%3 == 0 }, func(n int64) bool { return n%7 == 0 }, true},
	}
	for _, in := range []struct {
		name string
		data []byte
	}{
		{"text", aheadInput(3<<20, false)},
		{"periodic", aheadInput(3<<20+12345, true)},
	} {
		ref, err := NewCompressor(chunk, 50)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]byte, len(in.data))
		wn := ref.Compress(want, in.data)
		if wn == 0 {
			t.Fatalf("%s: did not compress", in.name)
		}
		want = want[:wn]
		for _, pol := range policies {
			c, err := NewCompressor(chunk, 50)
			if err != nil {
				t.Fatal(err)
			}
			s := &testSpare{take: pol.take, crowded: pol.crowded}
			c.SetSpare(s)
			got := make([]byte, len(in.data))
			// Twice: the second chunk reuses the helper's blocks.
			for run := range 2 {
				n := c.Compress(got, in.data)
				if !bytes.Equal(got[:n], want) {
					t.Errorf("%s, spare %s, run %d: %d bytes differ from the %d without a spare", in.name, pol.name, run, n, wn)
				}
			}
			if pol.wantTake && s.takes.Load() == 0 {
				t.Errorf("%s, spare %s: no thread taken", in.name, pol.name)
			}
			if s.takes.Load() != s.gives.Load() {
				t.Errorf("%s, spare %s: %d threads taken, %d given back", in.name, pol.name, s.takes.Load(), s.gives.Load())
			}
			if pol.name == "by turns" && s.takes.Load() < 4 {
				t.Errorf("%s, spare %s: taken only %d times", in.name, pol.name, s.takes.Load())
			}
		}
	}
}
