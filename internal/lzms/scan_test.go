package lzms

import (
	"math/rand/v2"
	"testing"
)

// nearUniformRef and longRunsRef are the plain definitions nearUniform
// and longRuns (word at a time, stopping early) must agree with.
func nearUniformRef(in []byte) bool {
	var cnt [256]uint64
	for _, b := range in {
		cnt[b]++
	}
	sum := uint64(0)
	for _, x := range cnt {
		sum += x * x
	}
	n := uint64(len(in))
	return 256*4*sum < 5*n*n
}

func longRunsRef(in []byte) bool {
	changes := 0
	for i := 1; i < len(in); i++ {
		if in[i] != in[i-1] {
			changes++
		}
	}
	return changes <= len(in)/256
}

// TestChunkScans compares nearUniform and longRuns with their plain
// definitions on inputs around both bounds: bytes uniform but for a
// share of one value (the bound is near a 3% share), and runs with about
// n/256 changes, at lengths that are not multiples of 8 or of the count
// blocks.
func TestChunkScans(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	sides := [2][2]int{} // [uniform, runs][false, true]
	for iter := range 600 {
		n := 1 + rng.IntN(3*uniformBlock)
		if iter%10 == 0 {
			n = 1 + rng.IntN(64)
		}
		in := make([]byte, n)
		switch iter % 2 {
		case 0:
			share := rng.Float64() * 0.06
			for i := range in {
				in[i] = byte(rng.Uint32())
				if rng.Float64() < share {
					in[i] = 0
				}
			}
		case 1:
			changes := rng.IntN(2*n/256 + 3)
			v := byte(rng.Uint32())
			for range changes {
				at := rng.IntN(n)
				v += []byte{1, 0x80}[rng.IntN(2)] // 0x80: only the top bit differs
				for i := at; i < n && i < at+1+rng.IntN(512); i++ {
					in[i] = v
				}
			}
		}
		u, r := nearUniform(in), longRuns(in)
		if want := nearUniformRef(in); u != want {
			t.Fatalf("iter %d, %d bytes: nearUniform %v, want %v", iter, n, u, want)
		}
		if want := longRunsRef(in); r != want {
			t.Fatalf("iter %d, %d bytes: longRuns %v, want %v", iter, n, r, want)
		}
		if iter%2 == 0 {
			sides[0][b2i(u)]++
		} else {
			sides[1][b2i(r)]++
		}
	}
	// Both answers came up often enough for the bounds to be tested.
	for k, s := range sides {
		if s[0] < 30 || s[1] < 30 {
			t.Fatalf("inputs not around the bound of scan %d: %v", k, s)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
