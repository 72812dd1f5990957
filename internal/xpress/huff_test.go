package xpress

import (
	"math/rand/v2"
	"testing"
)

// TestHuffmanCodes builds codes for skewed, flat, sparse and Fibonacci
// frequencies (the last forces lengths far beyond 15 before limiting) and
// checks that every code is complete, at most 15 bits, prefix-decodable by
// our own table builder, and gives more frequent symbols no longer codes.
func TestHuffmanCodes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cases := map[string]func(*[numSymbols]uint32){
		"fibonacci": func(f *[numSymbols]uint32) {
			a, b := uint32(1), uint32(1)
			for i := range 26 {
				f[i*7] = a
				a, b = b, a+b
			}
		},
		"flat": func(f *[numSymbols]uint32) {
			for i := range f {
				f[i] = 100
			}
		},
		"two": func(f *[numSymbols]uint32) { f[5], f[256] = 1000, 1 },
		"one": func(f *[numSymbols]uint32) { f[0] = 7 },
		"random": func(f *[numSymbols]uint32) {
			for i := range f {
				if r.IntN(3) == 0 {
					f[i] = uint32(r.IntN(1 << r.IntN(16)))
				}
			}
			f[256] = 1
		},
		"powers": func(f *[numSymbols]uint32) {
			for i := range 17 {
				f[i+300] = 1 << i
			}
		},
	}
	var h huffBuilder
	var table decodeTable
	for name, fill := range cases {
		for rep := range 20 {
			var freqs [numSymbols]uint32
			fill(&freqs)
			var lens [numSymbols]uint8
			var enc [numSymbols]uint32
			h.build(&freqs, &lens, &enc)
			kraft := 0
			for s, l := range lens {
				if l > maxCodeLen {
					t.Fatalf("%s/%d: symbol %d has length %d", name, rep, s, l)
				}
				if freqs[s] != 0 && l == 0 {
					t.Fatalf("%s/%d: used symbol %d has no code", name, rep, s)
				}
				if l != 0 {
					kraft += 1 << (maxCodeLen - l)
				}
				if uint8(enc[s]&15) != l {
					t.Fatalf("%s/%d: enc length mismatch", name, rep)
				}
			}
			if kraft != 1<<maxCodeLen {
				t.Fatalf("%s/%d: Kraft sum %d, want %d", name, rep, kraft, 1<<maxCodeLen)
			}
			if !table.build(&lens) {
				t.Fatalf("%s/%d: decoder rejects the code", name, rep)
			}
			for a := range freqs {
				for b := range freqs {
					if freqs[a] > freqs[b] && freqs[b] > 0 && lens[a] > lens[b] {
						t.Fatalf("%s/%d: symbol %d (freq %d) longer than %d (freq %d)", name, rep, a, freqs[a], b, freqs[b])
					}
				}
			}
		}
	}
}
